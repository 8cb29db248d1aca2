/**
 * The consumer's repair pages (报修), server-rendered and usable without
 * JavaScript: the order's repair requests with their status and a plain
 * multipart form to file a new one (photos optional), and one request's
 * progress. Everything needs the order link's token (?t=), like the order page.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CoverageType } from '../../domain/catalog.ts';
import { earliestFaultDate, MAX_PHOTO_BYTES, MAX_PHOTOS, PHOTO_TYPES } from '../../domain/claim-rules.ts';
import { chinaDate, compareDates } from '../../domain/coverage.ts';
import type { ClaimStatus } from '../../domain/entities/claim.entity.ts';
import type { Order } from '../../domain/entities/order.entity.ts';
import { DomainError, type FieldProblem } from '../../domain/errors.ts';
import { formatFen } from '../../domain/money.ts';
import { problemInWords } from '../../i18n/errors.ts';
import { label } from '../../i18n/labels.ts';
import { assetUrl } from '../../pages/assets.ts';
import { type Lang, localeOf, pickLang } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, type SafeHtml, sendPage } from '../../pages/html.ts';
import { openOrderLink } from '../../plugins/order-link.ts';
import { claimsOfOrder, consumerClaimView, photosOf } from '../../services/claim-view.ts';
import { type ClaimForm, claimFactsOf, claimOfOrder, fileClaim, newClaimKey } from '../../services/claims.ts';
import { ClaimBody, claimUploadHook, registerClaimUploads, uploadOf } from '../claim-uploads.ts';
import { OrderNumber, OrderParams } from '../schemas.ts';
import { schemaProblemsOf } from '../validation.ts';

const WORDS = {
  zh: {
    switchTo: 'English',
    title: '报修',
    intro: '产品出现故障？在这里向厂商报修，并随时查看处理进度。',
    orderNumber: '订单号',
    backToOrder: '返回订单',
    backToClaims: '返回报修列表',
    myClaims: '我的报修',
    noClaims: '还没有报修记录。',
    newClaim: '新的报修',
    faultDescription: '故障描述',
    faultDescriptionHint: '请描述故障现象，例如“屏幕无法点亮”。',
    faultDate: '故障发生日期',
    contactPhone: '联系电话',
    coverageType: '故障类型（保障项目）',
    chooseType: '请选择',
    photos: '照片（选填）',
    photosHint: `最多 ${MAX_PHOTOS} 张，每张不超过 ${MAX_PHOTO_BYTES / 1024 / 1024} MB，JPG、PNG 或 WebP。`,
    photosAgain: '请重新选择照片。',
    submit: '提交报修',
    fixErrors: '请修改以下内容：',
    photoN: (n: number) => `第 ${n} 张照片：`,
    filedAt: '提交时间',
    claimTitle: '报修详情',
    claimNumber: '报修单号',
    filed: '报修已提交，厂商服务台处理后会短信通知您。',
    steps: ['已提交', '厂商已受理', '维修完成', '已结案'],
    status: {
      submitted: '已提交，等待厂商受理',
      accepted: '厂商已受理，正在安排维修',
      rejected: '未受理',
      repaired: '维修完成',
      closed: '已结案',
    } as Record<string, string>,
    reason: '原因',
    note: '厂商说明',
    outcome: '维修结果',
    outcomes: {
      repaired: '已维修',
      replaced: '已换新（本延保服务已履行完毕）',
      no_fault_found: '未发现故障',
    },
    cost: '延保承担费用',
    parts: '更换部件',
    yourPhotos: '您上传的照片',
    photoAlt: (n: number) => `报修照片 ${n}`,
    notActive: {
      ended: '该延保已因换新而履行完毕，不能再提交新的报修。',
      cancelled: '该延保已退保，不能再提交新的报修。',
      other: '该订单尚未生效，不能报修。',
    },
    notStarted: (start: string) => `您的延保将于 ${start} 开始生效；在此之前请使用原厂保修。`,
    notFoundTitle: '找不到该订单或报修',
    notFoundBody: '链接可能不完整。请使用确认短信中的订单链接，或通过手机号查询订单。',
  },
  en: {
    switchTo: '中文',
    title: 'Repair requests',
    intro:
      'Something wrong with your product? Ask the manufacturer for a repair here and follow its progress.',
    orderNumber: 'Order number',
    backToOrder: 'Back to the order',
    backToClaims: 'All repair requests',
    myClaims: 'My repair requests',
    noClaims: 'No repair requests yet.',
    newClaim: 'New repair request',
    faultDescription: 'What is wrong',
    faultDescriptionHint: 'Describe the fault, e.g. "the screen stays black".',
    faultDate: 'Date the fault happened',
    contactPhone: 'Contact phone',
    coverageType: 'Type of fault (what the plan covers)',
    chooseType: 'Please choose',
    photos: 'Photos (optional)',
    photosHint: `Up to ${MAX_PHOTOS}, ${MAX_PHOTO_BYTES / 1024 / 1024} MB each, JPEG, PNG or WebP.`,
    photosAgain: 'Please choose the photos again.',
    submit: 'Send repair request',
    fixErrors: 'Please correct:',
    photoN: (n: number) => `Photo ${n}: `,
    filedAt: 'Sent',
    claimTitle: 'Repair request',
    claimNumber: 'Request number',
    filed:
      "Your repair request was sent. We will text you when the manufacturer's service desk has handled it.",
    steps: ['Sent', 'Accepted by the manufacturer', 'Repaired', 'Closed'],
    status: {
      submitted: 'Sent, waiting for the manufacturer',
      accepted: 'Accepted, repair being arranged',
      rejected: 'Not accepted',
      repaired: 'Repair done',
      closed: 'Closed',
    } as Record<string, string>,
    reason: 'Reason',
    note: "Manufacturer's note",
    outcome: 'Outcome',
    outcomes: {
      repaired: 'Repaired',
      replaced: 'Replaced (this fulfils your plan)',
      no_fault_found: 'No fault found',
    },
    cost: 'Paid by your plan',
    parts: 'Parts',
    yourPhotos: 'Your photos',
    photoAlt: (n: number) => `Repair photo ${n}`,
    notActive: {
      ended: 'This plan was fulfilled by a replacement; no new repair requests can be sent.',
      cancelled: 'This plan was cancelled; no new repair requests can be sent.',
      other: 'This order is not active yet, so no repair can be requested.',
    },
    notStarted: (start: string) =>
      `Your extended warranty starts on ${start}; until then the manufacturer's own warranty applies.`,
    notFoundTitle: 'Order or repair request not found',
    notFoundBody:
      'The link may be incomplete. Use the order link from your confirmation message, or look up your orders by phone.',
  },
};

const withLang = (url: string, lang: Lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

function shell(request: FastifyRequest, title: string, path: string, token: string, body: SafeHtml) {
  const lang = pickLang(request);
  const w = WORDS[lang];
  return page({
    lang,
    staging: isStaging(request),
    title,
    switchUrl: withLang(`${path}?t=${encodeURIComponent(token)}`, lang === 'zh' ? 'en' : 'zh'),
    switchLabel: w.switchTo,
    body: html`<link rel="stylesheet" href="${assetUrl('/consumer/claims.css')}">${body}`,
  });
}

function notFoundPage(request: FastifyRequest, reply: FastifyReply) {
  const lang = pickLang(request);
  const w = WORDS[lang];
  return sendPage(
    reply,
    404,
    page({
      lang,
      staging: isStaging(request),
      title: w.notFoundTitle,
      body: html`<div class="card"><h1>${w.notFoundTitle}</h1><p>${w.notFoundBody}</p></div>`,
    }),
  );
}

export const consumerClaimPages: FastifyPluginAsyncTypebox = async (app) => {
  const { config, temporal: client } = app.deps;
  await registerClaimUploads(app);

  const ClaimParams = Type.Object({
    orderNumber: OrderNumber,
    claimNumber: Type.String({ maxLength: 32 }),
  });
  const PageQuery = Type.Object({
    t: Type.String({ maxLength: 64 }),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
  });

  const linkOf = (order: Order, token: string, lang: Lang, suffix = '') =>
    `/o/${order.orderNumber}${suffix}?t=${encodeURIComponent(token)}${lang === 'en' ? '&lang=en' : ''}`;

  /** The order's repair requests and, while it is covered, the form for a new one. */
  async function renderClaims(
    request: FastifyRequest,
    reply: FastifyReply,
    order: Order,
    token: string,
    options: {
      form?: Partial<ClaimForm>;
      problems?: FieldProblem[];
      status?: number;
      hadPhotos?: boolean;
    } = {},
  ) {
    const lang = pickLang(request);
    const w = WORDS[lang];
    const { claims } = await claimsOfOrder(request.em, order);
    const {
      claimableTypes: types,
      today,
      coverageStart,
      paidOn,
      rule,
    } = await claimFactsOf(request.em, order);
    const earliest = coverageStart && paidOn ? earliestFaultDate(coverageStart, paidOn, rule) : null;
    const problems = options.problems ?? [];
    const form = options.form ?? {};
    const path = `/o/${order.orderNumber}/claims`;

    const problemsOf = (field: string) =>
      problems.filter((p) => p.field === field || p.field.startsWith(`${field}/`));
    const fieldError = (field: string) => {
      const found = problemsOf(field);
      if (found.length === 0) return '';
      // Ajv may report one blank field twice (minLength and pattern): say it once.
      const lines = [
        ...new Set(
          found.map((p) => {
            const index = /\/(\d+)$/.exec(p.field);
            return `${index ? w.photoN(Number(index[1]) + 1) : ''}${problemInWords(lang, p)}`;
          }),
        ),
      ];
      return html`<p class="error" id="${field}-error">${lines.map((line, i) => html`${i > 0 ? html`<br>` : ''}${line}`)}</p>`;
    };
    const invalidAttrs = (field: string) =>
      problemsOf(field).length > 0 ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
    const formFields = ['faultDescription', 'faultDate', 'contactPhone', 'coverageType', 'photos'];
    const general = problems.filter(
      (p) => !formFields.some((f) => p.field === f || p.field.startsWith(`${f}/`)),
    );

    const list =
      claims.length === 0
        ? html`<p class="muted" data-testid="no-claims">${w.noClaims}</p>`
        : html`<ul class="claim-list" data-testid="claim-list">${claims.map(
            (c) =>
              html`<li data-claim="${c.claimNumber}"><a href="${linkOf(order, token, lang, `/claims/${c.claimNumber}`)}"><b>${label(localeOf(lang), 'coverage', c.coverageType)}</b> · ${c.faultDate}<br><span class="claim-status s-${c.status}">${w.status[c.status]}</span> <span class="muted">${c.claimNumber}</span></a></li>`,
          )}</ul>`;

    let newClaim: SafeHtml;
    if (order.status !== 'active') {
      const reason: 'ended' | 'cancelled' | 'other' =
        order.status === 'ended' ? 'ended' : order.status === 'cancelled' ? 'cancelled' : 'other';
      newClaim = html`<p class="notice warn" data-testid="not-claimable">${w.notActive[reason]}</p>`;
    } else if (order.coverageStart && compareDates(today, order.coverageStart) < 0) {
      newClaim = html`<p class="notice warn" data-testid="not-started">${w.notStarted(order.coverageStart)}</p>`;
    } else {
      const phone = form.contactPhone ?? order.consumerPhone;
      newClaim = html`<form method="post" action="${linkOf(order, token, lang, '/claims')}" enctype="multipart/form-data" novalidate data-testid="claim-form">
${problems.length > 0 ? html`<div class="errors" role="alert">${w.fixErrors}${general.map((p) => html`<br>${problemInWords(lang, p)}`)}${options.hadPhotos ? html`<br>${w.photosAgain}` : ''}</div>` : ''}
<label for="coverageType">${w.coverageType}</label><select id="coverageType" name="coverageType"${invalidAttrs('coverageType')}><option value="">${w.chooseType}</option>${types.map(
        (t: CoverageType) =>
          html`<option value="${t}"${form.coverageType === t ? html` selected` : ''}>${label(localeOf(lang), 'coverage', t)}</option>`,
      )}</select>${fieldError('coverageType')}
<label for="faultDate">${w.faultDate}</label><input type="date" id="faultDate" name="faultDate" max="${today}"${earliest ? html` min="${earliest}"` : ''} value="${form.faultDate ?? ''}"${invalidAttrs('faultDate')}>${fieldError('faultDate')}
<label for="faultDescription">${w.faultDescription}</label><textarea id="faultDescription" name="faultDescription" maxlength="2000" rows="4"${invalidAttrs('faultDescription')}>${form.faultDescription ?? ''}</textarea><p class="hint">${w.faultDescriptionHint}</p>${fieldError('faultDescription')}
<label for="contactPhone">${w.contactPhone}</label><input type="tel" id="contactPhone" name="contactPhone" autocomplete="tel" maxlength="20" value="${phone}"${invalidAttrs('contactPhone')}>${fieldError('contactPhone')}
<label for="photos">${w.photos}</label><input type="file" id="photos" name="photos" accept="${PHOTO_TYPES.join(',')}" multiple${invalidAttrs('photos')}><p class="hint">${w.photosHint}</p>${fieldError('photos')}
<input type="hidden" name="idempotencyKey" value="${form.idempotencyKey ?? newClaimKey()}">
<button type="submit" data-testid="submit-claim">${w.submit}</button></form>`;
    }

    const body = html`<h1>${w.title}</h1><p class="muted">${w.orderNumber} <b>${order.orderNumber}</b></p><p>${w.intro}</p>
<section class="card"><h2>${w.myClaims}</h2>${list}</section>
<section class="card" id="new-claim"><h2>${w.newClaim}</h2>${newClaim}</section>
<p class="links"><a href="${linkOf(order, token, lang)}">${w.backToOrder}</a></p>`;
    return sendPage(
      reply,
      options.status ?? 200,
      shell(request, `${w.title} · ${order.orderNumber}`, path, token, body),
    );
  }

  app.get(
    '/o/:orderNumber/claims',
    {
      // A malformed link opens no order: the not-found page, not a JSON 400.
      attachValidation: true,
      preHandler: openOrderLink,
      schema: { hide: true, params: OrderParams, querystring: PageQuery },
    },
    async (request, reply) => {
      const order = request.linkedOrder;
      if (!order) return notFoundPage(request, reply);
      return renderClaims(request, reply, order, request.query.t);
    },
  );

  app.post(
    '/o/:orderNumber/claims',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      preValidation: claimUploadHook(config.linkSecret, notFoundPage),
      preHandler: openOrderLink,
      schema: { hide: true, params: OrderParams, querystring: PageQuery, body: ClaimBody },
    },
    async (request, reply) => {
      const order = request.linkedOrder;
      if (!order) return notFoundPage(request, reply);
      const form = (request.body ?? {}) as Partial<ClaimForm>;
      const upload = uploadOf(request);
      try {
        const claim = await fileClaim(
          { em: request.em, client, config },
          order,
          form,
          upload,
          schemaProblemsOf(request),
        );
        return reply.redirect(
          `${linkOf(order, request.query.t, pickLang(request), `/claims/${claim.claimNumber}`)}&filed=1`,
          303,
        );
      } catch (err) {
        if (err instanceof DomainError && err.status < 500)
          return renderClaims(request, reply, order, request.query.t, {
            form,
            problems: err.fields.length > 0 ? err.fields : [{ field: 'form', ...err.detail }],
            status: err.status,
            hadPhotos: upload.photos.length > 0,
          });
        throw err;
      }
    },
  );

  app.get(
    '/o/:orderNumber/claims/:claimNumber',
    {
      preHandler: openOrderLink,
      schema: {
        hide: true,
        params: ClaimParams,
        querystring: Type.Composite([
          PageQuery,
          Type.Object({ filed: Type.Optional(Type.String({ maxLength: 1 })) }),
        ]),
      },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const w = WORDS[lang];
      const { t } = request.query;
      const order = request.linkedOrder;
      const claim = order ? await claimOfOrder(request.em, order, request.params.claimNumber) : null;
      if (!order || !claim) return notFoundPage(request, reply);
      const view = consumerClaimView(claim, order, await photosOf(request.em, [claim.id]), t);
      const reached = { submitted: 1, accepted: 2, rejected: 1, repaired: 3, closed: 4 }[
        claim.status as ClaimStatus
      ];
      const steps = (['submitted', 'accepted', 'repaired', 'closed'] as const).map(
        (step, i) =>
          html`<li data-step="${step}"${i < reached ? html` class="done"` : ''}>${w.steps[i]}</li>`,
      );
      const body = html`<h1>${w.claimTitle}</h1><p class="muted">${w.claimNumber} <b id="claim-number">${claim.claimNumber}</b></p>
${request.query.filed ? html`<p class="notice" role="status" data-testid="filed">${w.filed}</p>` : ''}
<section class="card"><h2 id="claim-status" data-status="${claim.status}">${w.status[claim.status]}</h2>
${claim.status === 'rejected' ? '' : html`<ol class="steps">${steps}</ol>`}
${view.decisionReason ? html`<p data-testid="decision-reason"><b>${claim.status === 'rejected' ? w.reason : w.note}：</b>${view.decisionReason}</p>` : ''}
${
  view.outcome
    ? html`<div class="facts" data-testid="repair"><div><span>${w.outcome}</span>${w.outcomes[view.outcome]}</div><div><span>${w.cost}</span>${formatFen(view.repairCostFen ?? 0, view.currency)}</div>${view.parts ? html`<div><span>${w.parts}</span>${view.parts}</div>` : ''}</div>`
    : ''
}</section>
<section class="card"><div class="facts"><div><span>${w.coverageType}</span>${label(localeOf(lang), 'coverage', claim.coverageType)}</div><div><span>${w.faultDate}</span>${claim.faultDate}</div>
<div><span>${w.filedAt}</span>${chinaDate(claim.createdAt)}</div><div><span>${w.contactPhone}</span>${claim.contactPhone}</div></div>
<p>${claim.faultDescription}</p>
${
  view.photos.length > 0
    ? html`<h2>${w.yourPhotos}</h2><div class="photos">${view.photos.map(
        (p, i) =>
          html`<a href="${p.url}"><img src="${p.url}" width="140" alt="${w.photoAlt(i + 1)}" data-testid="claim-photo"></a>`,
      )}</div>`
    : ''
}</section>
<p class="links"><a href="${linkOf(order, t, lang, '/claims')}">${w.backToClaims}</a><a href="${linkOf(order, t, lang)}">${w.backToOrder}</a></p>`;
      return sendPage(
        reply,
        200,
        shell(
          request,
          `${w.claimTitle} ${claim.claimNumber}`,
          `/o/${order.orderNumber}/claims/${claim.claimNumber}`,
          t,
          body,
        ),
      );
    },
  );
};
