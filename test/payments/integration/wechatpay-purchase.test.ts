/**
 * WeChat Pay end to end: the PurchaseWorkflow and CancellationWorkflow on the
 * real Temporal dev server, the production WechatpayProvider talking over real
 * HTTP to the offline emulator (which checks every request signature and
 * signs its answers), and the emulator's encrypted, signed notifications
 * coming back to the notify route: paid, timeout → closed and expired, late
 * payment → refunded, cancellation → refund notification → order cancelled.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancellationRefundId } from '../../../activities/cancellation.activities.ts';
import { loadConfig } from '../../../src/config.ts';
import { chinaDate } from '../../../src/domain/coverage.ts';
import { Order, Payment, PaymentEvent, Refund } from '../../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../../src/domain/order-links.ts';
import { wechatpayEmulatorOf } from '../../../src/payments/index.ts';
import type {
  WechatpayEmulator,
  WechatpayEmulatorBehaviour,
} from '../../../src/payments/wechatpay.emulator.ts';
import { cancellationWorkflowId } from '../../../workflows/cancellation.messages.ts';
import { type Harness, startHarness } from '../../helpers/harness.ts';
import { platformUser } from '../../helpers/platform-staff.ts';
import { publishedPlan, register, registration } from '../../helpers/purchase-fixtures.ts';

async function until<T>(what: () => Promise<T>, done: (value: T) => boolean, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await what();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('WeChat Pay through the emulator', () => {
  let h: Harness;
  let emulator: WechatpayEmulator;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness(
      {
        purchase: { paymentTimeout: '3 seconds', latePaymentWindow: '8 seconds' },
        wechatpay: { ...loadConfig().wechatpay, emulator: true },
      },
      { listen: true },
    );
    const found = wechatpayEmulatorOf(h.payments);
    if (!found) throw new Error('the emulator is not mounted');
    emulator = found;
    plan = await publishedPlan(h);
  });
  afterAll(() => h?.close());

  const control = async (orderNumber: string, action: 'pay' | 'behaviour', body: object = {}) => {
    const response = await h.app.inject({
      method: 'POST',
      url: `/wechatpay-emulator/control/transactions/${orderNumber}/${action}`,
      payload: body,
    });
    expect(response.statusCode, response.body).toBe(200);
  };
  const events = (orderNumber: string) => h.db.orm.em.fork().find(PaymentEvent, { orderNumber });
  const order = (orderNumber: string) => h.db.orm.em.fork().findOneOrFail(Order, { orderNumber });
  const placeOrder = async (behaviour: WechatpayEmulatorBehaviour = {}) => {
    const placed = await register(h, registration(plan.code, { paymentProvider: 'wechatpay' }));
    expect(placed.payUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=wx/);
    if (Object.keys(behaviour).length > 0) await control(placed.orderNumber, 'behaviour', behaviour);
    return placed;
  };

  it('is paid: the signed, encrypted TRANSACTION.SUCCESS activates the order, stored once despite duplicates', async () => {
    const placed = await placeOrder({ copies: 3 });
    await control(placed.orderNumber, 'pay');
    const status = await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    expect(status.stage).toBe('completed');
    expect((await order(placed.orderNumber)).status).toBe('active');
    await until(
      async () => emulator.attempts.filter((a) => a.outTradeNo === placed.orderNumber).length,
      (n) => n >= 3,
    );
    const stored = await events(placed.orderNumber);
    expect(stored.map((e) => [e.kind, e.amountFen])).toEqual([
      ['captured', (await order(placed.orderNumber)).amountFen],
    ]);
    expect(emulator.attempts.filter((a) => a.outTradeNo === placed.orderNumber).map((a) => a.status)).toEqual(
      [200, 200, 200],
    );
    // The provider's query reads WeChat Pay's own ledger, verified.
    expect(await h.payments.wechatpay?.paymentRecord(placed.orderNumber)).toMatchObject({
      status: 'captured',
      currency: 'CNY',
    });
  });

  it('closes the WeChat transaction and expires the order when nobody pays in time', async () => {
    const placed = await placeOrder();
    const status = await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    expect(status.stage).toBe('expired');
    expect((await order(placed.orderNumber)).status).toBe('expired');
    expect(emulator.transaction(placed.orderNumber)?.state).toBe('CLOSED');
    const payment = await h.db.orm.em
      .fork()
      .findOneOrFail(Payment, { providerPaymentId: placed.orderNumber });
    expect(payment.status).toBe('closed');
  });

  it('refunds a payment that lands after the order expired, with a deterministic out_refund_no', async () => {
    const placed = await placeOrder();
    const handle = h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber));
    await until(
      async () => ((await handle.query('status')) as { stage: string }).stage,
      (stage) => stage === 'expired',
    );
    // The payer's payment went through as the close raced it.
    await control(placed.orderNumber, 'pay', { evenIfClosed: true });
    const refunds = await until(
      async () => {
        const payment = await h.db.orm.em
          .fork()
          .findOneOrFail(Payment, { providerPaymentId: placed.orderNumber });
        return h.db.orm.em.fork().find(Refund, { payment: payment.id });
      },
      (rows) => rows.length > 0,
    );
    expect(refunds).toHaveLength(1);
    expect(refunds[0]).toMatchObject({ reason: 'late_payment' });
    expect(refunds[0]?.providerRefundId).toMatch(/^late_payment-[0-9a-f-]{36}$/);
    expect((await order(placed.orderNumber)).status).toBe('expired');
    // WeChat Pay's REFUND.SUCCESS comes back and is stored once.
    const stored = await until(
      () => events(placed.orderNumber),
      (rows) => rows.some((e) => e.kind === 'refunded'),
    );
    expect(stored.map((e) => e.kind).sort()).toEqual(['captured', 'refunded']);
    expect(emulator.transaction(placed.orderNumber)?.state).toBe('REFUND');
  });

  it('cancels an order: refund at WeChat Pay, REFUND.SUCCESS stored, order cancelled', async () => {
    const placed = await placeOrder();
    await control(placed.orderNumber, 'pay');
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    const paid = await order(placed.orderNumber);
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${placed.orderNumber}/cancellation?t=${orderAccessToken(placed.orderNumber, h.config.linkSecret)}`,
      payload: { reason: '不需要了', expectedRefundFen: paid.amountFen },
    });
    expect(response.statusCode, response.body).toBe(202);
    const finished = await h.client.workflow.getHandle(cancellationWorkflowId(placed.orderNumber)).result();
    expect(finished).toMatchObject({ stage: 'completed' });
    expect((await order(placed.orderNumber)).status).toBe('cancelled');
    const stored = await until(
      () => events(placed.orderNumber),
      (rows) => rows.some((e) => e.kind === 'refunded'),
    );
    expect(stored.find((e) => e.kind === 'refunded')?.amountFen).toBe(paid.amountFen);
    const refund = await h.db.orm.em
      .fork()
      .findOneOrFail(Refund, { reason: 'cancellation', providerRefundId: cancellationRefundId(paid.id) });
    expect(refund.amountFen).toBe(paid.amountFen);
  });

  it('reconciliation asks WeChat Pay: flags a payment it reports unpaid, matches one it reports paid', async () => {
    const auditor = await platformUser(h, 'auditor');
    const paid = await placeOrder();
    await control(paid.orderNumber, 'pay');
    await h.client.workflow.getHandle(purchaseWorkflowId(paid.orderNumber)).result();
    // Made active by a correctly signed notification while WeChat Pay's own ledger says NOTPAY.
    const unpaid = await placeOrder();
    const unpaidOrder = await order(unpaid.orderNumber);
    const { body } = emulator.envelope('TRANSACTION.SUCCESS', 'TRANSACTION', '支付成功', {
      mchid: '1900000109',
      appid: 'wxd678efh567hg6787',
      out_trade_no: unpaid.orderNumber,
      trade_state: 'SUCCESS',
      amount: { total: unpaidOrder.amountFen, currency: 'CNY' },
    });
    const notified = await h.app.inject({
      method: 'POST',
      url: '/api/v1/payments/wechatpay/notify',
      headers: { 'content-type': 'application/json', ...emulator.signedHeaders(body) },
      payload: body,
    });
    expect(notified.statusCode, notified.body).toBe(200);
    await h.client.workflow.getHandle(purchaseWorkflowId(unpaid.orderNumber)).result();
    expect((await order(unpaid.orderNumber)).status).toBe('active');

    const today = chinaDate(new Date());
    const response = await auditor.request(
      'GET',
      `/api/v1/audit/reconciliation?limit=200&from=${today}&to=${today}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    const rows = (
      response.json() as {
        rows: {
          kind: string;
          orderNumber: string;
          result: string;
          flagged: boolean;
          providerStatus: string | null;
        }[];
      }
    ).rows;
    const row = (orderNumber: string) =>
      rows.find((r) => r.kind === 'payment' && r.orderNumber === orderNumber);
    expect(row(unpaid.orderNumber)).toMatchObject({
      result: 'provider_not_captured',
      flagged: true,
      providerStatus: 'pending',
    });
    expect(row(paid.orderNumber)).toMatchObject({
      result: 'matched',
      flagged: false,
      providerStatus: 'captured',
    });
  });
});
