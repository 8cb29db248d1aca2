/**
 * The manufacturer's users. An admin adds editors and approvers, deactivates a user (every session of
 * theirs ends at once), lets them in again, and resets a password (the user is emailed a single-use link).
 */
import { get, post } from '../../assets/api.js';
import { errorMessage, flash, submitting } from '../../assets/dom.js';
import { catalogueMessage, t } from '../../assets/i18n.js';
import { html, nothing } from '../../assets/lit.js';
import { bootPortal, hasRole } from '../../assets/shell.js';
import { newUserFields, newUserOf, userTable } from '../../assets/user-table.js';
import { loading, mountView } from '../../assets/view.js';
import { ROLES } from './vocabulary.js';

const state = {
  me: null,
  users: null,
  /** What the last action on a row did or why it was refused: { key, args } or an API error's words. */
  notice: null,
  /** The id of the user an action is being sent for (its buttons wait). */
  busyId: null,
};

const isAdmin = () => state.me && hasRole(state.me, 'admin');

const noticeText = (notice) =>
  notice.key ? t(notice.key, notice.args) : notice.detail ? catalogueMessage(notice.detail) : notice.text;

const statusCell = (user) =>
  html`<span class="badge ${user.active ? 'badge-active' : 'badge-deactivated'}" data-testid="user-status"
    >${t(user.active ? 'users.active' : 'users.deactivated')}</span
  >`;

function actionsCell(user) {
  if (user.id === state.me.user.id) return html`<span class="muted">${t('users.you')}</span>`;
  const waiting = state.busyId === user.id;
  return html`<div class="row-actions">
    ${
      user.active
        ? html`<button type="button" class="button button-secondary button-small" data-testid="user-deactivate"
            ?disabled=${waiting} @click=${() => act(user, 'deactivate')}>${t('users.deactivate')}</button>`
        : html`<button type="button" class="button button-secondary button-small" data-testid="user-reactivate"
            ?disabled=${waiting} @click=${() => act(user, 'reactivate')}>${t('users.reactivate')}</button>`
    }
    <button type="button" class="button button-ghost button-small" data-testid="user-reset-password"
      ?disabled=${waiting || !user.active} @click=${() => act(user, 'password-reset')}>${t('users.resetPassword')}</button>
  </div>`;
}

const columns = () => [
  { heading: 'users.status', cell: statusCell },
  ...(isAdmin() ? [{ heading: 'common.actions', cell: actionsCell }] : []),
];

const addForm = () => html`
  <form id="user-form" novalidate @submit=${submitting(add)}>
    <div data-role="form-error" hidden></div>
    ${newUserFields('user')}
    <fieldset data-field="roles">
      <legend>${t('users.roles')}</legend>
      <div class="checks">
        ${ROLES.map(
          (role) =>
            html`<label class="check"><input type="checkbox" name="roles" value=${role} id=${`role-${role}`}> <span>${t(`labels:role.${role}`)}</span></label>`,
        )}
      </div>
    </fieldset>
    <div class="form-actions">
      <button type="submit" class="button" id="user-submit" data-testid="user-submit">${t('users.add')}</button>
    </div>
  </form>
`;

const draw = mountView(
  () => html`
    <div class="page-head">
      <div>
        <h1>${t('users.heading')}</h1>
        <p class="lead">${t('users.lead')}</p>
      </div>
    </div>
    <div class="split">
      <section class="card">
        ${
          state.notice
            ? html`<div class="notice notice-${state.notice.kind}" role="status" data-testid="user-notice">${noticeText(state.notice)}</div>`
            : nothing
        }
        <div class="table-wrap" id="user-list">
          ${
            state.users
              ? userTable(state.users, {
                  testId: 'user-table',
                  rolesOf: (user) => ROLES.filter((role) => user.roles.includes(role)),
                  columns: columns(),
                })
              : loading()
          }
        </div>
      </section>
      <section class="card" aria-labelledby="user-form-heading">
        <h2 id="user-form-heading">${t('users.add')}</h2>
        ${
          !state.me
            ? loading()
            : isAdmin()
              ? addForm()
              : html`<p class="notice notice-info" id="admin-only">${t('users.adminOnly')}</p>`
        }
      </section>
    </div>
  `,
);

state.me = await bootPortal('users');
draw();

async function load() {
  state.users = await get('/manufacturer/users');
  draw();
}

const CONFIRM = { deactivate: 'users.confirmDeactivate', 'password-reset': 'users.confirmReset' };
const DONE = {
  deactivate: 'users.deactivatedNotice',
  reactivate: 'users.reactivatedNotice',
  'password-reset': 'users.resetSent',
};

/** Deactivates, reactivates or resets the password of a user, after asking where that cannot be undone at once. */
async function act(user, action) {
  const args = { name: user.displayName };
  if (CONFIRM[action] && !window.confirm(t(CONFIRM[action], args))) return;
  state.busyId = user.id;
  state.notice = null;
  draw();
  try {
    await post(`/manufacturer/users/${user.id}/${action}`);
    state.notice = { kind: 'success', key: DONE[action], args };
    await load();
  } catch (error) {
    state.notice = { kind: 'error', ...errorMessage(error) };
  } finally {
    state.busyId = null;
    draw();
  }
}

async function add(_event, form) {
  const body = {
    ...newUserOf(form),
    roles: [...form.querySelectorAll('input[name="roles"]:checked')].map((box) => box.value),
  };
  await post('/manufacturer/users', body);
  form.reset();
  flash('users.added');
  await load();
}

await load();
