/**
 * The consumer's cancellation page (/o/<orderNumber>/cancel?t=<token>),
 * server-rendered, no JavaScript: what cancelling today refunds — as a
 * figure and in words, like on a receipt — why, and a confirm form. The
 * confirmation starts CancellationWorkflow and returns to the order page
 * once the refund is settled (or after a few seconds, whichever is first).
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { fenInChineseWords, fenInEnglishWords } from '../../domain/amount-in-words.ts';
import type { Order } from '../../domain/entities/index.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { formatFen } from '../../domain/money.ts';
import { ORDER_NUMBER_PATTERN } from '../../domain/order-links.ts';
import { problemInWords } from '../../i18n/errors.ts';
import { type Lang, words as orderWords, pickLang } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, type SafeHtml, sendPage } from '../../pages/html.ts';
import { openOrderLink } from '../../plugins/order-link.ts';
import {
  type CancellationPreview,
  cancellationOf,
  previewCancellation,
  requestCancellation,
} from '../../services/cancellations.ts';
import { cancellationSettled } from '../../temporal/cancellation.client.ts';
import { MAX_FEN } from '../schemas.ts';
import { readFormFields, validationProblems } from '../validation.ts';

const WORDS = {
  zh: {
    title: '退保',
    orderNumber: '订单号',
    refund: '退保可退金额',
    inWords: '大写',
    paid: '已付金额',
    remaining: '剩余保障天数',
    days: (remaining: number, total: number) => `${remaining} / ${total} 天`,
    proRated: '按剩余天数折算',
    claimsDeducted: '扣除已批准的维修费用',
    fullRefund: (ends: string) => `您在冷静期内（至 ${ends}）且没有报修记录，全额退款。`,
    proRatedRefund: (ends: string, within: boolean) =>
      within
        ? `您在冷静期内（至 ${ends}），但已有报修记录，按剩余保障天数折算退款，并扣除已批准的维修费用。`
        : `冷静期已于 ${ends} 结束，按剩余保障天数折算退款，并扣除已批准的维修费用，最低为零。`,
    reason: '退保原因（选填）',
    notice: '确认后保障立即终止，且不可撤销；退款原路退回您的支付账户。',
    confirm: '确认退保',
    back: '返回订单',
    fixErrors: '请修改以下内容：',
    refundChanged: '退款金额已经变化，请确认新的金额。',
    cannotTitle: '该订单无法退保',
    claimOpen: '该订单还有正在处理的报修，请在报修完成后再申请退保。',
    notActive: (status: string) => `只有保障中的订单可以退保，该订单目前为「${status}」。`,
    notFound: '找不到该订单，链接可能不完整。',
    requested: '退保已受理，正在退款。',
    refunded: '已退保',
    refundedBody: (amount: string) => `退款 ${amount} 已原路退回您的支付账户。`,
    nothingRefunded: '按退保规则，本次没有可退金额。',
  },
  en: {
    title: 'Cancel this plan',
    orderNumber: 'Order number',
    refund: 'Refund if you cancel today',
    inWords: 'In words',
    paid: 'Paid',
    remaining: 'Coverage days left',
    days: (remaining: number, total: number) => `${remaining} of ${total} days`,
    proRated: 'Pro-rated for the days left',
    claimsDeducted: 'Approved repair costs deducted',
    fullRefund: (ends: string) =>
      `You are within the cooling-off period (until ${ends}) and have not requested a repair: full refund.`,
    proRatedRefund: (ends: string, within: boolean) =>
      within
        ? `You are within the cooling-off period (until ${ends}) but have requested a repair, so the refund is pro-rated for the coverage days left, minus approved repair costs.`
        : `The cooling-off period ended on ${ends}: the refund is pro-rated for the coverage days left, minus approved repair costs, and never below zero.`,
    reason: 'Why are you cancelling? (optional)',
    notice:
      'Once confirmed, coverage ends at once and this cannot be undone. The refund goes back to the account you paid with.',
    confirm: 'Confirm cancellation',
    back: 'Back to my order',
    fixErrors: 'Please correct:',
    refundChanged: 'The refund has changed; please check the new amount.',
    cannotTitle: 'This order cannot be cancelled',
    claimOpen: 'A repair request on this order is still being handled. Cancel once it is closed.',
    notActive: (status: string) => `Only a covered order can be cancelled; this one is "${status}".`,
    notFound: 'Order not found: the link may be incomplete.',
    requested: 'Cancellation received; the refund is on its way.',
    refunded: 'Cancelled',
    refundedBody: (amount: string) => `${amount} has been refunded to the account you paid with.`,
    nothingRefunded: 'Under the cancellation terms, nothing is refunded.',
  },
};

const amountInWords = (amountFen: number, currency: string, lang: Lang) =>
  currency !== 'CNY' ? null : lang === 'zh' ? fenInChineseWords(amountFen) : fenInEnglishWords(amountFen);

// ——— pages ———

const withLang = (url: string, lang: Lang) =>
  lang === 'en' ? `${url}${url.includes('?') ? '&' : '?'}lang=en` : url;

/** A cancelled order's cancellation and refund, for the cancel page and the order page. */
export async function cancellationSummary(em: EntityManager, order: Order, lang: Lang): Promise<SafeHtml> {
  const record = await cancellationOf(em, order);
  if (!record) return html``;
  const w = WORDS[lang];
  const amount = formatFen(record.refundFen, record.currency);
  const inWords = amountInWords(record.refundFen, record.currency, lang);
  return html`<section class="card" id="cancellation" data-status="${record.status}"><h2>${record.status === 'refunded' ? w.refunded : w.requested}</h2>
<div class="facts"><div><span>${w.refund}</span><b class="price" id="refund-amount">${amount}</b></div>${inWords ? html`<div><span>${w.inWords}</span>${inWords}</div>` : ''}</div>
${record.status === 'refunded' ? html`<p>${record.refundFen > 0 ? w.refundedBody(amount) : w.nothingRefunded}</p>` : ''}</section>`;
}

