/** Register a manufacturer and its first (admin) user; the new session goes straight to the overview. */
import { forgetCsrf, post } from '../../assets/api.js';
import { byId, fieldValue, onSubmit } from '../../assets/dom.js';
import { bootPublic } from '../../assets/shell.js';

bootPublic();

const form = byId('signup-form');
onSubmit(form, async () => {
  const body = {
    company: {
      name: fieldValue(form, 'company.name'),
      usccCode: fieldValue(form, 'company.usccCode').toUpperCase(),
      contactName: fieldValue(form, 'company.contactName'),
      contactPhone: fieldValue(form, 'company.contactPhone'),
      email: fieldValue(form, 'company.email'),
    },
    user: {
      displayName: fieldValue(form, 'user.displayName'),
      email: fieldValue(form, 'user.email'),
      password: form.elements.namedItem('user.password').value,
    },
  };
  await post('/auth/signup', body, { anonymous: true, keep401: true });
  forgetCsrf();
  location.assign('/portal/');
});
