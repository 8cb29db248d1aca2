/**
 * What a warranty certificate is worth today, for the certificate itself and
 * for anyone checking it: pure, from the order's status and coverage dates.
 */
import { compareDates } from './coverage.ts';
import type { OrderStatus } from './entities/order.entity.ts';

/**
 * - active: paid and covering today; not_started: paid, coverage starts later;
 * - ended: the coverage period is over, or the plan was fulfilled (unit replaced);
 * - cancelled: cancelled and refunded; expired: never paid; pending_payment: not paid yet.
 */
export const COVER_STATUSES = [
  'active',
  'not_started',
  'ended',
  'cancelled',
  'expired',
  'pending_payment',
] as const;
export type CoverStatus = (typeof COVER_STATUSES)[number];

export interface CoverFacts {
  status: OrderStatus;
  /** YYYY-MM-DD, both inclusive; null until the payment is recorded. */
  coverageStart: string | null;
  coverageEnd: string | null;
}

export function coverStatus(order: CoverFacts, today: string): CoverStatus {
  if (order.status !== 'active') return order.status;
  if (order.coverageStart === null || order.coverageEnd === null) return 'pending_payment';
  if (compareDates(today, order.coverageStart) < 0) return 'not_started';
  if (compareDates(today, order.coverageEnd) > 0) return 'ended';
  return 'active';
}

/**
 * A serial number as a verification shows it: enough to match the unit in hand, not enough
 * to register it elsewhere — the first 3 and last 4 characters of a long one (12 or more),
 * the first and last 2 of a shorter one, nothing of a very short one; at most 60% of it.
 */
export function maskSerial(serial: string): string {
  const chars = [...serial];
  const [head, tail] = chars.length >= 12 ? [3, 4] : chars.length >= 6 ? [1, 2] : [0, 0];
  return (
    chars.slice(0, head).join('') +
    '*'.repeat(chars.length - head - tail) +
    chars.slice(chars.length - tail).join('')
  );
}
