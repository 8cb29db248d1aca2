/** Log in, then go back where the visitor was sent from (a portal page) or to the overview. */
import { ApiError, forgetCsrf, post, safeNext } from '../../assets/api.js';
import { busy, byId, clearErrors, fieldValue, param, setNotice, showErrors } from '../../assets/dom.js';
import { bootPublic } from '../../assets/shell.js';

bootPublic();

const form = byId('login-form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const body = { email: fieldValue(form, 'email'), password: form.elements.namedItem('password').value };
  await busy(form, async () => {
    try {
      const me = await post('/auth/login', body, { anonymous: true, keep401: true });
      forgetCsrf();
      // Platform staff (auditors, platform admins) have no manufacturer: their pages are under /audit/.
      location.assign(me?.manufacturer ? safeNext(param('next')) : '/audit/');
    } catch (error) {
      const summary = form.querySelector('[data-role="form-error"]');
      if (error instanceof ApiError && error.status === 401) setNotice(summary, { key: 'login.failed' });
      else if (error instanceof ApiError && error.status === 429)
        setNotice(summary, { key: 'login.rateLimited' });
      else showErrors(form, error);
    }
  });
});
