/**
 * The consumer's pages (patent modules 9 and 10), server-rendered and light:
 * the QR landing page and its purchase form, the per-unit QR landing page,
 * the order page with live steps and certificate, and lookup by phone.
 */
import formbody from '@fastify/formbody';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { chinaDate } from '../../domain/coverage.ts';
import { Notification } from '../../domain/entities/index.ts';
import type { PaymentProviderName } from '../../domain/entities/order.entity.ts';
import {
  DomainError,
  type FieldProblem,
  isOutage,
  OUTAGE_MESSAGE,
  OUTAGE_RETRY_AFTER_SECONDS,
} from '../../domain/errors.ts';
import { formatFen } from '../../domain/money.ts';
import { VERIFICATION_CODE_PATTERN } from '../../domain/order-links.ts';
import { type CoverageOffer, coverageOffer } from '../../domain/registration.ts';
import { MAX_UNIT_TOKEN_LENGTH, verifyUnitToken } from '../../domain/unit-token.ts';
import { problemInWords } from '../../i18n/errors.ts';
import { label } from '../../i18n/labels.ts';
import { type Lang, localeOf, pickLang, startRuleInWords, words } from '../../pages/consumer-i18n.ts';
import { html, isStaging, page, pageHeaders, type SafeHtml, sendPage } from '../../pages/html.ts';
import { linkedOrder, openOrderLink } from '../../plugins/order-link.ts';
import { verifyCertificate } from '../../services/certificate-verification.ts';
import {
  type CachedLanding,
  type LandingRender,
  negotiatedEncoding,
  PRECOMPRESSED,
  type Precompressed,
} from '../../services/landing-cache.ts';
import { orderCertificatePdf } from '../../services/order-certificate.ts';
import { orderContext, orderView } from '../../services/order-view.ts';
import {
  offerFacts,
  planForSale,
  plansOnSaleOf,
  type RegistrationForm,
  submitRegistration,
} from '../../services/registration.ts';
import { newIdempotencyKey, RegistrationBody } from '../api/public-orders.ts';
import { OrderNumber, OrderParams, Strict } from '../schemas.ts';
import { validationProblems } from '../validation.ts';
import { cancellationSummary } from './consumer-cancellation.ts';
import { lookupRoutes } from './consumer-lookup.ts';
import { orderNotFound } from './error-pages.ts';

type Landing = NonNullable<Awaited<ReturnType<typeof planForSale>>>;

/** The certificate check's words: what anyone holding the certificate may read. */
const VERIFY_WORDS = {
  zh: {
    title: '延保凭证验证',
    notFound: '验证码与订单号不匹配。请核对凭证上的验证网址。',
    coverage: '保障期间',
    terminatedOn: '终止日期',
    plan: '延保计划',
    product: '产品',
    serial: '序列号（部分隐藏）',
    checkedOn: '查询日期',
    readOnly: '此页面仅供核验，不显示持有人信息，也不能办理退保或报修。',
  },
  en: {
    title: 'Warranty certificate check',
    notFound: 'The code does not match the order number. Check the verification link on the certificate.',
    coverage: 'Coverage period',
    terminatedOn: 'Terminated on',
    plan: 'Plan',
    product: 'Product',
    serial: 'Serial number (partly hidden)',
    checkedOn: 'Checked on',
    readOnly: 'This page is for checking only: it shows no holder details and cannot cancel or file claims.',
  },
};
type Offer = Awaited<ReturnType<typeof plansOnSaleOf>>[number];

const withLang = (url: string, lang: Lang) => `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`;

function messageHtml(lang: Lang, path: string, title: string, text: string, staging: boolean) {
  return page({
    lang,
    staging,
    title,
    switchUrl: withLang(path, lang === 'zh' ? 'en' : 'zh'),
    switchLabel: words(lang).switchTo,
    body: html`<div class="card"><h1>${title}</h1><p>${text}</p></div>`,
  });
}

function messagePage(
  reply: FastifyReply,
  request: FastifyRequest,
  status: number,
  title: string,
  text: string,
) {
  return sendPage(
    reply,
    status,
    messageHtml(pickLang(request), request.url.split('?')[0] as string, title, text, isStaging(request)),
  );
}

