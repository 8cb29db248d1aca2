/**
 * The reconciliation compares each recorded payment with the provider's own ledger, not only with
 * the events we stored: an order made active by a correctly signed callback while the provider
 * still reports the payment as pending is flagged. The sandbox's ledger is compared in SQL;
 * Alipay's trade query (a local stand-in gateway that signs like Alipay) for a one-day report.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../src/domain/coverage.ts';
import { Order, Payment, Refund, SandboxPayment } from '../../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../../src/domain/order-links.ts';
import { signSandboxPayload } from '../../../src/payments/sandbox-signature.ts';
import { alipaySign, beijingTime, pem, startAlipayStandIn } from '../../helpers/alipay.ts';
import type { ApiSession } from '../../helpers/api-session.ts';
import { type Harness, startHarness } from '../../helpers/harness.ts';
import { platformUser } from '../../helpers/platform-staff.ts';
import {
  pay,
  publishedPlan,
  register,
  registration,
  sandboxCaptureEvent,
  sandboxPaymentId,
} from '../../helpers/purchase-fixtures.ts';

const APP_ID = '2021000000000321';
const SELLER_ID = '2088102177004321';
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });

interface Row {
  kind: string;
  result: string;
  flagged: boolean;
  orderNumber: string | null;
  providerStatus: string | null;
}

describe("Reconciliation against the provider's own ledger", () => {
  let h: Harness;
  let gateway: Awaited<ReturnType<typeof startAlipayStandIn>>;
  let auditor: ApiSession;
  let planCode: string;

  beforeAll(async () => {
    gateway = await startAlipayStandIn(alipayKeys.privateKey);
    h = await startHarness({
      alipay: {
        appId: APP_ID,
        privateKey: pem(merchantKeys.privateKey, 'pkcs8'),
        alipayPublicKey: pem(alipayKeys.publicKey, 'spki'),
        sellerId: SELLER_ID,
        gateway: gateway.url,
      },
    });
    planCode = (await publishedPlan(h)).code;
    auditor = await platformUser(h, 'auditor');
  });
  afterAll(async () => {
    await h?.close();
    await gateway?.close();
  });

  const report = async (query = '') => {
    const response = await auditor.request('GET', `/api/v1/audit/reconciliation?limit=200${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { rows: Row[]; summary: { flagged: number } };
  };
  const paymentRow = async (orderNumber: string, query = '') =>
    (await report(query)).rows.find((r) => r.kind === 'payment' && r.orderNumber === orderNumber);
  const today = () => `&from=${chinaDate(new Date())}&to=${chinaDate(new Date())}`;

  /** A sandbox order made active by a correctly signed callback, without the consumer paying at the sandbox. */
  async function activeByCallbackOnly() {
    const placed = await register(h, registration(planCode));
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const body = sandboxCaptureEvent(placed, order.amountFen, {
      id: `captured-${sandboxPaymentId(placed.payUrl)}`,
    });
    const response = await h.app.inject({
      method: 'POST',
      url: '/api/v1/payments/sandbox/notify',
      headers: {
        'content-type': 'application/json',
        'x-sandbox-signature': signSandboxPayload(
          h.config.sandbox.signingSecret,
          body,
          Math.floor(Date.now() / 1000),
        ),
      },
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    expect((await h.db.orm.em.fork().findOneOrFail(Order, { id: order.id })).status).toBe('active');
    return { ...placed, amountFen: order.amountFen };
  }

  it("flags an order made active by a signed sandbox callback while the sandbox's ledger says pending", async () => {
    const placed = await activeByCallbackOnly();
    const ledger = await h.db.orm.em
      .fork()
      .findOneOrFail(SandboxPayment, { id: sandboxPaymentId(placed.payUrl) });
    expect(ledger.status).toBe('pending');
    expect(await paymentRow(placed.orderNumber)).toMatchObject({
      result: 'provider_not_captured',
      flagged: true,
      providerStatus: 'pending',
    });
    const csv = await auditor.request('GET', '/api/v1/audit/reconciliation.csv?flaggedOnly=true');
    const line = csv.body.split('\r\n').find((l) => l.includes(placed.orderNumber));
    expect(line).toContain(',provider_not_captured,true,');
    expect(line).toContain(',pending,');
  });

  it("flags an amount that differs from the provider's record, and matches a payment the ledger agrees with", async () => {
    const placed = await register(h, registration(planCode));
    await pay(h, placed.payUrl);
    // Nobody listens for the sandbox's callbacks here: deliver the capture the gateway queued.
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const body = sandboxCaptureEvent(placed, order.amountFen, {
      id: `captured-${sandboxPaymentId(placed.payUrl)}`,
    });
    await h.app.inject({
      method: 'POST',
      url: '/api/v1/payments/sandbox/notify',
      headers: {
        'content-type': 'application/json',
        'x-sandbox-signature': signSandboxPayload(
          h.config.sandbox.signingSecret,
          body,
          Math.floor(Date.now() / 1000),
        ),
      },
      payload: body,
    });
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    expect(await paymentRow(placed.orderNumber)).toMatchObject({
      result: 'matched',
      flagged: false,
      providerStatus: 'captured',
    });
    const em = h.db.orm.em.fork();
    const ledger = await em.findOneOrFail(SandboxPayment, { id: sandboxPaymentId(placed.payUrl) });
    ledger.amountFen += 1;
    await em.flush();
    expect(await paymentRow(placed.orderNumber)).toMatchObject({
      result: 'provider_amount_mismatch',
      flagged: true,
    });
  });

  it("asks Alipay's trade query for a one-day report: flags a trade Alipay reports waiting, unknown or closed unrefunded; matches a paid one", async () => {
    const placeAndNotify = async () => {
      const placed = await register(h, registration(planCode, { paymentProvider: 'alipay' }));
      const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
      const params = {
        notify_time: beijingTime(),
        notify_type: 'trade_status_sync',
        notify_id: `notify-${randomUUID()}`,
        app_id: APP_ID,
        seller_id: SELLER_ID,
        charset: 'utf-8',
        version: '1.0',
        out_trade_no: order.orderNumber,
        trade_status: 'TRADE_SUCCESS',
        total_amount: (order.amountFen / 100).toFixed(2),
      };
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/payments/alipay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          ...params,
          sign_type: 'RSA2',
          sign: alipaySign(params, alipayKeys.privateKey),
        }).toString(),
      });
      expect(response.body).toBe('success');
      await h.client.workflow.getHandle(purchaseWorkflowId(order.orderNumber)).result();
      return order;
    };
    const waiting = await placeAndNotify();
    const paid = await placeAndNotify();
    const unknown = await placeAndNotify();
    gateway.trades.set(waiting.orderNumber, { tradeStatus: 'WAIT_BUYER_PAY', totalAmount: '0.01' });
    gateway.trades.set(paid.orderNumber, {
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: (paid.amountFen / 100).toFixed(2),
    });
    const queriesBefore = gateway.calls.filter((c) => c.method === 'alipay.trade.query').length;

    const day = await report(today());
    const row = (order: Order) =>
      day.rows.find((r) => r.kind === 'payment' && r.orderNumber === order.orderNumber);
    expect(row(waiting)).toMatchObject({
      result: 'provider_not_captured',
      flagged: true,
      providerStatus: 'pending',
    });
    expect(row(paid)).toMatchObject({ result: 'matched', flagged: false, providerStatus: 'captured' });
    expect(row(unknown)).toMatchObject({
      result: 'provider_not_captured',
      flagged: true,
      providerStatus: 'unknown',
    });
    // One query per Alipay payment of the day, and none for a report over more than a day.
    expect(gateway.calls.filter((c) => c.method === 'alipay.trade.query').length - queriesBefore).toBe(3);
    const all = await report();
    expect(all.rows.find((r) => r.kind === 'payment' && r.orderNumber === waiting.orderNumber)).toMatchObject(
      {
        result: 'matched',
        providerStatus: null,
      },
    );
    expect(gateway.calls.filter((c) => c.method === 'alipay.trade.query').length - queriesBefore).toBe(3);

    // Alipay reports a trade closed both when it was never paid and when it was refunded in full.
    gateway.trades.set(paid.orderNumber, {
      tradeStatus: 'TRADE_CLOSED',
      totalAmount: (paid.amountFen / 100).toFixed(2),
    });
    const closedRow = async () =>
      (await report(today())).rows.find((r) => r.kind === 'payment' && r.orderNumber === paid.orderNumber);
    expect(await closedRow()).toMatchObject({ result: 'provider_not_captured', providerStatus: 'closed' });
    const em = h.db.orm.em.fork();
    const payment = await em.findOneOrFail(Payment, { order: paid.id });
    em.create(Refund, {
      payment: payment.id,
      reason: 'provider_console',
      amountFen: payment.amountFen,
      currency: payment.currency,
      providerRefundId: 'HZ2026120300099',
    });
    await em.flush();
    expect(await closedRow()).toMatchObject({ result: 'matched', flagged: false, providerStatus: 'closed' });
  });
});
