/** The manufacturer's users; an admin adds editors and approvers. */
import { get, post } from '../../assets/api.js';
import { byId, fieldValue, flash, onSubmit } from '../../assets/dom.js';
import { t } from '../../assets/i18n.js';
import { html } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { userTable } from '../../assets/user-table.js';
import { mountView } from '../../assets/view.js';
import { ROLES } from './vocabulary.js';

mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('users.heading')}</h1>
        <p class="lead">${t('users.lead')}</p>
      </div>
    </div>
    <div class="split">
      <section class="card">
        <div class="table-wrap" id="user-list" data-loading></div>
      </section>
      <section class="card" aria-labelledby="user-form-heading">
        <h2 id="user-form-heading">${t('users.add')}</h2>
        <p class="notice notice-info" id="admin-only" hidden>${t('users.adminOnly')}</p>
        <form id="user-form" novalidate hidden>
          <div data-role="form-error" hidden></div>
          <div class="field" data-field="displayName">
            <label for="user-name">${t('users.name')}</label>
            <input type="text" id="user-name" name="displayName" autocomplete="off" required>
          </div>
          <div class="field" data-field="email">
            <label for="user-email">${t('users.email')}</label>
            <input type="email" id="user-email" name="email" autocomplete="off" required>
          </div>
          <div class="field" data-field="password">
            <label for="user-password"><span>${t('users.password')}</span> <span class="hint">${t('users.passwordHint')}</span></label>
            <input type="password" id="user-password" name="password" autocomplete="new-password" minlength="10" required>
          </div>
          <fieldset data-field="roles">
            <legend>${t('users.roles')}</legend>
            <div class="checks">
              <label class="check"><input type="checkbox" name="roles" value="editor" id="role-editor"> <span>${t('labels:role.editor')}</span></label>
              <label class="check"><input type="checkbox" name="roles" value="approver" id="role-approver"> <span>${t('labels:role.approver')}</span></label>
              <label class="check"><input type="checkbox" name="roles" value="admin" id="role-admin"> <span>${t('labels:role.admin')}</span></label>
            </div>
          </fieldset>
          <div class="form-actions">
            <button type="submit" class="button" id="user-submit" data-testid="user-submit">${t('users.add')}</button>
          </div>
        </form>
      </section>
    </div>
  `,
);

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