const isPrecompressed = (encoding: string | null): encoding is Precompressed =>
  (PRECOMPRESSED as readonly string[]).includes(encoding as string);

/**
 * A cached landing with a fresh form key in its slot, in the encoding @fastify/compress would
 * have chosen; encodings it has not got precompressed (deflate) are left to the plugin.
 */
function sendCachedLanding(request: FastifyRequest, reply: FastifyReply, landing: CachedLanding) {
  pageHeaders(reply, landing.status);
  if (!landing.hasSlot) return reply.send(landing.text());
  const key = newIdempotencyKey();
  const encoding = negotiatedEncoding(request.headers['accept-encoding']);
  const body = isPrecompressed(encoding) ? landing.encoded(encoding, key) : null;
  if (!body) return reply.send(landing.text(key));
  return reply
    .header('vary', 'accept-language, accept-encoding')
    .header('content-encoding', encoding)
    .send(body);
}

/**
 * The dates and price a purchase date buys, next to the purchase-date field: filled on a "show my
 * dates" request, filled live by /consumer/coverage-preview.js otherwise. The 29 February rule
 * is always stated.
 */
function coverageDatesHtml(lang: Lang, planCode: string, offer: CoverageOffer | null, currency: string) {
  const w = words(lang);
  const row = (id: string, label: string, value: string) =>
    html`<div><span>${label}</span><b id="${id}">${value}</b></div>`;
  return html`<p class="muted" id="period-rule">${w.periodRule}</p>
<div class="facts dates" id="coverage-preview" data-plan="${planCode}" data-lang="${lang}" data-pro-rated="${w.proRated}" aria-live="polite"${offer ? '' : html` hidden`}>
${row('preview-base-end', w.baseWarrantyEnds, offer?.baseWarrantyEnd ?? '')}${row('preview-price', w.youPay, offer ? formatFen(offer.amountFen, currency) : '')}
${row('preview-start', w.coverageStarts, offer?.coverageStart ?? '')}${row('preview-end', w.coverageEnds, offer?.coverageEnd ?? '')}
<p class="muted" id="preview-note">${offer && offer.coveredDays < offer.termDays ? proRatedNote(w.proRated, offer) : ''}</p></div>
<p class="error" id="preview-problem" hidden></p>`;
}

/** The pro-rated line, from the same template the live script fills. */
const proRatedNote = (template: string, offer: CoverageOffer) =>
  template.replace('{{covered}}', String(offer.coveredDays)).replace('{{term}}', String(offer.termDays));

