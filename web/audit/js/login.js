/** Staff login: then back to the audit page the visitor came from, or the workflow list. */
import { ApiError, forgetCsrf, post } from '../../assets/api.js';
import { busy, byId, clearErrors, fieldValue, param, setNotice, showErrors } from '../../assets/dom.js';
import { bootStaffPublic, safeAuditNext } from './frame.js';

bootStaffPublic();

const form = byId('login-form');
form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const body = { email: fieldValue(form, 'email'), password: form.elements.namedItem('password').value };
  await busy(form, async () => {
    try {
      const me = await post('/auth/login', body, { anonymous: true, keep401: true });
      forgetCsrf();
      // A manufacturer's user belongs in the portal.
      location.assign(me.manufacturer ? '/portal/' : safeAuditNext(param('next')));
    } catch (error) {
      const summary = form.querySelector('[data-role="form-error"]');
      if (error instanceof ApiError && error.status === 401) setNotice(summary, { key: 'login.failed' });
      else if (error instanceof ApiError && error.status === 429)
        setNotice(summary, { key: 'login.rateLimited' });
      else showErrors(form, error);
    }
  });
});
