/**
 * The sandbox gateway's hosted checkout through the real app (inject): the
 * page, Pay and Decline as plain forms, closed and unknown payments, the JSON
 * controls tests use, and the app's own deliverer posting the signed callback.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../src/app.ts';
import { SandboxCallback, SandboxPayment } from '../../../src/domain/entities/sandbox-payment.entity.ts';
import type { PaymentProvider } from '../../../src/payments/provider.ts';
import { type Harness, startHarness } from '../../helpers/harness.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('sandbox checkout', () => {
  let h: Harness;
  let sandbox: PaymentProvider;
  beforeAll(async () => {
    h = await startHarness();
    sandbox = h.payments.sandbox as PaymentProvider;
  });
  afterAll(() => h?.close());

  async function newPayment(overrides: Record<string, unknown> = {}) {
    const orderNumber = `YB${randomBytes(7).toString('hex').toUpperCase()}`;
    const returnUrl = `${h.config.publicBaseUrl}/o/${orderNumber}`;
    const created = await sandbox.createPayment({
      orderNumber,
      amountFen: 129900,
      currency: 'CNY',
      subject: '手机延保 2 年 / Phone care+ <2 years>',
      // Nobody listens there: the deliverer retries in the background, which these tests do not need.
      notifyUrl: 'http://127.0.0.1:9/notify',
      returnUrl,
      ...overrides,
    });
    return { ...created, id: created.providerPaymentId, orderNumber, returnUrl };
  }
  const statusOf = async (id: string) =>
    (await h.db.orm.em.fork().findOneOrFail(SandboxPayment, { id })).status;
  const page = (id: string) => h.app.inject({ method: 'GET', url: `/sandbox/checkout/${id}` });
  const post = (id: string, action: 'pay' | 'decline') =>
    h.app.inject({ method: 'POST', url: `/sandbox/checkout/${id}/${action}`, headers: FORM, payload: '' });

  it('shows subject and amount in Chinese and English with Pay and Decline forms', async () => {
    const payment = await newPayment();
    expect(new URL(payment.payUrl).pathname).toBe(`/sandbox/checkout/${payment.id}`);
    const response = await page(payment.id);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    const html = response.body;
    expect(html).toContain('¥1,299.00');
    expect(html).toContain('手机延保 2 年 / Phone care+ &lt;2 years&gt;');
    expect(html).toContain(payment.orderNumber);
    expect(html).toMatch(/<form method="post" action="\/sandbox\/checkout\/[0-9a-f-]+\/pay">/);
    expect(html).toContain('data-testid="sandbox-pay"');
    expect(html).toContain('data-testid="sandbox-decline"');
    expect(html).toContain('支付 / Pay');
    expect(html).toContain('拒绝 / Decline');
    // Nothing the strict CSP would block.
    expect(html).not.toMatch(/<script|<style|style=/i);
    const href = html.match(/<link rel="stylesheet" href="(\/sandbox\/sandbox\.[\w-]{12}\.css)">/)?.[1];
    expect(href, 'the stylesheet by its hashed name').toBeDefined();
    const css = await h.app.inject({ method: 'GET', url: href });
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  it('pays from the form: 303 back to the merchant, the callback queued for later delivery', async () => {
    const payment = await newPayment();
    const response = await post(payment.id, 'pay');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(payment.returnUrl);
    expect(await statusOf(payment.id)).toBe('paid');
    const queued = await h.db.orm.em.fork().find(SandboxCallback, { sandboxPayment: payment.id });
    expect(queued.map((c) => c.eventId)).toEqual([`captured-${payment.id}`]);
    // Paying twice is harmless.
    const again = await post(payment.id, 'pay');
    expect(again.statusCode).toBe(303);
    expect(await h.db.orm.em.fork().count(SandboxCallback, { sandboxPayment: payment.id })).toBe(1);
    // The page now says so instead of offering to pay.
    const after = await page(payment.id);
    expect(after.body).toContain('已支付');
    expect(after.body).not.toContain('sandbox-pay');
    expect(await sandbox.queryPayment(payment.id)).toBe('captured');
  });

  it('declines from the form: 303 back, it can no longer be paid, and the merchant is told once', async () => {
    const payment = await newPayment();
    const response = await post(payment.id, 'decline');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(payment.returnUrl);
    expect(await statusOf(payment.id)).toBe('declined');
    const pay = await post(payment.id, 'pay');
    expect(pay.statusCode).toBe(409);
    expect(pay.body).toContain('can no longer be paid');
    expect(await statusOf(payment.id)).toBe('declined');
    expect((await post(payment.id, 'decline')).statusCode).toBe(303);
    // A failed attempt is reported like a capture: one signed callback, queued for the deliverer.
    const callbacks = await h.db.orm.em.fork().find(SandboxCallback, { sandboxPayment: payment.id });
    expect(callbacks.map((c) => [c.eventId, JSON.parse(c.body).type])).toEqual([
      [`failed-${payment.id}`, 'payment.failed'],
    ]);
  });

  it('shows a clear page for a closed payment and refuses to pay it', async () => {
    const payment = await newPayment();
    await sandbox.closePayment(payment.id);
    const shown = await page(payment.id);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('这笔支付已关闭');
    expect(shown.body).toContain('This payment is closed');
    expect(shown.body).not.toContain('sandbox-pay');
    const pay = await post(payment.id, 'pay');
    expect(pay.statusCode).toBe(409);
    expect(pay.body).toContain('This payment is closed');
    expect(await statusOf(payment.id)).toBe('closed');
    const events = await h.db.orm.em.fork().find(SandboxCallback, { sandboxPayment: payment.id });
    expect(events.map((c) => c.eventId)).toEqual([`closed-${payment.id}`]);
  });

  it('answers an unknown payment with a 404 page', async () => {
    for (const id of [randomUUID(), 'not-a-payment']) {
      const response = await page(id);
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('Payment not found');
      expect((await post(id, 'pay')).statusCode).toBe(404);
      expect((await post(id, 'decline')).statusCode).toBe(404);
    }
  });

  it('lets tests pay and set the behaviour through JSON', async () => {
    const payment = await newPayment();
    const behaviour = await h.app.inject({
      method: 'POST',
      url: `/sandbox/payments/${payment.id}/behaviour`,
      payload: { copies: 2, reorder: true },
    });
    expect(behaviour.statusCode, behaviour.body).toBe(200);
    expect(behaviour.json()).toEqual({ copies: 2, reorder: true });
    const bad = await h.app.inject({
      method: 'POST',
      url: `/sandbox/payments/${payment.id}/behaviour`,
      payload: { copies: 0, delayMs: -1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['copies', 'delayMs']);

    const paid = await h.app.inject({ method: 'POST', url: `/sandbox/payments/${payment.id}/pay` });
    expect(paid.statusCode, paid.body).toBe(200);
    expect(paid.json()).toMatchObject({ id: payment.id, status: 'paid', amountFen: 129900 });
    expect(
      (await h.app.inject({ method: 'POST', url: `/sandbox/payments/${payment.id}/pay` })).statusCode,
    ).toBe(200);
    const state = await h.app.inject({ method: 'GET', url: `/sandbox/payments/${payment.id}` });
    const callbacks: { eventId: string; copy: number; body: string }[] = state.json().callbacks;
    // As a set: the deliverer already tries them in the background (nobody listens), which moves
    // each failed one's next attempt, and so their order in this list.
    expect(callbacks.map((c) => `${c.eventId}#${c.copy}`).sort()).toEqual([
      `captured-${payment.id}#1`,
      `captured-${payment.id}#2`,
      `closed-${payment.id}#1`,
      `closed-${payment.id}#2`,
    ]);
    // Reordered: the close is stamped before the capture it will be delivered after.
    const stampOf = (eventId: string) =>
      JSON.parse((callbacks.find((c) => c.eventId === eventId) as { body: string }).body).created_at;
    expect(stampOf(`closed-${payment.id}`) < stampOf(`captured-${payment.id}`)).toBe(true);

    const unknown = randomUUID();
    expect((await h.app.inject({ method: 'POST', url: `/sandbox/payments/${unknown}/pay` })).statusCode).toBe(
      404,
    );
    expect(
      (await h.app.inject({ method: 'POST', url: `/sandbox/payments/${unknown}/behaviour`, payload: {} }))
        .statusCode,
    ).toBe(404);
    const closed = await newPayment();
    await sandbox.closePayment(closed.id);
    const refused = await h.app.inject({ method: 'POST', url: `/sandbox/payments/${closed.id}/pay` });
    expect(refused.statusCode).toBe(409);
  });

  it('delivers the signed callback from the app’s own deliverer, asynchronously', async () => {
    const received: { raw: string; headers: IncomingHttpHeaders }[] = [];
    const merchant = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        received.push({ raw, headers: request.headers });
        response.end('{"received":true}');
      });
    });
    await new Promise<void>((resolve) => merchant.listen(0, '127.0.0.1', resolve));
    try {
      const port = (merchant.address() as AddressInfo).port;
      const payment = await newPayment({
        notifyUrl: `http://127.0.0.1:${port}/api/v1/payments/sandbox/notify`,
      });
      expect((await post(payment.id, 'pay')).statusCode).toBe(303);
      for (let i = 0; i < 100 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(received).toHaveLength(1);
      const [callback] = received;
      const notification = await sandbox.verifyCallback(callback?.raw ?? '', callback?.headers ?? {});
      expect(notification).toMatchObject({
        provider: 'sandbox',
        kind: 'captured',
        providerPaymentId: payment.id,
        orderNumber: payment.orderNumber,
        amountFen: 129900,
        currency: 'CNY',
      });
    } finally {
      await new Promise<void>((resolve) => merchant.close(() => resolve()));
    }
  });

  it('offers no test controls on a production (staging) deployment, only the checkout', async () => {
    const app = await buildApp(
      {
        ...h.app.deps,
        config: { ...h.config, env: 'production', payments: { real: null, sandbox: 'staging' } },
      },
      { logger: false },
    );
    try {
      const payment = await newPayment();
      expect((await app.inject({ method: 'GET', url: `/sandbox/checkout/${payment.id}` })).statusCode).toBe(
        200,
      );
      expect(
        (await app.inject({ method: 'POST', url: `/sandbox/payments/${payment.id}/pay` })).statusCode,
      ).toBe(404);
      expect(
        (await app.inject({ method: 'POST', url: `/sandbox/payments/${payment.id}/behaviour`, payload: {} }))
          .statusCode,
      ).toBe(404);
    } finally {
      await app.close();
    }
  });
});
