/**
 * The site's HTML error pages, in the consumer pages' shell (src/pages/html.ts page()): an unknown URL outside
 * /api/ (app.ts's not-found handler) and an order link that opens no order.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Lang, pickLang, words } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, pageHeaders, type SafeHtml } from '../../pages/html.ts';
import { LANG_COOKIE } from './web-pages.ts';

/** ?lang= first, then the portal's language switch (its cookie), then Accept-Language. */
function errorLang(request: FastifyRequest): Lang {
  const asked = (request.query as { lang?: unknown } | undefined)?.lang;
  if (asked === 'zh' || asked === 'en') return asked;
  const chosen = request.cookies?.[LANG_COOKIE];
  if (chosen === 'en') return 'en';
  if (chosen === 'zh-CN') return 'zh';
  return pickLang(request);
}

function sendError(request: FastifyRequest, reply: FastifyReply, lang: Lang, title: string, body: SafeHtml) {
  const path = request.url.split('?')[0] as string;
  const other = lang === 'zh' ? 'en' : 'zh';
  return pageHeaders(reply, 404)
    .header('vary', 'accept-language, cookie')
    .send(
      page({
        lang,
        staging: isStaging(request),
        title,
        switchUrl: `${path}?lang=${other}`,
        switchLabel: words(lang).switchTo,
        body: html`<div class="card" data-testid="not-found"><h1>${title}</h1>${body}</div>`,
      }),
    );
}

/** 404 for a URL no route answers (API paths keep their JSON, see app.ts). */
export function pageNotFound(request: FastifyRequest, reply: FastifyReply) {
  const lang = errorLang(request);
  const w = words(lang);
  return sendError(request, reply, lang, w.pageNotFoundTitle, html`<p>${w.pageNotFoundBody}</p>`);
}

/** 404 for an order link that opens no order: malformed, a wrong token or no such order. */
export function orderNotFound(request: FastifyRequest, reply: FastifyReply) {
  const lang = errorLang(request);
  const w = words(lang);
  return sendError(
    request,
    reply,
    lang,
    w.orderNotFoundTitle,
    html`<p>${w.orderNotFoundBody}</p><p><a class="button secondary" href="/lookup?lang=${lang}">${w.lookupLink}</a></p>`,
  );
}
