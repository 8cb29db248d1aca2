/**
 * How an order ends by cancellation: the cancellation workflow's last step and a full refund
 * made at the provider both come here, under the order's row lock held by the caller.
 */
import type { Order } from './entities/order.entity.ts';

/** Marks an active order cancelled at `at`; an order in any other state stays as it is. Whether it changed. */
export function cancelOrder(order: Order, at: Date): boolean {
  if (order.status !== 'active') return false;
  order.status = 'cancelled';
  order.cancelledAt = at;
  return true;
}
