/**
 * Refunds a provider reports that Yanbao did not make: a merchant refunding in
 * Alipay's merchant console. Alipay's notice gives refund_fee, the total refunded
 * on the trade so far, and out_biz_no, the refund request it answers. Pure, so
 * duplicates and notices arriving out of order can be property-tested.
 */
import type { OrderStatus } from './entities/order.entity.ts';
import { isUuid } from './uuid.ts';

/** Yanbao's own refund requests, as the provider sees their ids. */
export type YanbaoRefundReason = 'late_payment' | 'cancellation';

/** The refund id Yanbao sends the provider: the same for every retry of one refund. */
export const yanbaoRefundId = (reason: YanbaoRefundReason, subjectId: string) => `${reason}-${subjectId}`;

const YANBAO_REFUND_ID = /^(?:late_payment|cancellation)-(.*)$/;

/** Whether a provider's refund request id is one of Yanbao's own (their rows are written by the activity that made them). */
export const isYanbaoRefundId = (id: string) => isUuid(YANBAO_REFUND_ID.exec(id)?.[1]);

export interface ProviderRefundNotice {
  /** The payment's amount, integer fen. */
  paidFen: number;
  /** The provider's running total of refunds on the payment, this one included. */
  refundedTotalFen: number;
  /** The refund request this notice answers (Alipay's out_biz_no, or the notice's own id without one). */
  requestId: string;
  /** Every refund already recorded for the payment, whoever made it. */
  recorded: readonly { providerRefundId: string; amountFen: number }[];
  /** Only a refund of the payment that pays for an active order can end it. */
  orderStatus: OrderStatus;
  paysForOrder: boolean;
  /** Repair requests still being handled on the order (see claimDeductions). */
  openClaims: number;
}

export interface ProviderRefundOutcome {
  /** This notice's refund: the running total less what is recorded for other refund requests. */
  thisRefundFen: number;
  /** To record as a refund made at the provider: the running total less everything recorded (0: nothing new). */
  outsideFen: number;
  /**
   * Cancel the order: the provider has refunded all of its payment. Not while a repair request
   * is open — the service desk may have promised a repair; the reconciliation flags the order
   * for a person to settle instead.
   */
  cancelOrder: boolean;
}

export function providerRefund(notice: ProviderRefundNotice): ProviderRefundOutcome {
  const { paidFen, refundedTotalFen, requestId, recorded } = notice;
  if (!Number.isSafeInteger(refundedTotalFen) || refundedTotalFen < 0 || refundedTotalFen > paidFen)
    throw new RangeError(`refunded total ${refundedTotalFen} is outside 0..${paidFen}`);
  const all = recorded.reduce((sum, r) => sum + r.amountFen, 0);
  const others = recorded.reduce((sum, r) => sum + (r.providerRefundId === requestId ? 0 : r.amountFen), 0);
  // Yanbao's own refunds are recorded by the activity that made them, which may not have finished.
  const outsideFen = isYanbaoRefundId(requestId) ? 0 : Math.max(0, refundedTotalFen - all);
  return {
    thisRefundFen: Math.max(0, refundedTotalFen - others),
    outsideFen,
    cancelOrder:
      outsideFen > 0 &&
      notice.paysForOrder &&
      notice.orderStatus === 'active' &&
      refundedTotalFen >= paidFen &&
      notice.openClaims === 0,
  };
}
