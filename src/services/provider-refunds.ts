/**
 * A refund notice from a provider that reports a running total (Alipay): what
 * this notice refunded, and a refund made at the provider — in the merchant
 * console, not by Yanbao — recorded as a `provider_console` Refund; when it
 * returns the whole payment of an active order, the order is cancelled the
 * way a cancellation ends it. Runs in the transaction that stores the notice,
 * with the order row locked, so duplicates and reordered notices serialise.
 */
import { type EntityManager, LockMode } from '@mikro-orm/postgresql';
import { Claim, Order, Payment, Refund } from '../domain/entities/index.ts';
import { cancelOrder } from '../domain/order-status.ts';
import { providerRefund } from '../domain/provider-refund.ts';
import { claimDeductions } from '../domain/refund.ts';
import type { PaymentNotification } from '../payments/provider.ts';

/** Answers this notice's own refund amount (for the stored event). */
export async function recordProviderRefund(
  tx: EntityManager,
  notification: PaymentNotification & { refundedTotalFen: number },
  ids: { orderId: string; paymentId: string },
): Promise<{ thisRefundFen: number }> {
  const order = await tx.findOneOrFail(Order, { id: ids.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const payment = await tx.findOneOrFail(Payment, { id: ids.paymentId });
  const recorded = await tx.find(Refund, { payment: payment.id });
  const requestId = (notification.refundRequestId ?? notification.eventId).slice(0, 64);
  const outcome = providerRefund({
    paidFen: payment.amountFen,
    refundedTotalFen: notification.refundedTotalFen,
    requestId,
    recorded,
    orderStatus: order.status,
    // A payment sent back as late never paid for the order (it is not captured).
    paysForOrder: payment.status === 'captured',
    openClaims: claimDeductions(await tx.find(Claim, { order: order.id })).open,
  });
  if (outcome.outsideFen > 0)
    tx.create(Refund, {
      payment: payment.id,
      reason: 'provider_console',
      amountFen: outcome.outsideFen,
      currency: payment.currency,
      providerRefundId: requestId,
    });
  if (outcome.cancelOrder) cancelOrder(order, new Date());
  return { thisRefundFen: outcome.thisRefundFen };
}
