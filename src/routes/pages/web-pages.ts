/**
 * The portal's and the audit area's pages: one layout for all of them. A page is a row of WEB_PAGES (its URL,
 * title key and module); its content is a lit-html view in that module (web/<area>/js/<module>.js), so every
 * word comes from the message catalogue and no page repeats the frame.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { DEFAULT_LOCALE, LOCALES, type Locale, translate } from '../../i18n/catalogue.ts';
import { assetUrl } from '../../pages/assets.ts';
import { FAVICON, html } from '../../pages/html.ts';

/** The cookie the pages' language switch writes (web/assets/i18n.js), so a page's first paint is in that language. */
export const LANG_COOKIE = 'yanbao_lang';

type Area = 'site' | 'portal' | 'audit';

interface WebPage {
  /** The name the navigation marks as current and `<body data-page>` carries. */
  page: string;
  area: Area;
  /** The title's catalogue code ("namespace:key"). */
  title: string;
  /** The page's module under web/. */
  module: string;
  /** Scripts a page needs before its module (classic scripts such as Chart.js). */
  scripts?: string[];
}

const portal = (page: string, title = page, module = page): WebPage => ({
  page,
  area: 'portal',
  title: `portal:title.${title}`,
  module: `/portal/js/${module}.js`,
});
const audit = (page: string, module = page): WebPage => ({
  page,
  area: 'audit',
  title: `audit:title.${page}`,
  module: `/audit/js/${module}.js`,
});

const SITE_HOME: WebPage = {
  page: 'landing',
  area: 'site',
  title: 'portal:title.landing',
  module: '/assets/landing.js',
};
const PORTAL_HOME = portal('dashboard');
const AUDIT_HOME = audit('workflows');

/** URL → page. The URLs are the ones the pages had as files, so links, bookmarks and tests keep working. */
export const WEB_PAGES: Record<string, WebPage> = {
  '/': SITE_HOME,
  '/index.html': SITE_HOME,
  '/portal/': PORTAL_HOME,
  '/portal/index.html': PORTAL_HOME,
  '/portal/login.html': portal('login'),
  '/portal/signup.html': portal('signup'),
  '/portal/forgot-password.html': portal('forgot-password', 'forgot'),
  '/portal/account.html': portal('account'),
  '/portal/products.html': portal('products'),
  '/portal/drafts.html': portal('drafts'),
  '/portal/draft-new.html': portal('draft-new', 'draftNew'),
  '/portal/draft.html': portal('draft'),
  '/portal/review.html': portal('review'),
  '/portal/plans.html': portal('plans'),
  '/portal/plan.html': portal('plan'),
  '/portal/dashboard.html': {
    ...portal('stats', 'stats', 'dashboard'),
    scripts: ['/api/v1/statistics/chart.umd.min.js'],
  },
  '/portal/claims.html': portal('claims'),
  '/portal/orders.html': portal('orders'),
  '/portal/order.html': portal('order'),
  '/portal/cancellations.html': portal('cancellations'),
  '/portal/users.html': portal('users'),
  '/audit/': AUDIT_HOME,
  '/audit/index.html': AUDIT_HOME,
  '/audit/login.html': audit('login'),
  '/audit/workflow.html': audit('workflow'),
  '/audit/manufacturers.html': audit('manufacturers'),
  '/audit/clauses.html': audit('clauses'),
  '/audit/messages.html': audit('messages'),
  '/audit/reconciliation.html': audit('reconciliation'),
  '/audit/staff.html': audit('staff'),
};

/** The language the page is first drawn in: the switch's cookie, else the portal's default. */
function pageLocale(request: FastifyRequest): Locale {
  const chosen = request.cookies?.[LANG_COOKIE];
  return LOCALES.find((locale) => locale === chosen) ?? DEFAULT_LOCALE;
}

/** The frame every page shares; the module draws the top bar and the content. */
export function layout(page: WebPage, locale: Locale): string {
  // The site's front page draws its own hero and footer around its content.
  const main =
    page.area === 'site' ? html`<div id="main"></div>` : html`<main class="container" id="main"></main>`;
  return html`<!doctype html>
<html lang="${locale}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${translate(locale, page.title)}</title>
<link rel="icon" type="image/svg+xml" href="${assetUrl(FAVICON)}">
<link rel="stylesheet" href="/assets/app.css">
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
<script type="module" src="${page.module}"></script>
</head>
<body data-title="${page.title}" data-page="${page.page}"><header class="topbar" id="topbar"></header>${main}</body>
</html>
`.value;
}

export const webPages: FastifyPluginAsync = async (app) => {
  for (const [url, page] of Object.entries(WEB_PAGES)) {
    app.get(url, { schema: { hide: true } }, (request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        // The language is in the page, so a shared cache must keep one copy per cookie; browsers revalidate.
        .header('cache-control', 'no-cache')
        .header('vary', 'cookie')
        .send(layout(page, pageLocale(request))),
    );
  }
};
