/**
 * Finding one's orders without the link (services/phone-lookup.ts): the phone
 * form, the code form, then a short signed cookie naming the verified phone.
 * Asking for a code answers the same page for every valid number; a code is
 * delivered only after the response has gone.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { formatFen } from '../../domain/money.ts';
import { orderUrl } from '../../domain/order-links.ts';
import { normalizeMobile } from '../../domain/phone.ts';
import { type Lang, pickLang, words } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, type SafeHtml, sendPage } from '../../pages/html.ts';
import { deliverAfterResponse } from '../../plugins/deliver-after-response.ts';
import { ordersOfPhone, requestLookupCode, verifyLookupCode } from '../../services/phone-lookup.ts';

const CONSUMER_COOKIE = 'yanbao_consumer';
const CONSUMER_SESSION_MS = 30 * 60_000;

export const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const deliverLater = deliverAfterResponse(app, 'lookup code');

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    content: (lang: Lang) => SafeHtml,
  ) {
    const lang = pickLang(request);
    const w = words(lang);
    return sendPage(
      reply,
      status,
      page({
        lang,
        staging: isStaging(request),
        title: w.lookupTitle,
        switchUrl: `${request.url.split('?')[0]}?lang=${lang === 'zh' ? 'en' : 'zh'}`,
        switchLabel: w.switchTo,
        body: content(lang),
      }),
    );
  }

  const phoneForm = (lang: Lang, phone = '', error?: string) => {
    const w = words(lang);
    return html`<h1>${w.lookupTitle}</h1><form class="card" method="post" action="/lookup/code?lang=${lang}"><p>${w.lookupIntro}</p>
<label for="phone">${w.phone}</label><input type="tel" id="phone" name="phone" value="${phone}" autocomplete="tel"${error ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="error">${error}</p>` : ''}<button type="submit">${w.sendCode}</button></form>`;
  };
  const codeForm = (lang: Lang, phone: string, error?: string) => {
    const w = words(lang);
    return html`<h1>${w.lookupTitle}</h1><form class="card" method="post" action="/lookup/verify?lang=${lang}"><p>${w.codeSent}</p>
<input type="hidden" name="phone" value="${phone}"><label for="code">${w.code}</label>
<input type="text" inputmode="numeric" id="code" name="code" maxlength="6" autocomplete="one-time-code"${error ? html` aria-invalid="true"` : ''}>
${error ? html`<p class="error">${error}</p>` : ''}<button type="submit">${w.verify}</button></form>`;
  };

  const LangQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) });

  app.get('/lookup', { schema: { hide: true, querystring: LangQuery } }, (request, reply) =>
    render(request, reply, 200, (lang) => phoneForm(lang)),
  );

  app.post(
    '/lookup/code',
    {
      config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        querystring: LangQuery,
        body: Type.Object({ phone: Type.String({ maxLength: 30 }) }),
      },
    },
    async (request, reply) => {
      const phone = normalizeMobile(request.body.phone);
      const lang = pickLang(request);
      if (!phone)
        return render(request, reply, 400, (l) =>
          phoneForm(
            l,
            request.body.phone,
            lang === 'zh' ? '不是有效的手机号码' : 'not a valid mobile number',
          ),
        );
      const requested = await requestLookupCode(request.em, config.linkSecret, phone);
      if (requested.outcome === 'too_many')
        return render(request, reply, 429, (l) =>
          phoneForm(
            l,
            request.body.phone,
            l === 'zh' ? '请求过于频繁，请稍后再试' : 'Too many codes requested; try again later',
          ),
        );
      deliverLater(request, requested.dedupeKey);
      return render(request, reply, 200, (l) => codeForm(l, phone));
    },
  );

  app.post(
    '/lookup/verify',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        hide: true,
        querystring: LangQuery,
        body: Type.Object({ phone: Type.String({ maxLength: 30 }), code: Type.String({ maxLength: 10 }) }),
      },
    },
    async (request, reply) => {
      const phone = normalizeMobile(request.body.phone) ?? '';
      const ok = await verifyLookupCode(request.em, config.linkSecret, phone, request.body.code);
      if (!ok)
        return render(request, reply, 400, (l) =>
          codeForm(l, phone, l === 'zh' ? '验证码错误或已过期' : 'Wrong or expired code'),
        );
      reply.setCookie(CONSUMER_COOKIE, `${phone}|${Date.now() + CONSUMER_SESSION_MS}`, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: config.env !== 'development',
        signed: true,
        maxAge: CONSUMER_SESSION_MS / 1000,
      });
      return reply.redirect(`/my-orders?lang=${pickLang(request)}`, 303);
    },
  );

  app.get('/my-orders', { schema: { hide: true, querystring: LangQuery } }, async (request, reply) => {
    const raw = request.cookies[CONSUMER_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    const [phone, until] = unsigned?.valid && unsigned.value ? unsigned.value.split('|') : [];
    if (!phone || Number(until) < Date.now()) return reply.redirect(`/lookup?lang=${pickLang(request)}`, 303);
    const orders = await ordersOfPhone(request.em, phone);
    return render(request, reply, 200, (lang) => {
      const w = words(lang);
      return html`<h1>${w.myOrders}</h1>${
        orders.length === 0
          ? html`<p class="card">${w.noOrders}</p>`
          : orders.map(({ order: o, plan }) => {
              return html`<a class="card order-link" href="${orderUrl('', o.orderNumber, config.linkSecret)}&lang=${lang}"><b>${lang === 'zh' ? plan?.nameZh : plan?.nameEn}</b><br><span class="muted">${o.orderNumber} · ${o.serialNumber} · ${w.status[o.status]} · ${formatFen(o.amountFen, o.currency)}${o.coverageEnd ? ` · ${o.coverageStart} – ${o.coverageEnd}` : ''}</span></a>`;
            })
      }`;
    });
  });
};
