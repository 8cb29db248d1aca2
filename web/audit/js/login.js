/** Staff login: then back to the audit page the visitor came from, or the workflow list. */
import { byId, param } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { handleLogin } from '../../assets/login-form.js';
import { mountView } from '../../assets/view.js';
import { bootStaffPublic, safeAuditNext } from './frame.js';

mountView(
  () => html`
    <section class="card auth-card">
      <h1>${t('audit.login.heading')}</h1>
      <p class="muted">${t('audit.login.lead')}</p>
      <form id="login-form" novalidate>
        <div data-role="form-error" hidden></div>
        <div class="field" data-field="email">
          <label for="login-email">${t('login.email')}</label>
          <input type="email" id="login-email" name="email" autocomplete="username" required>
        </div>
        <div class="field" data-field="password">
          <label for="login-password">${t('login.password')}</label>
          <input type="password" id="login-password" name="password" autocomplete="current-password" required>
        </div>
        <div class="form-actions">
          <button type="submit" class="button" id="login-submit" data-testid="login-submit">${t('login.submit')}</button>
        </div>
      </form>
      <p class="muted">
        <span>${t('audit.login.manufacturer')}</span>
        <a href="/portal/login.html">${t('audit.login.portalLink')}</a>
      </p>
    </section>
  `,
);

bootStaffPublic();

// A manufacturer's user belongs in the portal.
handleLogin(byId('login-form'), (me) => (me.manufacturer ? '/portal/' : safeAuditNext(param('next'))));
