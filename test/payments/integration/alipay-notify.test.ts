/**
 * Alipay's asynchronous notify contract at the real notify route (real PostgreSQL, real Temporal):
 * a test vector signed the way Alipay documents it, with a key made here, independent of the
 * project's signing helper; seller_id; WAIT_BUYER_PAY acknowledged; refund_fee read as the
 * running total it is; and refunds made in Alipay's merchant console reaching the order.
 */
import { createSign, generateKeyPairSync, type KeyObject, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../../src/domain/coverage.ts';
import { Claim, Order, Payment, PaymentEvent, Refund } from '../../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../../src/domain/order-links.ts';
import { reconciliationPage } from '../../../src/services/reconciliation.ts';
import { startAlipayStandIn } from '../../helpers/alipay.ts';
import { changedTables, snapshotTables } from '../../helpers/database.ts';
import { type Harness, startHarness } from '../../helpers/harness.ts';
import { publishedPlan, register, registration } from '../../helpers/purchase-fixtures.ts';

const APP_ID = '2021000000000123';
const SELLER_ID = '2088102177001234';
// Alipay's key pair (Alipay signs with the private half; the app is configured with the public one).
const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const otherKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const spki = (key: KeyObject) => key.export({ type: 'spki', format: 'pem' }) as string;

/**
 * Alipay's documented rule for verifying an async notify: every parameter it posted except sign
 * and sign_type, empty values left out, sorted by name, `name=value` joined with `&` (values
 * as received, URL-decoded), RSA2 = SHA256withRSA, base64.
 */
function signAsAlipay(params: Record<string, string>, key: KeyObject): string {
  const content = Object.entries(params)
    .filter(([name, value]) => name !== 'sign' && name !== 'sign_type' && value !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

const beijingNow = () => new Date(Date.now() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);

describe('Alipay notify contract', () => {
  let h: Harness;
  let gateway: Awaited<ReturnType<typeof startAlipayStandIn>>;
  let planCode: string;

  beforeAll(async () => {
    gateway = await startAlipayStandIn(alipayKeys.privateKey);
    h = await startHarness({
      alipay: {
        appId: APP_ID,
        privateKey: merchantKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
        alipayPublicKey: spki(alipayKeys.publicKey),
        sellerId: SELLER_ID,
        gateway: gateway.url,
      },
    });
    planCode = (await publishedPlan(h)).code;
  });
  afterAll(async () => {
    await h?.close();
    await gateway?.close();
  });

  const yuan = (fen: number) => (fen / 100).toFixed(2);
  const placeOrder = async () => {
    const placed = await register(h, registration(planCode, { paymentProvider: 'alipay' }));
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    return { orderNumber: order.orderNumber, orderId: order.id, amountFen: order.amountFen };
  };
  type Placed = Awaited<ReturnType<typeof placeOrder>>;
  const params = (order: Placed, over: Record<string, string> = {}) => ({
    notify_time: beijingNow(),
    notify_type: 'trade_status_sync',
    notify_id: `2026120300222${randomUUID().replaceAll('-', '')}`,
    app_id: APP_ID,
    auth_app_id: APP_ID,
    seller_id: SELLER_ID,
    charset: 'utf-8',
    version: '1.0',
    trade_no: '2026120322001446880500000123',
    out_trade_no: order.orderNumber,
    trade_status: 'TRADE_SUCCESS',
    total_amount: yuan(order.amountFen),
    gmt_create: beijingNow(),
    gmt_payment: beijingNow(),
    subject: '延保 / care & more',
    passback_params: '',
    ...over,
  });
  const form = (p: Record<string, string>, key: KeyObject = alipayKeys.privateKey) =>
    new URLSearchParams({ ...p, sign_type: 'RSA2', sign: signAsAlipay(p, key) }).toString();
  const notify = (body: string) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/payments/alipay/notify',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: body,
    });
  const load = (orderNumber: string) => h.db.orm.em.fork().findOneOrFail(Order, { orderNumber });
  const consoleRefunds = async (order: Placed) => {
    const em = h.db.orm.em.fork();
    const payment = await em.findOneOrFail(Payment, { order: order.orderId });
    return em.find(Refund, { payment: payment.id, reason: 'provider_console' });
  };
  const paid = async () => {
    const order = await placeOrder();
    const response = await notify(form(params(order)));
    expect(response.statusCode, response.body).toBe(200);
    expect(response.body).toBe('success');
    const outcome = await h.client.workflow.getHandle(purchaseWorkflowId(order.orderNumber)).result();
    expect(outcome.stage).toBe('completed');
    expect((await load(order.orderNumber)).status).toBe('active');
    return order;
  };
  const refundNotice = (order: Placed, refundFen: number, outBizNo: string, full = false) =>
    params(order, {
      trade_status: full ? 'TRADE_CLOSED' : 'TRADE_SUCCESS',
      refund_fee: yuan(refundFen),
      gmt_refund: `${beijingNow()}.123`,
      out_biz_no: outBizNo,
      ...(full ? { gmt_close: beijingNow() } : {}),
    });
  const ledgerRows = async (orderNumber: string) =>
    (await reconciliationPage(h.db.orm.em.fork(), {}, { limit: 1000, offset: 0 })).rows.filter(
      (r) => r.orderNumber === orderNumber,
    );

  it('accepts a test vector signed by the documented rule with a key made here; refuses it tampered or signed by another key', async () => {
    const order = await placeOrder();
    const vector = params(order);
    const tampered = form(vector).replace(`total_amount=${vector.total_amount}`, 'total_amount=0.01');
    const before = await snapshotTables(h.db.orm);
    for (const body of [tampered, form(vector, otherKeys.privateKey)]) {
      const refused = await notify(body);
      expect(refused.statusCode, refused.body).toBe(401);
      expect(refused.json().error).toBe('callback_rejected');
    }
    expect(changedTables(before, await snapshotTables(h.db.orm))).toEqual({});

    const accepted = await notify(form(vector));
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.body).toBe('success');
    await h.client.workflow.getHandle(purchaseWorkflowId(order.orderNumber)).result();
    expect((await load(order.orderNumber)).status).toBe('active');
  });

  it("refuses another seller's notification, correctly signed by Alipay, and changes nothing", async () => {
    const order = await placeOrder();
    const before = await snapshotTables(h.db.orm);
    for (const seller_id of ['2088000000000001', '']) {
      const refused = await notify(form(params(order, { seller_id })));
      expect(refused.statusCode, refused.body).toBe(400);
      expect(refused.json()).toMatchObject({ error: 'callback_rejected', message: /seller_id/ });
    }
    expect(changedTables(before, await snapshotTables(h.db.orm))).toEqual({});
    expect((await load(order.orderNumber)).status).toBe('pending_payment');
  });

  it('acknowledges WAIT_BUYER_PAY with "success" (so Alipay stops retrying) and changes nothing', async () => {
    const order = await placeOrder();
    const before = await snapshotTables(h.db.orm);
    const waiting = await notify(form(params(order, { trade_status: 'WAIT_BUYER_PAY', gmt_payment: '' })));
    expect(waiting.statusCode, waiting.body).toBe(200);
    expect(waiting.body).toBe('success');
    expect(changedTables(before, await snapshotTables(h.db.orm))).toEqual({});
    expect((await load(order.orderNumber)).status).toBe('pending_payment');
  });

  it('records console refunds from the running refund_fee: partial, then the rest cancels the order; duplicates change nothing', async () => {
    const order = await paid();
    const part = Math.floor(order.amountFen * 0.3);
    const first = form(refundNotice(order, part, 'HZ2026120300001'));
    const second = form(refundNotice(order, order.amountFen, 'HZ2026120300002', true));
    for (const body of [first, first]) expect((await notify(body)).body).toBe('success');
    expect((await consoleRefunds(order)).map((r) => r.amountFen)).toEqual([part]);
    expect((await load(order.orderNumber)).status).toBe('active');

    for (const body of [second, first, second]) expect((await notify(body)).body).toBe('success');
    const refunds = await consoleRefunds(order);
    expect(refunds.map((r) => [r.providerRefundId, r.amountFen]).sort()).toEqual([
      ['HZ2026120300001', part],
      ['HZ2026120300002', order.amountFen - part],
    ]);
    const cancelled = await load(order.orderNumber);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.cancelledAt).toBeInstanceOf(Date);
    // Each stored notice carries its own refund, not the running total.
    const events = await h.db.orm.em
      .fork()
      .find(
        PaymentEvent,
        { orderNumber: order.orderNumber, kind: 'refunded' },
        { orderBy: { createdAt: 'asc' } },
      );
    expect(events.map((e) => e.amountFen)).toEqual([part, order.amountFen - part]);

    const rows = await ledgerRows(order.orderNumber);
    expect(rows.map((r) => [r.kind, r.result, r.flagged]).sort()).toEqual([
      ['payment', 'matched', false],
      ['refund', 'provider_refund_recorded', false],
      ['refund', 'provider_refund_recorded', false],
    ]);
  });

  it('records the whole refund once when the full-refund notice overtakes the partial one', async () => {
    const order = await paid();
    const part = Math.floor(order.amountFen * 0.4);
    const partial = form(refundNotice(order, part, 'HZ2026120300011'));
    const full = form(refundNotice(order, order.amountFen, 'HZ2026120300012', true));
    for (const body of [full, partial, full, partial]) expect((await notify(body)).body).toBe('success');
    const refunds = await consoleRefunds(order);
    expect(refunds.reduce((sum, r) => sum + r.amountFen, 0)).toBe(order.amountFen);
    expect((await load(order.orderNumber)).status).toBe('cancelled');
  });

  it("does not take Yanbao's own refund for a console one: a cancellation's refund notice records nothing more", async () => {
    const order = await paid();
    gateway.trades.set(order.orderNumber, {
      tradeStatus: 'TRADE_SUCCESS',
      totalAmount: yuan(order.amountFen),
    });
    const token = orderAccessToken(order.orderNumber, h.config.linkSecret);
    const cancel = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${order.orderNumber}/cancellation?t=${token}`,
      payload: {},
    });
    expect(cancel.statusCode, cancel.body).toBe(202);
    await h.client.workflow.getHandle(`cancellation-${order.orderNumber}`).result();
    const refundCall = gateway.calls.find(
      (c) => c.method === 'alipay.trade.refund' && c.biz.out_trade_no === order.orderNumber,
    );
    expect(refundCall?.biz.out_request_no).toBe(`cancellation-${order.orderId}`);
    const notice = form(refundNotice(order, order.amountFen, `cancellation-${order.orderId}`, true));
    expect((await notify(notice)).body).toBe('success');
    expect(await consoleRefunds(order)).toEqual([]);
    const rows = await ledgerRows(order.orderNumber);
    expect(rows.map((r) => [r.kind, r.result, r.flagged]).sort()).toEqual([
      ['payment', 'matched', false],
      ['refund', 'cancellation_refunded', false],
    ]);
  });

  it('keeps an order with an open repair request active on a full console refund, and the reconciliation flags it', async () => {
    const order = await paid();
    const em = h.db.orm.em.fork();
    const stored = await em.findOneOrFail(Order, { id: order.orderId });
    em.create(Claim, {
      claimNumber: `CL${randomUUID().replaceAll('-', '').slice(0, 16).toUpperCase()}`,
      order: stored.id,
      manufacturer: stored.manufacturer,
      faultDescription: 'screen flickers',
      faultDate: chinaDate(new Date()),
      contactPhone: '+8613912345678',
      coverageType: 'parts_labour',
      workflowId: `claim-${randomUUID()}`,
    });
    await em.flush();
    expect((await notify(form(refundNotice(order, order.amountFen, 'HZ2026120300021', true)))).body).toBe(
      'success',
    );
    expect((await consoleRefunds(order)).map((r) => r.amountFen)).toEqual([order.amountFen]);
    expect((await load(order.orderNumber)).status).toBe('active');
    const refundRow = (await ledgerRows(order.orderNumber)).find((r) => r.kind === 'refund');
    expect(refundRow).toMatchObject({ result: 'provider_refund_order_active', flagged: true });
  });
});
