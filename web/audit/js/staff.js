/** Platform staff: the admin adds auditors and other admins. */
import { byId, fieldValue, flash, onSubmit } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { userTable } from '../../assets/user-table.js';
import { bootStaff, get, post } from './frame.js';

await bootStaff('staff', { adminOnly: true });
const form = byId('staff-form');

async function load() {
  const users = await get('/admin/users');
  byId('staff-list').replaceChildren(
    userTable(users, {
      testId: 'staff-table',
      rolesOf: (u) => u.roles,
      columns: [{ heading: 'admin.staff.since', cell: (u) => formatDateTime(u.createdAt) }],
    }),
  );
}

onSubmit(form, async () => {
  const body = {
    displayName: fieldValue(form, 'displayName'),
    email: fieldValue(form, 'email'),
    password: form.elements.namedItem('password').value,
    role: fieldValue(form, 'role'),
  };
  await post('/admin/users', body);
  form.reset();
  flash('admin.staff.added');
  await load();
});

await load();
