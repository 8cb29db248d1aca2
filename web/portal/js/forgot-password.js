/**
 * Forgot password: the API emails a single-use link (to /account/reset-password) and answers the same
 * whether or not the address has an account, so the page says just that.
 */
import { post } from '../../assets/api.js';
import { fieldValue, submitting } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPublic } from '../../assets/shell.js';
import { mountView } from '../../assets/view.js';
import { RESET_LINK_MINUTES } from './vocabulary.js';

let sent = false;

async function sendLink(_event, form) {
  await post('/auth/forgot-password', { email: fieldValue(form, 'email') }, { anonymous: true });
  sent = true;
  draw();
}

const draw = mountView(
  () => html`
    <section class="card auth-card">
      <h1>${t('forgot.heading')}</h1>
      ${
        sent
          ? html`<p class="notice notice-success" role="status" data-testid="forgot-sent">${t('forgot.sent', { minutes: RESET_LINK_MINUTES })}</p>`
          : html`<p class="muted">${t('forgot.lead')}</p>
              <form id="forgot-form" novalidate @submit=${submitting(sendLink)}>
                <div data-role="form-error" hidden></div>
                <div class="field" data-field="email">
                  <label for="forgot-email">${t('forgot.email')}</label>
                  <input type="email" id="forgot-email" name="email" autocomplete="username" required>
                </div>
                <div class="form-actions">
                  <button type="submit" class="button" data-testid="forgot-submit">${t('forgot.submit')}</button>
                </div>
              </form>`
      }
      <p><a href="/portal/login.html">${t('forgot.back')}</a></p>
    </section>
  `,
);

bootPublic();
