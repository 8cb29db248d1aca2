/**
 * The frame of the platform staff pages (auditors and platform admins): top
 * bar, navigation by role, who is signed in, language switch, logout. API
 * calls go through here so a 401 leads to this area's own login page (the
 * portal's login page only returns to portal pages).
 */
import { ApiError, api, forgetCsrf } from '../../assets/api.js';
import { byId, flash, h, takeFlash, tx } from '../../assets/dom.js';
import { applyI18n, onLangChange, t } from '../../assets/i18n.js';
import { bootPublic, brand, langButton, navLinks, otherArea, syncTitle } from '../../assets/shell.js';

const NAV = [
  { page: 'workflows', href: '/audit/', key: 'audit.nav.workflows' },
  { page: 'reconciliation', href: '/audit/reconciliation.html', key: 'audit.nav.reconciliation' },
  { page: 'messages', href: '/audit/messages.html', key: 'audit.nav.messages' },
  { page: 'clauses', href: '/audit/clauses.html', key: 'audit.nav.clauses', role: 'platform_admin' },
  {
    page: 'manufacturers',
    href: '/audit/manufacturers.html',
    key: 'audit.nav.manufacturers',
    role: 'platform_admin',
  },
  { page: 'staff', href: '/audit/staff.html', key: 'audit.nav.staff', role: 'platform_admin' },
];

export function loginPage() {
  return `/audit/login.html?next=${encodeURIComponent(`${location.pathname}${location.search}`)}`;
}

/** Only pages of this area are accepted as the place to return to after login. */
export function safeAuditNext(next) {
  return typeof next === 'string' && /^\/audit\/[\w\-./?=&%]*$/.test(next) && !next.includes('//')
    ? next
    : '/audit/';
}

/** Calls the API; a 401 (session gone) goes to the staff login page. */
export async function call(method, path, body) {
  try {
    return await api(method, path, body, { keep401: true });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      location.assign(loginPage());
      return new Promise(() => {});
    }
    throw error;
  }
}
export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body ?? {});
export const put = (path, body) => call('PUT', path, body);

export const bootStaffPublic = () => bootPublic('/audit/', 'audit.app');

/**
 * Renders the frame and returns the signed-in staff member. A manufacturer's
 * user, or a page that needs the admin role, gets a clear notice instead of the page.
 */
export async function bootStaff(page, { adminOnly = false } = {}) {
  applyI18n(document);
  syncTitle();
  onLangChange(syncTitle);
  const me = await get('/auth/me');
  if (me.manufacturer)
    return otherArea('audit.staffOnly', '/portal/', 'audit.toPortal', '/audit/', 'audit.app');
  const roles = new Set(me.user.roles);
  const links = navLinks(NAV, roles, page);
  const logout = h(
    'button',
    { type: 'button', class: 'button button-ghost', 'data-testid': 'logout' },
    tx('nav.logout'),
  );
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    try {
      await api('POST', '/auth/logout', undefined, { keep401: true });
    } catch {
      // Whatever the answer, this page forgets the session and goes to the login page.
    } finally {
      forgetCsrf();
      location.assign('/audit/login.html');
    }
  });
  const role = roles.has('platform_admin') ? 'platform_admin' : roles.has('auditor') ? 'auditor' : null;
  document
    .getElementById('topbar')
    ?.replaceChildren(
      h(
        'div',
        { class: 'topbar-inner' },
        brand('/audit/', 'audit.app'),
        h(
          'nav',
          { class: 'nav', dataset: { i18nAriaLabel: 'nav.main' }, 'aria-label': t('nav.main') },
          links,
        ),
        h(
          'div',
          { class: 'topbar-tools' },
          h(
            'span',
            { class: 'whoami', 'data-testid': 'whoami' },
            h('strong', {}, me.user.displayName),
            role
              ? tx(`labels:role.${role}`, undefined, 'small')
              : h('small', {}, me.manufacturer?.name ?? ''),
          ),
          langButton(),
          logout,
        ),
      ),
    );
  const allowed = role !== null && (!adminOnly || role === 'platform_admin');
  if (!allowed) {
    const main = document.querySelector('main');
    main?.replaceChildren(
      tx('audit.adminOnly', undefined, 'p', {
        class: 'notice notice-warning',
        'data-testid': 'staff-only',
      }),
    );
    return new Promise(() => {});
  }
  const flashed = takeFlash();
  if (flashed) flash(flashed);
  return me;
}

export const isAdmin = (me) => me.user.roles.includes('platform_admin');

/** The translation of a key, or the fallback when the dictionary has none (new workflow types, results). */
export function label(key, fallback) {
  const text = t(key);
  return text === key ? fallback : text;
}

/** A span that follows the language, with a fallback for keys the dictionary does not know. */
export function txOr(key, fallback, tag = 'span', attributes = {}) {
  return t(key) === key ? h(tag, attributes, fallback) : tx(key, undefined, tag, attributes);
}

const STATUS_BADGES = {
  running: 'awaiting_review',
  completed: 'published',
  failed: 'expired',
  terminated: 'expired',
  timed_out: 'expired',
  canceled: 'retired',
  continued_as_new: 'active',
};

export const workflowStatusBadge = (status) =>
  txOr(`labels:workflowStatus.${status}`, status, 'span', {
    class: `badge badge-${STATUS_BADGES[status] ?? 'retired'}`,
    'data-status': status,
  });

/** 1500 → "1.5 s"; the server's timeline carries its own words, this is for plain durations. */
export function formatMs(ms) {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${Math.round(ms / 100) / 10} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/**
 * Wires a list's previous/next buttons (`<prefix>-prev`, `<prefix>-next`) to `load(offset)`,
 * hiding each where there is nothing to go to.
 */
export function wirePager(prefix, { offset, pageSize, total, load }) {
  const prev = byId(`${prefix}-prev`);
  prev.hidden = offset === 0;
  prev.onclick = () => void load(Math.max(0, offset - pageSize));
  const next = byId(`${prefix}-next`);
  next.hidden = offset + pageSize >= total;
  next.onclick = () => void load(offset + pageSize);
}
