/** Platform staff: the admin adds auditors and other admins. */
import { busy, byId, clearErrors, fieldValue, flash, h, showErrors, tx } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { bootStaff, get, post } from './frame.js';

await bootStaff('staff', { adminOnly: true });
const form = byId('staff-form');

async function load() {
  const users = await get('/admin/users');
  byId('staff-list').replaceChildren(
    h(
      'table',
      { 'data-testid': 'staff-table' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', {}, tx('users.name')),
          h('th', {}, tx('users.email')),
          h('th', {}, tx('users.roles')),
          h('th', {}, tx('admin.staff.since')),
        ),
      ),
      h(
        'tbody',
        {},
        users.map((u) =>
          h(
            'tr',
            { 'data-user-email': u.email },
            h('td', {}, u.displayName),
            h('td', {}, u.email),
            h(
              'td',
              {},
              h(
                'ul',
                { class: 'chips' },
                u.roles.map((r) => tx(`role.${r}`, undefined, 'li', { class: 'chip' })),
              ),
            ),
            h('td', {}, formatDateTime(u.createdAt)),
          ),
        ),
      ),
    ),
  );
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  clearErrors(form);
  const body = {
    displayName: fieldValue(form, 'displayName'),
    email: fieldValue(form, 'email'),
    password: form.elements.namedItem('password').value,
    role: fieldValue(form, 'role'),
  };
  await busy(form, async () => {
    try {
      await post('/admin/users', body);
      form.reset();
      flash('admin.staff.added');
      await load();
    } catch (error) {
      showErrors(form, error);
    }
  });
});

await load();
