/**
 * Users as the portal's users page and the audit area's staff page show and add them: a table (name,
 * email, roles as chips, plus optional columns; rows carry `data-user-email`) and the fields every
 * "add user" form asks for.
 */
import { fieldValue } from './dom.js';
import { t } from './i18n.js';
import { html } from './lit.js';

/**
 * `rolesOf(user)` lists the roles to show, in order; each of `columns` is `{ heading, cell(user) }`
 * with `heading` a catalogue key and `cell` a template or text.
 */
export const userTable = (users, { testId, rolesOf, columns = [] }) => html`
  <table data-testid=${testId}>
    <thead>
      <tr>
        <th>${t('users.name')}</th>
        <th>${t('users.email')}</th>
        <th>${t('users.roles')}</th>
        ${columns.map((column) => html`<th>${t(column.heading)}</th>`)}
      </tr>
    </thead>
    <tbody>
      ${users.map(
        (user) => html`
          <tr data-user-email=${user.email}>
            <td>${user.displayName}</td>
            <td>${user.email}</td>
            <td>
              <ul class="chips">
                ${rolesOf(user).map((role) => html`<li class="chip">${t(`labels:role.${role}`)}</li>`)}
              </ul>
            </td>
            ${columns.map((column) => html`<td>${column.cell(user)}</td>`)}
          </tr>
        `,
      )}
    </tbody>
  </table>
`;

/** The name, email and initial password fields of an "add user" form; their ids start with `prefix`. */
export const newUserFields = (prefix) => html`
  <div class="field" data-field="displayName">
    <label for=${`${prefix}-name`}>${t('users.name')}</label>
    <input type="text" id=${`${prefix}-name`} name="displayName" autocomplete="off" required>
  </div>
  <div class="field" data-field="email">
    <label for=${`${prefix}-email`}>${t('users.email')}</label>
    <input type="email" id=${`${prefix}-email`} name="email" autocomplete="off" required>
  </div>
  <div class="field" data-field="password">
    <label for=${`${prefix}-password`}><span>${t('users.password')}</span> <span class="hint">${t('users.passwordHint')}</span></label>
    <input type="password" id=${`${prefix}-password`} name="password" autocomplete="new-password" minlength="10" required>
  </div>
`;

/** What the newUserFields of a form hold. */
export const newUserOf = (form) => ({
  displayName: fieldValue(form, 'displayName'),
  email: fieldValue(form, 'email'),
  password: form.elements.namedItem('password').value,
});
