/**
 * A table of users (name, email, roles as chips, plus optional columns), as the portal's users
 * page and the audit area's staff page show them; rows carry `data-user-email`.
 */
import { h, tx } from './dom.js';

/**
 * `rolesOf(user)` lists the roles to show, in order; each of `columns` is `{ heading, cell(user) }`
 * with `heading` an i18n key.
 */
export function userTable(users, { testId, rolesOf, columns = [] }) {
  return h(
    'table',
    { 'data-testid': testId },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, tx('users.name')),
        h('th', {}, tx('users.email')),
        h('th', {}, tx('users.roles')),
        columns.map((c) => h('th', {}, tx(c.heading))),
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
              rolesOf(u).map((r) => tx(`labels:role.${r}`, undefined, 'li', { class: 'chip' })),
            ),
          ),
          columns.map((c) => h('td', {}, c.cell(u))),
        ),
      ),
    ),
  );
}