export const consumerPageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, temporal: client, payments, orm } = app.deps;
  const landingCache = app.landingCache;
  const staging = config.payments.sandbox === 'staging';
  await app.register(formbody);

  /** The landing page with its purchase form, from what was loaded; pure, so it can be cached. */
  function landingHtml(
    landing: Landing,
    offers: Offer[],
    lang: Lang,
    path: string,
    today: string,
    options: {
      unitToken?: string | undefined;
      serial?: string | undefined;
      form?: Partial<RegistrationForm>;
      problems?: FieldProblem[];
      preview?: CoverageOffer | null;
    },
  ) {
    const w = words(lang);
    const { product, manufacturer } = landing;
    const form = options.form ?? {};
    const chosen = form.planCode ?? landing.plan.code;
    const problems = options.problems ?? [];
    const problemOf = (field: string) => problems.find((p) => p.field === field);
    const fieldError = (field: string) => {
      const problem = problemOf(field);
      return problem ? html`<p class="error" id="${field}-error">${problemInWords(lang, problem)}</p>` : '';
    };
    const invalidAttrs = (field: string) =>
      problemOf(field) ? html` aria-invalid="true" aria-describedby="${field}-error"` : '';
    const name = (p: { nameZh: string; nameEn: string }) => (lang === 'zh' ? p.nameZh : p.nameEn);
    const planCards = offers.map(
      ({
        plan,
        version,
      }) => html`<section class="card plan${plan.code === chosen ? ' chosen' : ''}" id="plan-${plan.code}">
<h2>${name(plan)}</h2>
<div class="facts"><div><span>${w.term}</span>${w.months(version.termMonths)}</div><div><span>${w.price}</span><b class="price">${formatFen(version.priceFen, version.currency)}</b></div>
<div><span>${w.startRule}</span>${startRuleInWords(version.coverageStartRule, product.baseWarrantyMonths, lang)}</div><div><span>&nbsp;</span>${w.window(version.purchaseWindowDays)}</div></div>
<div class="tags" aria-label="${w.covers}">${version.coverageTypes.map((t) => html`<span>${label(localeOf(lang), 'coverage', t)}</span>`)}</div>
<details><summary>${w.clauses}</summary>${version.clauses.map(
        (c) =>
          html`<h3>${lang === 'zh' ? c.titleZh : c.titleEn}</h3><p>${lang === 'zh' ? c.bodyZh : c.bodyEn}</p>`,
      )}</details></section>`,
    );
    const generalProblems = problems.filter(
      (p) =>
        !['consumerName', 'consumerPhone', 'serialNumber', 'productPurchaseDate', 'paymentProvider'].includes(
          p.field,
        ),
    );
    const body = html`<p class="muted">${manufacturer.name} · ${w.planOnSale}</p>
<h1>${product.brand} ${product.name}</h1><p class="muted">${product.model}</p>
${planCards}
<form class="card" method="post" action="${path}${lang === 'en' ? '?lang=en' : ''}" novalidate>
<h2>${w.buy}</h2>
${problems.length > 0 ? html`<div class="errors" role="alert">${w.fixErrors}${generalProblems.map((p) => html`<br>${problemInWords(lang, p)}`)}</div>` : ''}
<fieldset class="plain"><legend>${w.choosePlan}</legend>${offers.map(
      ({ plan, version }) =>
        html`<label class="choice"><input type="radio" name="planCode" value="${plan.code}"${plan.code === chosen ? html` checked` : ''}> ${name(plan)} · ${formatFen(version.priceFen, version.currency)}</label>`,
    )}</fieldset>
<label for="consumerName">${w.name}</label><input type="text" id="consumerName" name="consumerName" autocomplete="name" maxlength="100" value="${form.consumerName ?? ''}"${invalidAttrs('consumerName')}>${fieldError('consumerName')}
<label for="consumerPhone">${w.phone}</label><input type="tel" id="consumerPhone" name="consumerPhone" autocomplete="tel" maxlength="20" value="${form.consumerPhone ?? ''}"${invalidAttrs('consumerPhone')}>${fieldError('consumerPhone')}
<label for="serialNumber">${w.serial}</label>${
      options.unitToken
        ? html`<p class="locked" id="serialNumber">${options.serial}</p><p class="muted">${w.serialLocked}</p><input type="hidden" name="unitToken" value="${options.unitToken}">`
        : html`<input type="text" id="serialNumber" name="serialNumber" autocomplete="off" maxlength="100" value="${form.serialNumber ?? ''}"${invalidAttrs('serialNumber')}>`
    }${fieldError('serialNumber')}
<label for="productPurchaseDate">${w.purchaseDate}</label><input type="date" id="productPurchaseDate" name="productPurchaseDate" max="${today}" value="${form.productPurchaseDate ?? ''}"${invalidAttrs('productPurchaseDate')}>${fieldError('productPurchaseDate')}
${coverageDatesHtml(lang, chosen, options.preview ?? null, offers.find((o) => o.plan.code === chosen)?.version.currency ?? 'CNY')}
<button type="submit" class="secondary" name="intent" value="preview" formnovalidate data-testid="show-dates">${w.showDates}</button>
<input type="hidden" name="lang" value="${lang}">
<fieldset class="plain"><legend>${w.payment}</legend>${Object.keys(payments).map(
      (provider) =>
        html`<label class="choice"><input type="radio" name="paymentProvider" value="${provider}"${(form.paymentProvider ?? Object.keys(payments)[0]) === provider ? html` checked` : ''}> ${w.provider[provider as PaymentProviderName]}</label>`,
    )}</fieldset>${fieldError('paymentProvider')}
<input type="hidden" name="idempotencyKey" value="${form.idempotencyKey ?? newIdempotencyKey()}">
<button type="submit" data-testid="pay">${w.pay}</button></form>`;
    return page({
      lang,
      staging,
      title: `${name(landing.plan)} · ${product.brand}`,
      switchUrl: withLang(path, lang === 'zh' ? 'en' : 'zh'),
      switchLabel: w.switchTo,
      body,
      scripts: ['/consumer/coverage-preview.js'],
    });
  }

  /** The landing page rendered for this request; with the consumer's values and field problems after a post. */
  async function renderLanding(
    request: FastifyRequest,
    reply: FastifyReply,
    landing: Landing,
    options: {
      unitToken?: string;
      serial?: string;
      form?: Partial<RegistrationForm>;
      problems?: FieldProblem[];
      status?: number;
      /** "Show my dates": the dates and price for the form's purchase date, or its problem. */
      preview?: boolean;
    },
  ) {
    const offers = await plansOnSaleOf(request.em, landing.product.id);
    const path = request.url.split('?')[0] as string;
    const lang = pickLang(request);
    const today = chinaDate(new Date());
    let preview: CoverageOffer | null = null;
    let problems = options.problems ?? [];
    let form = options.form;
    let status = options.status;
    if (options.preview && form) {
      const asked = form.planCode;
      const chosen = offers.find((o) => o.plan.code === asked) ?? {
        plan: landing.plan,
        version: landing.version,
      };
      const result = coverageOffer(
        offerFacts({ ...chosen, product: landing.product }, form.productPurchaseDate ?? '', today),
      );
      preview = result.offer;
      if (result.problem) problems = [...problems, result.problem];
      // A refused date is the page's answer to the question: a 400 with the problem under the field.
      if (result.problem) status ??= 400;
      form = { ...form, planCode: chosen.plan.code };
    }
    return sendPage(
      reply,
      status ?? 200,
      landingHtml(landing, offers, lang, path, today, { ...options, form, problems, preview }),
    );
  }

  /**
   * What `GET /w/<code>` shows, for the landing cache: the page with its form key as the slot,
   * or the 410 or 404 page. Unknown codes are kept too (for the TTL, like the rest): codes are
   * minted at random when a plan is published, so nobody asks for one before it exists, and a
   * scan of made-up codes costs the database one query per code and TTL. Its own
   * EntityManager, as concurrent requests share one load.
   */
  async function loadLanding(code: string, lang: Lang, today: string): Promise<LandingRender> {
    const em = orm.em.fork();
    const landing = await planForSale(em, code);
    const path = `/w/${encodeURIComponent(code)}`;
    const w = words(lang);
    if (!landing)
      return { status: 404, html: messageHtml(lang, path, w.notFoundTitle, w.notFoundBody, staging) };
    if (!landing.onSale)
      return { status: 410, html: messageHtml(lang, path, w.retiredTitle, w.retiredBody, staging) };
    const slot = newIdempotencyKey();
    const offers = await plansOnSaleOf(em, landing.product.id);
    return {
      status: 200,
      html: landingHtml(landing, offers, lang, path, today, { form: { idempotencyKey: slot } }),
      slot,
    };
  }

  async function landingFor(request: FastifyRequest, reply: FastifyReply, code: string) {
    const w = words(pickLang(request));
    const landing = await planForSale(request.em, code);
    if (!landing) {
      messagePage(reply, request, 404, w.notFoundTitle, w.notFoundBody);
      return null;
    }
    if (!landing.onSale) {
      messagePage(reply, request, 410, w.retiredTitle, w.retiredBody);
      return null;
    }
    return landing;
  }

  /** The form post: on success straight to the payment page; on problems the same page with them. */
  async function handleSubmission(
    request: FastifyRequest<{ Body: Partial<RegistrationForm> & { intent?: 'preview' } }>,
    reply: FastifyReply,
    landing: Landing,
    unit?: { token: string; serial: string },
  ) {
    const { intent, ...typed } = request.body ?? {};
    const form = { ...typed, ...(unit ? { unitToken: unit.token } : {}) };
    // "Show my dates": the form again with its dates and price, whatever else is still missing.
    if (intent === 'preview')
      return renderLanding(request, reply, landing, {
        form,
        preview: true,
        unitToken: unit?.token,
        serial: unit?.serial,
      });
    const rerender = (problems: FieldProblem[], status: number) =>
      renderLanding(request, reply, landing, {
        form,
        problems,
        status,
        unitToken: unit?.token,
        serial: unit?.serial,
      });
    if (request.validationError) return rerender(validationProblems(request.validationError.validation), 400);
    try {
      const result = await submitRegistration(
        { em: request.em, client, config, payments, log: request.log },
        form as RegistrationForm,
      );
      return reply.redirect(result.payUrl, 303);
    } catch (err) {
      if (err instanceof DomainError && err.status < 500 && err.code !== 'not_on_sale')
        return rerender(err.fields.length ? err.fields : [{ field: 'form', ...err.detail }], err.status);
      // PostgreSQL or Temporal down: the same form, everything typed kept, and "busy, try again".
      if (isOutage(err)) {
        reply.header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS));
        return rerender([{ field: 'form', ...OUTAGE_MESSAGE }], 503);
      }
      throw err;
    }
  }

  const CodeParams = Type.Object({ code: Type.String({ maxLength: 32 }) });
  const TokenParams = Type.Object({ token: Type.String({ maxLength: MAX_UNIT_TOKEN_LENGTH }) });
  const LangQuery = Type.Object({ lang: Type.Optional(Type.String({ maxLength: 5 })) });
  const LandingQuery = Type.Object({
    lang: Type.Optional(Type.String({ maxLength: 5 })),
    // "Buy again" from an expired order: the form comes with the unit's serial number filled in.
    serial: Type.Optional(Type.String({ maxLength: 100 })),
  });
  // The form posts strings; the JSON schema of the API validates them the same way.
  // "Show my dates" without JavaScript posts the same form with intent=preview: it comes back with its
  // dates and price. A POST, so the name and phone typed so far never land in a URL, history or log.
  const FormBody = Strict({
    ...Type.Omit(RegistrationBody, ['unitToken']).properties,
    intent: Type.Optional(Type.Literal('preview')),
  });

  app.get(
    '/w/:code',
    { schema: { hide: true, params: CodeParams, querystring: LandingQuery } },
    async (request, reply) => {
      const { code } = request.params;
      const { serial } = request.query;
      if (serial) {
        // "Buy again" with the serial filled in: rendered for this request, the cached page stays the plain one.
        const landing = await landingFor(request, reply, code);
        return landing
          ? renderLanding(request, reply, landing, { form: { serialNumber: serial } })
          : undefined;
      }
      const lang = pickLang(request);
      // The purchase-date field's max is today (China), so a new day is a new page.
      const today = chinaDate(new Date());
      const cached = landingCache.page(code, `${lang} ${today}`, () => loadLanding(code, lang, today));
      return sendCachedLanding(request, reply, cached instanceof Promise ? await cached : cached);
    },
  );

  app.post(
    '/w/:code',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { hide: true, params: CodeParams, querystring: LangQuery, body: FormBody },
    },
    async (request, reply) => {
      const landing = await landingFor(request, reply, request.params.code);
      if (landing)
        return handleSubmission(
          request as FastifyRequest<{ Body: Partial<RegistrationForm> & { intent?: 'preview' } }>,
          reply,
          landing,
        );
    },
  );

  async function unitLanding(request: FastifyRequest, reply: FastifyReply, token: string) {
    const w = words(pickLang(request));
    const claim = verifyUnitToken(token, config.linkSecret);
    if (!claim) {
      messagePage(reply, request, 400, w.badTokenTitle, w.badTokenBody);
      return null;
    }
    const landing = await landingFor(request, reply, claim.planCode);
    return landing ? { landing, serial: claim.serialNumber } : null;
  }

  app.get(
    '/u/:token',
    { schema: { hide: true, params: TokenParams, querystring: LangQuery } },
    async (request, reply) => {
      const found = await unitLanding(request, reply, request.params.token);
      if (found)
        return renderLanding(request, reply, found.landing, {
          unitToken: request.params.token,
          serial: found.serial,
        });
    },
  );

  app.post(
    '/u/:token',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { hide: true, params: TokenParams, querystring: LangQuery, body: FormBody },
    },
    async (request, reply) => {
      const found = await unitLanding(request, reply, request.params.token);
      if (found)
        return handleSubmission(
          request as FastifyRequest<{ Body: Partial<RegistrationForm> & { intent?: 'preview' } }>,
          reply,
          found.landing,
          {
            token: request.params.token,
            serial: found.serial,
          },
        );
    },
  );

  const OrderQuery = Type.Object({
    t: Type.String({ maxLength: 64 }),
    lang: Type.Optional(Type.String({ maxLength: 5 })),
  });

  app.get(
    '/o/:orderNumber',
    {
      // A malformed link (no token, a cut-off number) opens no order: the same page as a wrong one.
      attachValidation: true,
      preHandler: openOrderLink,
      schema: { hide: true, params: OrderParams, querystring: OrderQuery },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const w = words(lang);
      const order = request.linkedOrder;
      if (!order) return orderNotFound(request, reply);
      const view = await orderView(request.em, client, order);
      const { plan, version, product } = await orderContext(request.em, order);
      const live =
        !view.steps.confirmed && order.status === 'pending_payment'
          ? 'true'
          : String(order.status === 'active' && !view.steps.confirmed);
      const steps = (['registered', 'paid', 'recorded', 'confirmed'] as const).map(
        (step) =>
          html`<li data-step="${step}"${view.steps[step] ? html` class="done"` : ''}>${w.steps[step]}</li>`,
      );
      const link = (suffix: string) =>
        `/o/${order.orderNumber}${suffix}?t=${encodeURIComponent(request.query.t)}`;
      const body = html`<h1>${w.orderTitle}</h1><p class="muted">${w.orderNumber} <b id="order-number">${order.orderNumber}</b></p>
<section class="card"><h2 id="order-status">${view.paymentDeclined && order.status === 'expired' ? w.declined : w.status[order.status]}</h2><ol class="steps">${steps}</ol>
${view.payUrl ? html`<a class="button" href="${view.payUrl}">${w.payNow}</a>` : ''}
${order.status === 'expired' ? html`<a class="button" data-testid="buy-again" href="${withLang(`/w/${encodeURIComponent(plan.code)}?serial=${encodeURIComponent(order.serialNumber)}`, lang)}">${w.buyAgain}</a>` : ''}
${order.status === 'cancelled' ? await cancellationSummary(request.em, order, lang) : view.refundedFen > 0 ? html`<p>${w.refundedLate}</p>` : ''}</section>
<section class="card"><h2>${lang === 'zh' ? plan.nameZh : plan.nameEn}</h2>
<div class="facts"><div><span>${w.serial}</span>${order.serialNumber}</div><div><span>${w.price}</span>${formatFen(order.amountFen, order.currency)}</div>
<div><span>${w.coverage}</span><b id="coverage">${view.coverageStart ? `${view.coverageStart} – ${view.coverageEnd}` : '—'}</b></div><div><span>${w.purchaseDate}</span>${order.productPurchaseDate}</div></div>
<p class="muted">${product.brand} ${product.name} ${product.model}</p>
${view.certificateReady ? html`<a class="button secondary" data-testid="certificate" href="${link('/certificate.pdf')}">${w.certificate}</a>` : ''}
${order.status === 'active' || order.status === 'ended' ? html`<a class="button secondary" data-testid="claims" href="${link('/claims')}">${w.claims}</a>` : ''}
${order.status === 'active' ? html`<a class="button secondary" data-testid="cancel" href="${link('/cancel')}">${w.cancel}</a>` : ''}
<details><summary>${w.clauses}</summary>${version.clauses.map(
        (c) =>
          html`<h3>${lang === 'zh' ? c.titleZh : c.titleEn}</h3><p>${lang === 'zh' ? c.bodyZh : c.bodyEn}</p>`,
      )}</details></section>`;
      return sendPage(
        reply,
        200,
        page({
          lang,
          staging,
          title: `${w.orderTitle} ${order.orderNumber}`,
          switchUrl: withLang(link(''), lang === 'zh' ? 'en' : 'zh'),
          switchLabel: w.switchTo,
          body: html`<div data-order="${order.orderNumber}" data-token="${request.query.t}" data-live="${live}" hidden></div>${body}` as SafeHtml,
          scripts: ['/consumer/order-status.js'],
        }),
      );
    },
  );

  app.get(
    '/o/:orderNumber/certificate.pdf',
    { preHandler: openOrderLink, schema: { hide: true, params: OrderParams, querystring: OrderQuery } },
    async (request, reply) => {
      const order = linkedOrder(request);
      // Rendered on the first download, not while the purchase completes; stored, then served
      // until the order is cancelled or ended (then rendered again, void).
      const certificate = await orderCertificatePdf(request.em, order, config);
      if (!certificate)
        return reply.code(404).send({ error: 'not_found', message: 'the certificate is not issued yet' });
      return (
        reply
          .type('application/pdf')
          // The holder's name and serial: never kept by a browser or a proxy.
          .header('cache-control', 'no-store')
          .header('content-disposition', `attachment; filename="yanbao-certificate-${order.orderNumber}.pdf"`)
          .send(Buffer.from(certificate))
      );
    },
  );

  const VerifyParams = Type.Object({
    orderNumber: OrderNumber,
    code: Type.String({ pattern: VERIFICATION_CODE_PATTERN }),
  });

  // The certificate's QR code: a read-only check of the cover (JSON: /api/v1/public/certificates/…).
  app.get(
    '/v/:orderNumber/:code',
    {
      attachValidation: true,
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: { hide: true, params: VerifyParams, querystring: LangQuery },
    },
    async (request, reply) => {
      const lang = pickLang(request);
      const v = VERIFY_WORDS[lang];
      const found = request.validationError
        ? null
        : await verifyCertificate(
            request.em,
            request.params.orderNumber,
            request.params.code,
            config.linkSecret,
          ).catch((err) => {
            if (err instanceof DomainError && err.status === 404) return null;
            throw err;
          });
      if (!found) return messagePage(reply, request, 404, v.title, v.notFound);
      const name = lang === 'zh' ? found.plan.nameZh : found.plan.nameEn;
      const body = html`<h1>${v.title}</h1><p class="muted">${words(lang).orderNumber} <b>${found.orderNumber}</b></p>
<section class="card"><h2 id="cover-status" data-status="${found.status}">${label(localeOf(lang), 'coverStatus', found.status)}</h2>
<div class="facts"><div><span>${v.coverage}</span><b id="coverage">${found.coverageStart ? `${found.coverageStart} – ${found.coverageEnd}` : '—'}</b></div>
${found.terminatedOn ? html`<div><span>${v.terminatedOn}</span><b id="terminated-on">${found.terminatedOn}</b></div>` : ''}
<div><span>${v.plan}</span>${name} (v${found.plan.version})</div><div><span>${v.product}</span>${found.product.brand} ${found.product.name} ${found.product.model}</div>
<div><span>${v.serial}</span><span id="serial">${found.serialNumberMasked}</span></div><div><span>${v.checkedOn}</span>${found.checkedOn}</div></div>
<p class="muted">${v.readOnly}</p></section>`;
      return sendPage(
        reply,
        200,
        page({
          lang,
          staging,
          title: `${v.title} ${found.orderNumber}`,
          switchUrl: withLang(request.url.split('?')[0] as string, lang === 'zh' ? 'en' : 'zh'),
          switchLabel: words(lang).switchTo,
          body,
        }),
      );
    },
  );

  await app.register(lookupRoutes);

  if (config.env !== 'production') {
    // Development only: what the notifier "sent", since SMS and email do not leave this machine.
    app.get('/dev/outbox', { schema: { hide: true } }, async (request, reply) => {
      const latest = await request.em.find(Notification, {}, { orderBy: { createdAt: 'desc' }, limit: 50 });
      return sendPage(
        reply,
        200,
        page({
          lang: 'en',
          staging,
          title: 'Outbox (development)',
          body: html`<h1>Outbox (development only)</h1>${latest.map(
            (n) =>
              html`<section class="card"><p class="muted">${n.createdAt.toISOString()} · ${n.channel} → ${n.recipient} · ${n.status}</p><h2>${n.subject}</h2><p>${n.body}</p></section>`,
          )}`,
        }),
      );
    });
  }
};
