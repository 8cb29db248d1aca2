/**
 * A declined payment on the real Temporal dev server, with the sandbox gateway calling back over
 * real HTTP: the provider's signed "payment failed" callback reaches the workflow, which closes
 * the payment and expires the order within seconds (the payment timeout here is the production
 * 15 minutes), so the same unit can be bought again at once; a payment for the declined attempt
 * that still goes through is refunded, once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Order, Payment, PaymentEvent, Refund, SandboxPayment } from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import {
  pay,
  publishedPlan,
  register,
  registration,
  sandboxPaymentId,
  setBehaviour,
} from '../helpers/purchase-fixtures.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describe('PurchaseWorkflow with a declined payment', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness(
      { purchase: { paymentTimeout: '15 minutes', latePaymentWindow: '4 seconds' } },
      { listen: true },
    );
    plan = await publishedPlan(h);
  });
  afterAll(() => h?.close());

  const view = async (orderNumber: string) => {
    const t = orderAccessToken(orderNumber, h.config.linkSecret);
    const response = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${orderNumber}?t=${t}`,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { status: string; paymentDeclined: boolean; payUrl: string | null };
  };
  /** The order's view once it has left pending_payment, polled like the order page does. */
  const settledView = async (orderNumber: string) => {
    for (let i = 0; i < 100; i++) {
      const current = await view(orderNumber);
      if (current.status !== 'pending_payment') return current;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`order ${orderNumber} is still pending after 10 s`);
  };
  /** The consumer taps "Decline" on the hosted checkout and is sent back to the merchant. */
  const decline = async (payUrl: string) => {
    const response = await h.app.inject({
      method: 'POST',
      url: `/sandbox/checkout/${sandboxPaymentId(payUrl)}/decline`,
      headers: FORM,
      payload: '',
    });
    expect(response.statusCode).toBe(303);
    return response.headers.location as string;
  };

  it('shows the decline within seconds, offers "buy again", and the same unit is bought at once', async () => {
    const body = registration(plan.code);
    const placed = await register(h, body);
    const started = Date.now();
    const back = await decline(placed.payUrl);
    expect(back).toBe(placed.orderUrl);

    const declined = await settledView(placed.orderNumber);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(declined).toMatchObject({ status: 'expired', paymentDeclined: true, payUrl: null });
    const em = h.db.orm.em.fork();
    const first = await em.findOneOrFail(Order, { orderNumber: placed.orderNumber });
    expect((await em.findOneOrFail(Payment, { order: first.id })).status).toBe('failed');
    expect((await em.findOneOrFail(SandboxPayment, { id: sandboxPaymentId(placed.payUrl) })).status).toBe(
      'closed',
    );
    expect(await em.count(PaymentEvent, { orderNumber: placed.orderNumber, kind: 'failed' })).toBe(1);

    // "Back to the merchant" leads to the order page, which says why and offers to buy again.
    const orderPage = await h.app.inject({
      method: 'GET',
      url: new URL(back).pathname + new URL(back).search,
    });
    expect(orderPage.statusCode).toBe(200);
    expect(orderPage.body).toContain('付款未成功（已拒绝）');
    expect(orderPage.body).not.toContain(placed.payUrl);
    const buyAgain = /data-testid="buy-again" href="([^"]+)"/
      .exec(orderPage.body)?.[1]
      ?.replaceAll('&amp;', '&');
    expect(buyAgain).toBe(`/w/${plan.code}?serial=${body.serialNumber}&lang=zh`);
    const landing = await h.app.inject({ method: 'GET', url: buyAgain as string });
    expect(landing.statusCode).toBe(200);
    expect(landing.body).toContain(`value="${body.serialNumber}"`);

    // The unit is free again: a new registration of the same serial is accepted and paid.
    const again = await register(h, registration(plan.code, { serialNumber: body.serialNumber }));
    expect(again.orderNumber).not.toBe(placed.orderNumber);
    await pay(h, again.payUrl);
    const handle = (orderNumber: string) => h.client.workflow.getHandle(purchaseWorkflowId(orderNumber));
    expect((await handle(again.orderNumber).result()).stage).toBe('completed');
    expect((await handle(placed.orderNumber).result()).stage).toBe('expired');

    const after = h.db.orm.em.fork();
    const orders = await after.find(
      Order,
      { serialNumber: body.serialNumber },
      { orderBy: { createdAt: 'asc' } },
    );
    expect(orders.map((o) => o.status)).toEqual(['expired', 'active']);
    expect(await after.count(Payment, { order: { $in: orders.map((o) => o.id) }, status: 'captured' })).toBe(
      1,
    );
    await recordHistory(h.client, purchaseWorkflowId(placed.orderNumber), 'purchase-declined');
  });

  it('refunds, once, a payment of the declined attempt that still goes through', async () => {
    const placed = await register(h, registration(plan.code));
    // The provider acknowledges the close, but the consumer retries at the provider and pays.
    await setBehaviour(h, placed.payUrl, { ignoreClose: true });
    await decline(placed.payUrl);
    expect((await settledView(placed.orderNumber)).status).toBe('expired');
    await pay(h, placed.payUrl);
    expect((await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result()).stage).toBe(
      'expired',
    );
    for (let i = 0; i < 50; i++) {
      if (await h.db.orm.em.fork().count(Refund, {})) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber: placed.orderNumber });
    expect(order.status).toBe('expired');
    const payment = await em.findOneOrFail(Payment, { order: order.id });
    expect(payment.status).toBe('refunded');
    expect(await em.find(Refund, { payment: payment.id })).toMatchObject([
      { reason: 'late_payment', amountFen: order.amountFen },
    ]);
    expect((await em.findOneOrFail(SandboxPayment, { id: payment.providerPaymentId })).refundedFen).toBe(
      order.amountFen,
    );
  });
});