/** The consumer's cancellation page and its no-JavaScript confirm form. */
export const consumerCancellationPages: FastifyPluginAsyncTypebox = async (app) => {
  const { config, temporal: client } = app.deps;
  await app.register(formbody);

  const Params = Type.Object({ orderNumber: Type.String({ pattern: ORDER_NUMBER_PATTERN }) });
  const Query = Type.Object({
    t: Type.String({ maxLength: 64 }),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
  });
  // What the form posts (expectedRefundFen read by readFormFields); a blank reason means none.
  const FormBody = Type.Object({
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    expectedRefundFen: Type.Integer({ minimum: 0, maximum: MAX_FEN }),
  });
  type Request = FastifyRequest & { params: { orderNumber: string }; query: { t: string; lang?: string } };

  const links = (request: Request, lang: Lang) => {
    const { orderNumber } = request.params;
    const token = `t=${encodeURIComponent(request.query.t)}`;
    return {
      order: withLang(`/o/${orderNumber}?${token}`, lang),
      cancel: withLang(`/o/${orderNumber}/cancel?${token}`, lang),
      switchTo: `/o/${orderNumber}/cancel?${token}&lang=${lang === 'zh' ? 'en' : 'zh'}`,
    };
  };

  function render(request: Request, reply: FastifyReply, status: number, body: SafeHtml, title?: string) {
    const lang = pickLang(request);
    return sendPage(
      reply,
      status,
      page({
        lang,
        staging: isStaging(request),
        title: title ?? `${WORDS[lang].title} ${request.params.orderNumber}`,
        switchUrl: links(request, lang).switchTo,
        switchLabel: orderWords(lang).switchTo,
        body,
      }),
    );
  }

  const message = (request: Request, reply: FastifyReply, status: number, title: string, text: string) =>
    render(request, reply, status, html`<div class="card"><h1>${title}</h1><p>${text}</p></div>`, title);

  /** The order, or the 404 page already sent. */
  function orderOf(request: Request, reply: FastifyReply) {
    const order = request.linkedOrder;
    if (!order) {
      const w = WORDS[pickLang(request)];
      message(request, reply, 404, w.cannotTitle, w.notFound);
    }
    return order;
  }

  /** Why the order cannot be cancelled, or its cancellation if it already has one. */
  async function refusal(request: Request, reply: FastifyReply, order: Order) {
    const lang = pickLang(request);
    const w = WORDS[lang];
    if (await cancellationOf(request.em, order)) {
      const summary = await cancellationSummary(request.em, order, lang);
      return render(
        request,
        reply,
        200,
        html`<h1>${w.title}</h1><p class="muted">${w.orderNumber} <b>${order.orderNumber}</b></p>${summary}<a class="button secondary" href="${links(request, lang).order}">${w.back}</a>`,
      );
    }
    const text =
      order.status === 'active'
        ? w.claimOpen
        : w.notActive(orderWords(lang).status[order.status] ?? order.status);
    return message(request, reply, 409, w.cannotTitle, text);
  }

  function renderPreview(
    request: Request,
    reply: FastifyReply,
    preview: CancellationPreview,
    options: { status?: number; problems?: FieldProblem[]; reason?: string } = {},
  ) {
    const lang = pickLang(request);
    const w = WORDS[lang];
    const fen = (amount: number) => formatFen(amount, preview.currency);
    const inWords = amountInWords(preview.refundFen, preview.currency, lang);
    const fullRefund = preview.basis === 'cooling_off_full';
    const problems = options.problems ?? [];
    const body = html`<h1>${w.title}</h1><p class="muted">${w.orderNumber} <b id="order-number">${preview.orderNumber}</b></p>
<section class="card" id="preview"><h2>${w.refund}</h2><p class="price" id="refund-amount">${fen(preview.refundFen)}</p>
${inWords ? html`<p id="refund-words"><span class="muted">${w.inWords}</span> ${inWords}</p>` : ''}
<p id="refund-rule">${fullRefund ? w.fullRefund(preview.coolingOffEnds) : w.proRatedRefund(preview.coolingOffEnds, preview.withinCoolingOff)}</p>
<div class="facts"><div><span>${w.paid}</span>${fen(preview.amountFen)}</div><div><span>${w.remaining}</span>${w.days(preview.remainingDays, preview.totalDays)}</div>
${fullRefund ? '' : html`<div><span>${w.proRated}</span>${fen(preview.proRatedFen)}</div><div><span>${w.claimsDeducted}</span>${fen(preview.approvedClaimsFen)}</div>`}</div></section>
<form class="card" method="post" action="${links(request, lang).cancel}" novalidate>
${problems.length > 0 ? html`<div class="errors" role="alert">${w.fixErrors}${problems.map((p) => html`<br>${p.field === 'expectedRefundFen' ? w.refundChanged : problemInWords(lang, p)}`)}</div>` : ''}
<label for="reason">${w.reason}</label><input type="text" id="reason" name="reason" maxlength="500" value="${options.reason ?? ''}">
<input type="hidden" name="expectedRefundFen" value="${preview.refundFen}">
<p class="muted">${w.notice}</p>
<button type="submit" data-testid="confirm-cancel">${w.confirm}</button>
<a class="button secondary" href="${links(request, lang).order}">${w.back}</a></form>`;
    return render(request, reply, options.status ?? 200, body);
  }

  app.get(
    '/o/:orderNumber/cancel',
    {
      // A malformed link opens no order: the not-found page, not a JSON 400.
      attachValidation: true,
      preHandler: openOrderLink,
      schema: { hide: true, params: Params, querystring: Query },
    },
    async (request, reply) => {
      const order = orderOf(request, reply);
      if (!order) return;
      const preview = await previewOrNull(request.em, order);
      if (!preview) return refusal(request, reply, order);
      return renderPreview(request, reply, preview);
    },
  );

  app.post(
    '/o/:orderNumber/cancel',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      preValidation: readFormFields(FormBody),
      preHandler: openOrderLink,
      schema: { hide: true, params: Params, querystring: Query, body: FormBody },
    },
    async (request, reply) => {
      const order = orderOf(request, reply);
      if (!order) return;
      // Read before validation is looked at (the preview page shows it again), so it may be anything.
      const rawReason: unknown = request.body?.reason;
      const reason = (typeof rawReason === 'string' && rawReason.trim()) || undefined;
      const preview = await previewOrNull(request.em, order);
      // Already cancelled (a second tap after the first finished) or no longer cancellable.
      if (!preview) {
        if (await cancellationOf(request.em, order))
          return reply.redirect(links(request, pickLang(request)).order, 303);
        return refusal(request, reply, order);
      }
      if (request.validationError)
        return renderPreview(request, reply, preview, {
          status: 400,
          problems: validationProblems(request.validationError.validation),
          reason,
        });
      try {
        await requestCancellation({ em: request.em, client, config }, order, {
          reason,
          expectedRefundFen: request.body?.expectedRefundFen,
        });
      } catch (err) {
        // Requested meanwhile with another reason (a second tab): the order page shows that one.
        if (err instanceof DomainError && err.code === 'idempotency_key_reused')
          return reply.redirect(links(request, pickLang(request)).order, 303);
        if (!(err instanceof DomainError) || err.status !== 409) throw err;
        if (err.fields.some((f) => f.field === 'expectedRefundFen'))
          return renderPreview(request, reply, preview, { status: 409, problems: err.fields, reason });
        return refusal(request, reply, order);
      }
      await cancellationSettled(client, order.orderNumber, 10_000);
      return reply.redirect(links(request, pickLang(request)).order, 303);
    },
  );
};

/** The preview, or null when the order cannot be cancelled (the API's 409). */
function previewOrNull(em: EntityManager, order: Order): Promise<CancellationPreview | null> {
  return previewCancellation(em, order).catch((err: unknown) => {
    if (err instanceof DomainError && err.status === 409) return null;
    throw err;
  });
}
