import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cancelOrder } from '../../src/domain/order-status.ts';
import {
  isYanbaoRefundId,
  type ProviderRefundNotice,
  providerRefund,
  yanbaoRefundId,
} from '../../src/domain/provider-refund.ts';

const ORDER_ID = '3f2b8c1e-0a4d-4e5f-9a6b-7c8d9e0f1a2b';
const notice = (over: Partial<ProviderRefundNotice>): ProviderRefundNotice => ({
  paidFen: 10_000,
  refundedTotalFen: 10_000,
  requestId: 'HZ1',
  recorded: [],
  orderStatus: 'active',
  paysForOrder: true,
  openClaims: 0,
  ...over,
});

/** Delivers notices one by one, recording what each outcome says, as the notify route does. */
function deliver(paidFen: number, notices: { requestId: string; total: number }[]) {
  const recorded: { providerRefundId: string; amountFen: number }[] = [];
  let cancelled = false;
  for (const n of notices) {
    const outcome = providerRefund(
      notice({
        paidFen,
        refundedTotalFen: n.total,
        requestId: n.requestId,
        recorded,
        orderStatus: cancelled ? 'cancelled' : 'active',
      }),
    );
    expect(outcome.outsideFen).toBeGreaterThanOrEqual(0);
    if (outcome.outsideFen > 0)
      recorded.push({ providerRefundId: n.requestId, amountFen: outcome.outsideFen });
    if (outcome.cancelOrder) {
      expect(cancelled).toBe(false);
      cancelled = true;
    }
  }
  return { recorded, cancelled, total: recorded.reduce((sum, r) => sum + r.amountFen, 0) };
}

describe('refunds made at the provider', () => {
  it("tells Yanbao's own refund ids from the console's", () => {
    expect(isYanbaoRefundId(yanbaoRefundId('cancellation', ORDER_ID))).toBe(true);
    expect(isYanbaoRefundId(yanbaoRefundId('late_payment', ORDER_ID))).toBe(true);
    for (const other of [
      'HZ2026120300001',
      'cancellation-',
      `cancellation-${ORDER_ID}x`,
      `refund-${ORDER_ID}`,
    ])
      expect(isYanbaoRefundId(other), other).toBe(false);
  });

  it('reads refund_fee as a running total: this refund is the total less the other requests recorded', () => {
    const recorded = [{ providerRefundId: 'HZ1', amountFen: 3_000 }];
    expect(providerRefund(notice({ refundedTotalFen: 10_000, requestId: 'HZ2', recorded }))).toEqual({
      thisRefundFen: 7_000,
      outsideFen: 7_000,
      cancelOrder: true,
    });
    // The same notice again: nothing new.
    const again = [...recorded, { providerRefundId: 'HZ2', amountFen: 7_000 }];
    expect(providerRefund(notice({ refundedTotalFen: 10_000, requestId: 'HZ2', recorded: again }))).toEqual({
      thisRefundFen: 7_000,
      outsideFen: 0,
      cancelOrder: false,
    });
  });

  it("records nothing for Yanbao's own refund, even before its row is written", () => {
    const own = yanbaoRefundId('cancellation', ORDER_ID);
    expect(providerRefund(notice({ requestId: own }))).toEqual({
      thisRefundFen: 10_000,
      outsideFen: 0,
      cancelOrder: false,
    });
  });

  it('cancels only an active order its payment paid for, fully refunded, with no repair request open', () => {
    expect(providerRefund(notice({ refundedTotalFen: 9_999 })).cancelOrder).toBe(false);
    expect(providerRefund(notice({ openClaims: 1 })).cancelOrder).toBe(false);
    expect(providerRefund(notice({ paysForOrder: false })).cancelOrder).toBe(false);
    for (const orderStatus of ['ended', 'cancelled', 'expired', 'pending_payment'] as const)
      expect(providerRefund(notice({ orderStatus })).cancelOrder, orderStatus).toBe(false);
    expect(providerRefund(notice({})).cancelOrder).toBe(true);
    expect(() => providerRefund(notice({ refundedTotalFen: 10_001 }))).toThrow(RangeError);
  });

  it('any order of delivery, with duplicates, records exactly the highest total, cancelling once when it is everything', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        fc.func(fc.integer()),
        fc.array(fc.nat(), { maxLength: 6 }),
        (paidFen, steps, full, order, repeats) => {
          // Successive console refunds: increasing running totals, the last one everything when `full`.
          const weights = steps.sort((a, b) => a - b);
          const top = weights[weights.length - 1] as number;
          const totals = weights.map((w) => Math.max(1, Math.floor((paidFen * w) / (top + (full ? 0 : 1)))));
          const notices = totals.map((total, i) => ({ requestId: `HZ${i}`, total }));
          const sent = [
            ...notices,
            ...repeats.map((r) => notices[r % notices.length] as (typeof notices)[number]),
          ];
          sent.sort((a, b) => order(a.requestId + a.total) - order(b.requestId + b.total));
          const { total, cancelled } = deliver(paidFen, sent);
          const highest = Math.max(...totals);
          expect(total).toBe(highest);
          expect(cancelled).toBe(highest === paidFen);
        },
      ),
    );
  });
});

describe('ending an order by cancellation', () => {
  it('cancels an active order once, and leaves any other as it is', () => {
    const at = new Date('2026-12-03T08:00:00Z');
    const order = { status: 'active', cancelledAt: null } as unknown as Parameters<typeof cancelOrder>[0];
    expect(cancelOrder(order, at)).toBe(true);
    expect(order).toMatchObject({ status: 'cancelled', cancelledAt: at });
    expect(cancelOrder(order, new Date())).toBe(false);
    expect(order.cancelledAt).toBe(at);
    const ended = { status: 'ended', cancelledAt: null } as unknown as Parameters<typeof cancelOrder>[0];
    expect(cancelOrder(ended, at)).toBe(false);
    expect(ended.status).toBe('ended');
  });
});
