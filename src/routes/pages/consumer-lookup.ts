/**
 * Finding one's orders without the link: a one-time code sent to the phone
 * the plan was bought with (rate-limited, expiring after 5 minutes, single
 * use, 5 tries), then a short signed cookie naming the verified phone.
 *
 * Asking for a code answers the same for every valid number — status, page
 * and the request's own work (one challenge row, one statement) — whether or
 * not it bought something, so the form cannot be used to find customers: the
 * message is written in the same statement only for a number with orders and
 * delivered after the response.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Order, PhoneChallenge, Plan } from '../../domain/entities/index.ts';
import { formatFen } from '../../domain/money.ts';
import { orderUrl } from '../../domain/order-links.ts';
import { normalizeMobile } from '../../domain/phone.ts';
import { deliverPending } from '../../notifications/notifier.ts';
import { type Lang, pickLang, words } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, type SafeHtml } from '../../pages/html.ts';

const CODE_TTL_MS = 5 * 60_000;
const MAX_ATTEMPTS = 5;
const MAX_CODES_PER_PHONE_PER_HOUR = 5;
const CONSUMER_COOKIE = 'yanbao_consumer';
const CONSUMER_SESSION_MS = 30 * 60_000;

export const lookupRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, notifications, orm } = app.deps;
  const codeHash = (phone: string, code: string) =>
    createHmac('sha256', config.linkSecret).update(`otp:${phone}:${code}`).digest('hex');

  // Codes are delivered once the response has gone, off the request's clock; closing waits for them.
  const toDeliver = new WeakMap<FastifyRequest, string>();
  const deliveries = new Set<Promise<unknown>>();
  app.addHook('onResponse', async (request) => {
    const dedupeKey = toDeliver.get(request);
    if (!dedupeKey) return;
    const delivery = deliverPending(orm.em.fork(), notifications, [dedupeKey])
      .catch((err: unknown) => request.log.error({ err }, 'lookup code not delivered'))
      .finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled(deliveries);
  });

  function render(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    content: (lang: Lang) => SafeHtml,
  ) {
    const lang = pickLang(request);
    const w = words(lang);
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(
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
      const em = request.em;
      const recent = await em.count(PhoneChallenge, {
        phone,
        createdAt: { $gt: new Date(Date.now() - 3_600_000) },
      });
      if (recent >= MAX_CODES_PER_PHONE_PER_HOUR)
        return render(request, reply, 429, (l) =>
          phoneForm(
            l,
            request.body.phone,
            l === 'zh' ? '请求过于频繁，请稍后再试' : 'Too many codes requested; try again later',
          ),
        );
      // Every request stores a challenge (so the per-phone limit counts requests, whoever asks); the
      // message is written only for a number that bought something, in the same statement.
      const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
      const challengeId = randomUUID();
      const dedupeKey = `lookup-code:${challengeId}`;
      await em.getConnection().execute(
        `with challenge as (
           insert into phone_challenge (id, created_at, updated_at, phone, code_hash, expires_at, attempts)
           values (?, now(), now(), ?, ?, ?, 0))
         insert into notification (id, created_at, updated_at, dedupe_key, channel, recipient, subject, body, status, next_attempt_at, template, template_params)
         select ?, now(), now(), ?, 'sms', ?, ?, ?, 'pending', now(), 'lookup_code', ?
         where exists (select 1 from purchase_order where consumer_phone = ?)`,
        [
          challengeId,
          phone,
          codeHash(phone, code),
          new Date(Date.now() + CODE_TTL_MS),
          randomUUID(),
          dedupeKey,
          phone,
          '延保查询验证码 / Yanbao lookup code',
          `验证码 ${code}，5 分钟内有效。Your code is ${code}, valid for 5 minutes.`,
          JSON.stringify({ code }),
          phone,
        ],
      );
      toDeliver.set(request, dedupeKey);
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
      const connection = request.em.getConnection();
      // Each guess takes one of the newest code's tries in a single statement: simultaneous guesses
      // queue on the row and each counts, so no more than MAX_ATTEMPTS are ever compared. A newer code
      // retires the older ones.
      const [tried] = await connection.execute<{ id: string; code_hash: string }[]>(
        `update phone_challenge set attempts = attempts + 1, updated_at = now()
         where id = (select id from phone_challenge where phone = ? and expires_at > now()
                     order by created_at desc limit 1)
           and consumed_at is null and attempts < ?
         returning id, code_hash`,
        [phone, MAX_ATTEMPTS],
      );
      const given = Buffer.from(codeHash(phone, request.body.code.trim()));
      // Single use, also when the right code arrives twice at once: only one request consumes it.
      const ok =
        tried !== undefined &&
        timingSafeEqual(given, Buffer.from(tried.code_hash)) &&
        (
          await connection.execute(
            'update phone_challenge set consumed_at = now() where id = ? and consumed_at is null returning id',
            [tried.id],
          )
        ).length === 1;
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
    const orders = await request.em.find(
      Order,
      { consumerPhone: phone },
      { orderBy: { createdAt: 'desc' }, limit: 50 },
    );
    const plans = await request.em.find(Plan, { id: { $in: orders.map((o) => o.plan) } });
    return render(request, reply, 200, (lang) => {
      const w = words(lang);
      return html`<h1>${w.myOrders}</h1>${
        orders.length === 0
          ? html`<p class="card">${w.noOrders}</p>`
          : orders.map((o) => {
              const plan = plans.find((p) => p.id === o.plan);
              return html`<a class="card order-link" href="${orderUrl('', o.orderNumber, config.linkSecret)}&lang=${lang}"><b>${lang === 'zh' ? plan?.nameZh : plan?.nameEn}</b><br><span class="muted">${o.orderNumber} · ${o.serialNumber} · ${w.status[o.status]} · ${formatFen(o.amountFen, o.currency)}${o.coverageEnd ? ` · ${o.coverageStart} – ${o.coverageEnd}` : ''}</span></a>`;
            })
      }`;
    });
  });
};
