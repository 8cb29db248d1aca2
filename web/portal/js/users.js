/** The manufacturer's users; an admin adds editors and approvers. */
import { get, post } from '../../assets/api.js';
import { byId, fieldValue, flash, onSubmit } from '../../assets/dom.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { userTable } from '../../assets/user-table.js';
import { ROLES } from './vocabulary.js';

const me = await bootPortal('users');
const isAdmin = hasRole(me, 'admin');
const form = byId('user-form');
form.hidden = !isAdmin;
byId('admin-only').hidden = isAdmin;

async function load() {
  const users = await get('/manufacturer/users');
  byId('user-list').replaceChildren(
    userTable(users, { testId: 'user-table', rolesOf: (u) => ROLES.filter((r) => u.roles.includes(r)) }),
  );
}

onSubmit(form, async () => {
  const body = {
    displayName: fieldValue(form, 'displayName'),
    email: fieldValue(form, 'email'),
    password: form.elements.namedItem('password').value,
    roles: [...form.querySelectorAll('input[name="roles"]:checked')].map((box) => box.value),
  };
  await post('/manufacturer/users', body);
  form.reset();
  flash('users.added');
  await load();
});

await load();
