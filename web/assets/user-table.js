/**
 * A table of users (name, email, roles as chips, plus optional columns), as the portal's users
 * page and the audit area's staff page show them; rows carry `data-user-email`.
 */
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
