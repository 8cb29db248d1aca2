/**
 * R2 — payment callbacks delivered three times, out of order across
 * purchases, and some after the order expired, on the real Temporal dev server
 * with the sandbox gateway calling back over real HTTP.
 *
 * Twenty purchases: twelve paid in time (each callback sent 3×, a stale
 * "closed" event after every capture, delays that reverse the order in which
 * the captures arrive), four paid after expiry while the workflow still
 * listens, four paid after their workflow has finished (signal-with-start
 * begins a new run). Expected: exactly one order per captured payment, each
 * late payment refunded exactly once (at the gateway too), and the auditor's
 * reconciliation with nothing flagged.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Order,
  Payment,
  PaymentEvent,
  Refund,
  SandboxCallback,
  SandboxPayment,
} from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { reconciliationSummary } from '../../src/services/reconciliation.ts';
import { purchaseStatusQuery } from '../../workflows/purchase.messages.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import {
  pay,
  publishedPlan,
  register,
  registration,
  sandboxPaymentId,
  setBehaviour,
} from '../helpers/purchase-fixtures.ts';

const ON_TIME = 12;
const LATE_WHILE_LISTENING = 4;
const LATE_AFTER_FINISH = 4;
const COPIES = 3;

const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 30_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 150));
  }
};

describe('R2: duplicated, reordered and late callbacks', () => {
  let h: Harness;
  type Placed = Awaited<ReturnType<typeof register>> & { group: 'on_time' | 'late' | 'after_finish' };
  const placed: Placed[] = [];
  /** On-time orders in the order they were paid. */
  const paidOrder: string[] = [];

  beforeAll(async () => {
    h = await startHarness(
      { purchase: { paymentTimeout: '8 seconds', latePaymentWindow: '3 seconds' } },
      { listen: true },
    );
    const plan = await publishedPlan(h);
    const groups = [
      ...Array.from({ length: ON_TIME }, () => 'on_time' as const),
      ...Array.from({ length: LATE_WHILE_LISTENING }, () => 'late' as const),
      ...Array.from({ length: LATE_AFTER_FINISH }, () => 'after_finish' as const),
    ];
    const orders = await Promise.all(
      groups.map(async (group) => ({ ...(await register(h, registration(plan.code))), group })),
    );
    placed.push(...orders);
    // On time: each later payment's callbacks are held back less, so the captures arrive in reverse.
    const onTime = placed.filter((p) => p.group === 'on_time');
    for (const [i, order] of onTime.entries()) {
      await setBehaviour(h, order.payUrl, {
        copies: COPIES,
        reorder: true,
        delayMs: (onTime.length - 1 - i) * 150,
      });
      await pay(h, order.payUrl);
      paidOrder.push(order.orderNumber);
    }
    // Late: the gateway acknowledges the close but still takes the consumer's money.
    for (const order of placed.filter((p) => p.group !== 'on_time'))
      await setBehaviour(h, order.payUrl, { copies: COPIES, reorder: true, ignoreClose: true });
  }, 120_000);
  afterAll(() => h?.close());

  it('records one order per captured payment and refunds each late one once', async () => {
    const handle = (o: Placed) => h.client.workflow.getHandle(purchaseWorkflowId(o.orderNumber));
    const late = placed.filter((p) => p.group === 'late');
    const afterFinish = placed.filter((p) => p.group === 'after_finish');
    // Paid while the expired workflow still listens for late money…
    await Promise.all(
      late.map(async (o) => {
        await until(
          `${o.orderNumber} to expire`,
          async () => (await handle(o).query(purchaseStatusQuery)).stage === 'expired',
        );
        await pay(h, o.payUrl);
      }),
    );
    // …and after it has finished: the callback starts a new run, which refunds.
    await Promise.all(
      afterFinish.map(async (o) => {
        expect((await handle(o).result()).stage).toBe('expired');
        await pay(h, o.payUrl);
      }),
    );

    const em = () => h.db.orm.em.fork();
    const lateOnes = [...late, ...afterFinish];
    await until(
      'every late payment refunded',
      async () => (await em().count(Refund, {})) >= lateOnes.length,
      60_000,
    );
    // Every copy of every callback (captures, stale closes, refunds) answered 2xx.
    await until(
      'every callback delivered',
      async () =>
        (await em().count(SandboxCallback, { deliveredAt: null })) === 0 &&
        (await em().count(SandboxCallback, {})) === placed.length * 2 * COPIES + lateOnes.length * COPIES,
      60_000,
    );
    for (const o of placed) {
      const outcome = await handle(o).result();
      if (o.group === 'on_time') expect(outcome.stage).toBe('completed');
      else expect(outcome.refunded).toEqual([sandboxPaymentId(o.payUrl)]);
    }

    const db = em();
    for (const o of placed) {
      const order = await db.findOneOrFail(Order, { orderNumber: o.orderNumber });
      const payments = await db.find(Payment, { order: order.id });
      expect(payments).toHaveLength(1);
      const [payment] = payments as [Payment];
      const events = await db.find(PaymentEvent, { orderNumber: o.orderNumber });
      // Three copies of each event, stored once each.
      expect(events.filter((e) => e.kind === 'captured')).toHaveLength(1);
      expect(events.filter((e) => e.kind === 'closed')).toHaveLength(1);
      const gateway = await db.findOneOrFail(SandboxPayment, { id: sandboxPaymentId(o.payUrl) });
      const refunds = await db.find(Refund, { payment: payment.id });
      if (o.group === 'on_time') {
        expect(order.status).toBe('active');
        expect(payment.status).toBe('captured');
        expect(refunds).toHaveLength(0);
        expect(gateway).toMatchObject({ status: 'paid', refundedFen: 0 });
      } else {
        expect(order.status).toBe('expired');
        expect(payment.status).toBe('refunded');
        expect(refunds).toHaveLength(1);
        expect(refunds[0]).toMatchObject({ reason: 'late_payment', amountFen: order.amountFen });
        // Refunded once at the gateway as well, and its notification stored once.
        expect(gateway).toMatchObject({ status: 'refunded', refundedFen: order.amountFen });
        expect(events.filter((e) => e.kind === 'refunded')).toHaveLength(1);
      }
    }

    // The captures really arrived out of order across purchases.
    const captures = await db.find(
      PaymentEvent,
      { kind: 'captured', orderNumber: { $in: paidOrder } },
      { orderBy: { createdAt: 'asc' } },
    );
    const arrived = captures.map((e) => e.orderNumber);
    expect(arrived).toHaveLength(ON_TIME);
    expect(arrived).not.toEqual(paidOrder);

    const summary = await reconciliationSummary(db, {});
    const count = (kind: string, result: string) =>
      summary.byResult.find((r) => r.kind === kind && r.result === result)?.count ?? 0;
    expect(summary.flagged, JSON.stringify(summary.byResult)).toBe(0);
    expect(summary.payments).toBe(placed.length);
    expect(count('payment', 'matched')).toBe(ON_TIME);
    expect(count('payment', 'late_payment_refunded')).toBe(lateOnes.length);
    expect(summary.refunds).toBe(lateOnes.length);
    console.log(
      `R2: ${placed.length} purchases, ${COPIES} copies of every callback; captures arrived in order ` +
        `${arrived.map((n) => paidOrder.indexOf(n)).join(',')}; reconciliation`,
      summary.byResult.map((r) => `${r.kind}:${r.result}=${r.count}`).join(' '),
    );
  });
});
