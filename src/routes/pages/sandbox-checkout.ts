import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import escapeHtml from 'escape-html';
import type {
  SANDBOX_PAYMENT_STATUSES,
  SandboxPayment,
} from '../../domain/entities/sandbox-payment.entity.ts';
import { conflict, errorMessage, fieldProblem, invalid, notFound } from '../../domain/errors.ts';
import { formatFen } from '../../domain/money.ts';
import { assetUrl } from '../../pages/assets.ts';
import { sendPage } from '../../pages/html.ts';
import {
  SANDBOX_BEHAVIOUR_LIMITS,
  SandboxGateway,
  SandboxGatewayError,
} from '../../payments/sandbox.gateway.ts';
import { errors, Id, IdParams, Strict } from '../schemas.ts';

const CheckoutParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

const Behaviour = Type.Object({
  copies: Type.Optional(Type.Integer({ minimum: 1, maximum: SANDBOX_BEHAVIOUR_LIMITS.maxCopies })),
  delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: SANDBOX_BEHAVIOUR_LIMITS.maxDelayMs })),
  reorder: Type.Optional(Type.Boolean()),
  ignoreClose: Type.Optional(
    Type.Boolean({ description: 'acknowledge a close but stay payable (a late payment follows)' }),
  ),
});

const PaymentState = Type.Object({
  id: Id,
  orderNumber: Type.String(),
  status: Type.String(),
  amountFen: Type.Integer(),
  currency: Type.String(),
  refundedFen: Type.Integer(),
  behaviour: Behaviour,
});

