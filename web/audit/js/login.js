/** Staff login: then back to the audit page the visitor came from, or the workflow list. */
import { param } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { loginForm } from '../../assets/login-form.js';
import { mountView } from '../../assets/view.js';
import { bootStaffPublic, safeAuditNext } from './frame.js';

// A manufacturer's user belongs in the portal.
const destination = (me) => (me.manufacturer ? '/portal/' : safeAuditNext(param('next')));

mountView(
  () => html`
    <section class="card auth-card">
      <h1>${t('audit.login.heading')}</h1>
      <p class="muted">${t('audit.login.lead')}</p>
      ${loginForm(destination)}
      <p class="muted">
        <span>${t('audit.login.manufacturer')}</span>
        <a href="/portal/login.html">${t('audit.login.portalLink')}</a>
      </p>
    </section>
  `,
);

bootStaffPublic();
