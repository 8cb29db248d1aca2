/** Log in, then go back where the visitor was sent from (a portal page) or to the overview. */
import { safeNext } from '../../assets/api.js';
import { byId, param } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { handleLogin } from '../../assets/login-form.js';
import { bootPublic } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';

mountView(
  () => html`
    <section class="card auth-card">
      <h1>${t('login.heading')}</h1>
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
          <button type="submit" class="button" id="login-submit">${t('login.submit')}</button>
        </div>
      </form>
      <p><a href="/portal/forgot-password.html" data-testid="forgot-link">${t('login.forgot')}</a></p>
      <p class="muted">
        <span>${t('login.noAccount')}</span>
        <a href="/portal/signup.html" id="signup-link">${t('login.signupLink')}</a>
      </p>
    </section>
  `,
);

bootPublic();

// Platform staff (auditors, platform admins) have no manufacturer: their pages are under /audit/.
handleLogin(byId('login-form'), (me) => (me?.manufacturer ? safeNext(param('next')) : '/audit/'));