const CallbackState = Type.Object({
  eventId: Type.String(),
  copy: Type.Integer(),
  body: Type.String(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String({ format: 'date-time' }),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
});

const state = (payment: SandboxPayment) => ({
  id: payment.id,
  orderNumber: payment.orderNumber,
  status: payment.status,
  amountFen: payment.amountFen,
  currency: payment.currency,
  refundedFen: payment.refundedFen,
  behaviour: payment.behaviour,
});

/** Only http(s) URLs are followed or linked, whatever the merchant stored. */
const safeUrl = (url: string): string | null => (/^https?:\/\//i.test(url) ? url : null);

/** A bilingual line: Chinese first, English beside it. */
const both = (zh: string, en: string) => `${escapeHtml(zh)} <span lang="en">${escapeHtml(en)}</span>`;

function render(title: string, main: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><link rel="icon" href="data:,"><link rel="stylesheet" href="${assetUrl('/sandbox/sandbox.css')}"></head>
<body><main class="checkout">
<p class="gateway">${both('沙箱支付', 'Sandbox Pay')}</p>
<p class="note">${both('测试网关，不会产生真实扣款。', 'Test gateway: no real money moves.')}</p>
${main}
</main></body></html>`;
}

function summary(payment: SandboxPayment): string {
  return `<h1>${escapeHtml(payment.subject)}</h1>
<p class="amount" data-testid="sandbox-amount">${escapeHtml(formatFen(payment.amountFen, payment.currency))}</p>
<p class="order">${both('订单号', 'Order')} <code>${escapeHtml(payment.orderNumber)}</code></p>`;
}

function backLink(payment: SandboxPayment): string {
  const url = safeUrl(payment.returnUrl);
  return url
    ? `<p><a class="back" href="${escapeHtml(url)}">${both('返回商户', 'Back to the merchant')}</a></p>`
    : '';
}

const STATUS_TEXT: Record<(typeof SANDBOX_PAYMENT_STATUSES)[number], [string, string]> = {
  pending: ['等待支付', 'Waiting for payment'],
  paid: ['已支付', 'Paid'],
  refunded: ['已支付（已退款）', 'Paid (refunded)'],
  declined: ['您已拒绝这笔支付，无法再支付。', 'You declined this payment; it can no longer be paid.'],
  closed: ['这笔支付已关闭，无法再支付。', 'This payment is closed and can no longer be paid.'],
};

function checkoutPage(payment: SandboxPayment): string {
  const base = `/sandbox/checkout/${payment.id}`;
  const body =
    payment.status === 'pending'
      ? `<form method="post" action="${base}/pay"><button type="submit" class="pay" data-testid="sandbox-pay">支付 / Pay</button></form>
<form method="post" action="${base}/decline"><button type="submit" class="decline" data-testid="sandbox-decline">拒绝 / Decline</button></form>`
      : `<p class="status status-${payment.status}" data-testid="sandbox-status">${both(...STATUS_TEXT[payment.status as (typeof SANDBOX_PAYMENT_STATUSES)[number]])}</p>${backLink(payment)}`;
  return render('沙箱收银台 · Sandbox checkout', `${summary(payment)}\n${body}`);
}

const notFoundPage = () =>
  render(
    '找不到支付 · Payment not found',
    `<h1>${both('找不到这笔支付', 'Payment not found')}</h1><p>${both('链接可能有误或已失效。', 'The link may be wrong or out of date.')}</p>`,
  );

/**
 * The sandbox gateway's hosted checkout page (what a real provider would host,
 * so it is registered at the root, not under /api/v1), and in development and
 * test a small JSON control API that tests use instead of a browser.
 */
export const sandboxCheckoutRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, orm, payments } = app.deps;
  // The gateway keeps its state in the database, so a fresh instance is as good as the configured one.
  const gateway =
    payments.sandbox instanceof SandboxGateway
      ? payments.sandbox
      : new SandboxGateway({
          orm,
          publicBaseUrl: config.publicBaseUrl,
          signingSecret: config.sandbox.signingSecret,
          toleranceSeconds: config.sandbox.toleranceSeconds,
        });

  // The checkout buttons are plain HTML forms; they carry no fields, so the body is not read.
  if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
    app.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 4096 },
      (_request, _body, done) => done(null, {}),
    );
  }

  app.get(
    '/sandbox/checkout/:id',
    { schema: { hide: true, params: CheckoutParams } },
    async (request, reply) => {
      const payment = await gateway.find(request.params.id);
      if (!payment) return sendPage(reply, 404, notFoundPage());
      return sendPage(reply, 200, checkoutPage(payment));
    },
  );

  app.post(
    '/sandbox/checkout/:id/pay',
    { schema: { hide: true, params: CheckoutParams } },
    async (request, reply) => {
      const result = await gateway.pay(request.params.id);
      if (!result) return sendPage(reply, 404, notFoundPage());
      const { payment } = result;
      // Paid now or before: either way the consumer goes back to the merchant.
      if (payment.status === 'paid' || payment.status === 'refunded') {
        return reply.redirect(safeUrl(payment.returnUrl) ?? `/sandbox/checkout/${payment.id}`, 303);
      }
      return sendPage(reply, 409, checkoutPage(payment));
    },
  );

  app.post(
    '/sandbox/checkout/:id/decline',
    { schema: { hide: true, params: CheckoutParams } },
    async (request, reply) => {
      const result = await gateway.decline(request.params.id);
      if (!result) return sendPage(reply, 404, notFoundPage());
      const { payment } = result;
      if (payment.status !== 'declined') return sendPage(reply, 409, checkoutPage(payment));
      return reply.redirect(safeUrl(payment.returnUrl) ?? `/sandbox/checkout/${payment.id}`, 303);
    },
  );

  if (config.env === 'production') return;

  // ——— development and test only: drive the sandbox without a browser ———

  app.get(
    '/sandbox/payments/:id',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'A sandbox payment and the callbacks it owes (not in production)',
        params: IdParams,
        response: {
          200: Type.Composite([PaymentState, Type.Object({ callbacks: Type.Array(CallbackState) })]),
          ...errors(400, 404),
        },
      },
    },
    async (request) => {
      const payment = await gateway.find(request.params.id);
      if (!payment) throw notFound('payment', { id: request.params.id });
      const callbacks = await gateway.callbacks(payment.id);
      return {
        ...state(payment),
        callbacks: callbacks.map((c) => ({
          eventId: c.eventId,
          copy: c.copy,
          body: c.body,
          attempts: c.attempts,
          nextAttemptAt: c.nextAttemptAt.toISOString(),
          deliveredAt: c.deliveredAt ? c.deliveredAt.toISOString() : null,
          lastError: c.lastError ?? null,
        })),
      };
    },
  );

  app.post(
    '/sandbox/payments/:id/behaviour',
    {
      schema: {
        tags: ['sandbox'],
        summary:
          'How this payment’s callbacks are delivered: duplicates, delay, reordering (not in production)',
        params: IdParams,
        body: Strict(Behaviour.properties),
        response: { 200: Behaviour, ...errors(400, 404) },
      },
    },
    async (request) => {
      try {
        const behaviour = await gateway.setBehaviour(request.params.id, request.body);
        if (!behaviour) throw notFound('payment', { id: request.params.id });
        return behaviour;
      } catch (err) {
        if (err instanceof SandboxGatewayError && err.code === 'invalid_request')
          throw invalid([fieldProblem('body', 'sandboxRequest', { detail: err.message })]);
        throw err;
      }
    },
  );

  app.post(
    '/sandbox/payments/:id/pay',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Pays like the checkout page’s Pay button; paying twice is harmless (not in production)',
        params: IdParams,
        response: { 200: PaymentState, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      const result = await gateway.pay(request.params.id);
      if (!result) throw notFound('payment', { id: request.params.id });
      if (result.payment.status !== 'paid' && result.payment.status !== 'refunded')
        throw conflict(errorMessage('paymentNotPayable', { status: result.payment.status }));
      return state(result.payment);
    },
  );

  app.post(
    '/sandbox/payments/:id/decline',
    {
      schema: {
        tags: ['sandbox'],
        summary: 'Declines like the checkout page’s Decline button (not in production)',
        params: IdParams,
        response: { 200: PaymentState, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      const result = await gateway.decline(request.params.id);
      if (!result) throw notFound('payment', { id: request.params.id });
      if (result.payment.status !== 'declined')
        throw conflict(errorMessage('paymentNotDeclinable', { status: result.payment.status }));
      return state(result.payment);
    },
  );
};
