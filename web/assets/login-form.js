/**
 * The email + password login form of the portal and the audit area: posts the login, forgets the
 * anonymous CSRF token and goes where `destination(me)` says; wrong credentials and the rate limit
 * get their own notice, anything else the field errors.
 */
import { ApiError, forgetCsrf, post } from './api.js';
import { busy, clearErrors, fieldValue, setNotice, showErrors } from './dom.js';

export function handleLogin(form, destination) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
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
  });
}
