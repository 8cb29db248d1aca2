/** Log in, then go back where the visitor was sent from (a portal page) or to the overview. */
import { safeNext } from '../../assets/api.js';
import { param } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { loginForm } from '../../assets/login-form.js';
import { bootPublic } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';

// Platform staff (auditors, platform admins) have no manufacturer: their pages are under /audit/.
const destination = (me) => (me?.manufacturer ? safeNext(param('next')) : '/audit/');

mountView(
  () => html`
    <section class="card auth-card">
      <h1>${t('login.heading')}</h1>
      ${loginForm(destination)}
      <p class="muted">
        <span>${t('login.noAccount')}</span>
        <a href="/portal/signup.html" id="signup-link">${t('login.signupLink')}</a>
      </p>
    </section>
  `,
);

bootPublic();
