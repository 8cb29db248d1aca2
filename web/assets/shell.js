/**
 * The frame around every page: top bar with brand, navigation (by role),
 * who is signed in, the language switch and logout. Portal pages call
 * bootPortal() and get the signed-in user; public pages call bootPublic().
 */
import { forgetCsrf, get, post } from './api.js';
import { flash, h, takeFlash, tx } from './dom.js';
import { applyI18n, onLangChange, t, toggleLang } from './i18n.js';

const NAV = [
  { page: 'dashboard', href: '/portal/', key: 'nav.dashboard' },
  { page: 'products', href: '/portal/products.html', key: 'nav.products' },
  { page: 'drafts', href: '/portal/drafts.html', key: 'nav.drafts' },
  { page: 'review', href: '/portal/review.html', key: 'nav.review', role: 'approver' },
  { page: 'plans', href: '/portal/plans.html', key: 'nav.plans' },
  { page: 'stats', href: '/portal/dashboard.html', key: 'nav.stats' },
  { page: 'orders', href: '/portal/orders.html', key: 'nav.orders' },
  { page: 'claims', href: '/portal/claims.html', key: 'nav.claims' },
  { page: 'users', href: '/portal/users.html', key: 'nav.users' },
];

export function langButton() {
  return h(
    'button',
    {
      type: 'button',
      class: 'button button-ghost lang-switch',
      id: 'lang-switch',
      'data-testid': 'lang-switch',
      dataset: { i18nAriaLabel: 'lang.switchLabel' },
      'aria-label': t('lang.switchLabel'),
      onclick: () => toggleLang(),
    },
    tx('lang.switch'),
  );
}

/** The brand in the top bar, linking to `home`, with the area's name (an i18n key) under it. */
export function brand(home = '/portal/', areaKey = 'app.portal') {
  return h(
    'a',
    { class: 'brand', href: home },
    h('span', { class: 'brand-mark', 'aria-hidden': 'true' }, t('app.mark')),
    h('span', { class: 'brand-text' }, tx('app.name', undefined, 'strong'), tx(areaKey, undefined, 'small')),
  );
}

/** Keeps the document title in the current language: <body data-title="title.products">. */
export function syncTitle() {
  const key = document.body.dataset.title;
  if (key) document.title = t(key);
}

/** The frame of a page without a session (login, sign-up): brand and language switch. */
export function bootPublic(home = '/portal/', areaKey = 'app.portal') {
  const bar = document.getElementById('topbar');
  bar?.replaceChildren(
    h(
      'div',
      { class: 'topbar-inner' },
      brand(home, areaKey),
      h('div', { class: 'topbar-tools' }, langButton()),
    ),
  );
  applyI18n(document);
  syncTitle();
  onLangChange(syncTitle);
}

/** The navigation links the roles may follow, `page` marked as the current one. */
export function navLinks(items, roles, page) {
  return items
    .filter((item) => !item.role || roles.has(item.role))
    .map((item) =>
      h(
        'a',
        {
          href: item.href,
          class: item.page === page ? 'nav-link active' : 'nav-link',
          'aria-current': item.page === page ? 'page' : undefined,
          'data-testid': `nav-${item.page}`,
        },
        tx(item.key),
      ),
    );
}

/** A count on a navigation link, with its meaning as the tooltip; none when nothing waits. */
function countBadge(n, key, testid, warning = false) {
  if (!n) return null;
  return h(
    'span',
    {
      class: warning ? 'nav-count nav-count-warning' : 'nav-count',
      'data-testid': testid,
      dataset: { i18nTitle: key },
      title: t(key),
    },
    String(n),
  );
}

/** The manufacturer's to-do counts on the Review queue and Service desk links (issue 14 §5). */
async function addTodoCounts(links) {
  // The counts are a convenience: a failure leaves the links as they are.
  const todo = await get('/manufacturer/todo').catch(() => null);
  if (!todo) return;
  const link = (page) => links.find((a) => a.dataset.testid === `nav-${page}`);
  link('review')?.append(
    ...[countBadge(todo.draftsToReview, 'nav.todoDrafts', 'count-review')].filter(Boolean),
  );
  link('claims')?.append(
    ...[
      countBadge(todo.claimsWaiting, 'nav.todoClaims', 'count-claims'),
      countBadge(todo.claimsOverSla, 'nav.todoOverSla', 'count-claims-overdue', true),
    ].filter(Boolean),
  );
}

/** Renders the frame and returns { user, manufacturer } of the session (a 401 goes to the login page). */
export async function bootPortal(page) {
  applyI18n(document);
  syncTitle();
  onLangChange(syncTitle);
  const me = await get('/auth/me');
  // Platform staff (auditors, platform admins) have a session but no manufacturer: point them to their area.
  if (!me.manufacturer) return otherArea('otherArea.manufacturerOnly', '/audit/', 'otherArea.toAudit');
  const roles = new Set(me.user.roles);
  const links = navLinks(NAV, roles, page);
  // Not awaited: the page need not wait for its counts.
  void addTodoCounts(links);
  const logout = h(
    'button',
    { type: 'button', class: 'button button-ghost', id: 'logout', 'data-testid': 'logout' },
    tx('nav.logout'),
  );
  logout.addEventListener('click', async () => {
    logout.disabled = true;
    try {
      await post('/auth/logout');
    } finally {
      forgetCsrf();
      location.assign('/portal/login.html');
    }
  });
  const bar = document.getElementById('topbar');
  bar?.replaceChildren(
    h(
      'div',
      { class: 'topbar-inner' },
      brand(),
      h('nav', { class: 'nav', dataset: { i18nAriaLabel: 'nav.main' }, 'aria-label': t('nav.main') }, links),
      h(
        'div',
        { class: 'topbar-tools' },
        h(
          'a',
          {
            class: 'whoami',
            href: '/portal/account.html',
            'data-testid': 'whoami',
            dataset: { i18nTitle: 'account.link' },
            title: t('account.link'),
          },
          h('strong', {}, me.user.displayName),
          h('small', {}, me.manufacturer.name),
        ),
        langButton(),
        logout,
      ),
    ),
  );
  const flashed = takeFlash();
  if (flashed) flash(flashed);
  return me;
}

/**
 * The frame for a user signed in to the other area (a manufacturer in the audit area, platform staff in the
 * portal): brand and language switch, a notice saying whose area this is with a link to the user's own.
 * The page's module stops here: the returned promise never settles.
 */
export function otherArea(noticeKey, href, linkKey, home = '/portal/', areaKey = 'app.portal') {
  bootPublic(home, areaKey);
  document
    .getElementById('main')
    ?.replaceChildren(
      h(
        'div',
        { class: 'notice notice-warning', 'data-testid': 'other-area' },
        tx(noticeKey, undefined, 'p'),
        h('p', {}, tx(linkKey, undefined, 'a', { href, 'data-testid': 'other-area-link' })),
      ),
    );
  return new Promise(() => {});
}

export const hasRole = (me, role) => me.user.roles.includes(role);
