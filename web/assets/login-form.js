/**
 * The email + password login form of the portal and the audit area: posts the login, forgets the
 * anonymous CSRF token and goes where `destination(me)` says; wrong credentials and the rate limit
 * get their own notice, anything else the field errors.
 */
import { ApiError, forgetCsrf, post } from './api.js';
import { busy, clearErrors, fieldValue, setNotice, showErrors } from './dom.js';
import { t } from './i18n.js';
import { html } from './lit.js';

async function logIn(form, destination) {
  clearErrors(form);
  const body = { email: fieldValue(form, 'email'), password: form.elements.namedItem('password').value };
  await busy(form, async () => {
    try {
      const me = await post('/auth/login', body, { anonymous: true, keep401: true });
      forgetCsrf();
      location.assign(destination(me));
    } catch (error) {
      const summary = form.querySelector('[data-role="form-error"]');
      if (error instanceof ApiError && error.status === 401) setNotice(summary, { key: 'login.failed' });
      else if (error instanceof ApiError && error.status === 429)
        setNotice(summary, { key: 'login.rateLimited' });
      else showErrors(form, error);
    }
  });
}

/** The form, for a page's view; "forgot your password?" under it. */
export const loginForm = (destination) => html`
  <form id="login-form" novalidate @submit=${(event) => {
    event.preventDefault();
    void logIn(event.currentTarget, destination);
  }}>
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
  <p><a href="/portal/forgot-password.html" data-testid="forgot-link">${t('login.forgot')}</a></p>
`;
