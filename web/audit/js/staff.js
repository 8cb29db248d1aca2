/** Platform staff: the admin adds auditors and other admins. */
import { fieldValue, flash, submitting } from '../../assets/dom.js';
import { formatDateTime } from '../../assets/format.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { newUserFields, newUserOf, userTable } from '../../assets/user-table.js';
import { loading, mountView } from '../../assets/view.js';
import { bootStaff, get, post } from './frame.js';

/** The staff list, once loaded. */
let staff = null;

const draw = mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('admin.staff.heading')}</h1>
        <p class="lead">${t('admin.staff.lead')}</p>
      </div>
    </div>
    <div class="split">
      <section class="card">
        <div class="table-wrap" id="staff-list">
          ${
            staff
              ? userTable(staff, {
                  testId: 'staff-table',
                  rolesOf: (user) => user.roles,
                  columns: [{ heading: 'admin.staff.since', cell: (user) => formatDateTime(user.createdAt) }],
                })
              : loading()
          }
        </div>
      </section>
      <section class="card" aria-labelledby="staff-form-heading">
        <h2 id="staff-form-heading">${t('admin.staff.add')}</h2>
        <form id="staff-form" novalidate @submit=${submitting(add)}>
          <div data-role="form-error" hidden></div>
          ${newUserFields('staff')}
          <div class="field" data-field="role">
            <label for="staff-role">${t('users.roles')}</label>
            <select id="staff-role" name="role">
              <option value="auditor">${t('labels:role.auditor')}</option>
              <option value="platform_admin">${t('labels:role.platform_admin')}</option>
            </select>
          </div>
          <div class="form-actions">
            <button type="submit" class="button" data-testid="staff-submit">${t('admin.staff.add')}</button>
          </div>
        </form>
      </section>
    </div>
  `,
);

await bootStaff('staff', { adminOnly: true });

async function load() {
  staff = await get('/admin/users');
  draw();
}

async function add(_event, form) {
  const body = {
    ...newUserOf(form),
    role: fieldValue(form, 'role'),
  };
  await post('/admin/users', body);
  form.reset();
  flash('admin.staff.added');
  await load();
}

await load();
