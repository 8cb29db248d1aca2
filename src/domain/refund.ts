/**
 * What a consumer gets back when cancelling a plan (issue 4, "cancellation
 * and refund"). Pure and integer-only, so the preview the consumer reads and
 * the amount the cancellation workflow freezes come from the same rule.
 *
 * - Inside the cooling-off period — from the China date of payment through
 *   `coolingOffDays` days later, both inclusive — and with no claim filed:
 *   the whole amount paid.
 * - Otherwise, pro-rated by the coverage days that remain:
 *   floor(amountFen × remainingDays / totalDays) − approved claim costs,
 *   never below zero and never above the amount paid.
 *
 * totalDays counts the coverage window with both ends. remainingDays counts
 * from the cancellation date through coverageEnd, both inclusive, so
 * cancelling on the last day still returns one day; before coverage starts
 * (after_base_warranty plans often start a year after the sale) all of it
 * remains, and after it ended none does.
 */
import { addDays, assertCalendarDate, type CoverageWindow, compareDates, daysBetween } from './coverage.ts';
import type { ClaimStatus } from './entities/claim.entity.ts';

export interface RefundTerms {
  /** What the consumer paid, integer fen. */
  amountFen: number;
  /** YYYY-MM-DD (China time) the order was paid. */
  paidOn: string;
  /** Days after paidOn during which a cancellation without claims is refunded in full. */
  coolingOffDays: number;
  /** First and last covered day, YYYY-MM-DD, both inclusive. */
  coverageStart: string;
  coverageEnd: string;
}

export interface RefundRequest extends RefundTerms {
  /** YYYY-MM-DD (China time) the consumer cancels. */
  cancelledOn: string;
  /** Whether a claim counts as filed against the order (see claimDeductions). */
  claimFiled: boolean;
  /** Sum of approved repair costs, integer fen (see claimDeductions). */
  approvedClaimsFen: number;
}

/** Which branch of the rule the refund took: the whole amount, or pro-rated minus approved repairs. */
export const REFUND_BASES = ['cooling_off_full', 'pro_rated'] as const;
export type RefundBasis = (typeof REFUND_BASES)[number];

/**
 * The refund and every number it was computed from, so what is shown or told
 * about it (preview, audit timeline) states the computation as it was made.
 */
export interface RefundQuote {
  basis: RefundBasis;
  /** What the consumer paid, integer fen. */
  amountFen: number;
  withinCoolingOff: boolean;
  /** Whether a claim counted as filed (it rules out the cooling-off full refund). */
  claimFiled: boolean;
  /** Last day of the cooling-off period, YYYY-MM-DD. */
  coolingOffEnds: string;
  totalDays: number;
  remainingDays: number;
  /** floor(amountFen × remainingDays / totalDays), before claim costs. */
  proRatedFen: number;
  approvedClaimsFen: number;
  refundFen: number;
}

/** What a claim contributes to a cancellation. */
export interface ClaimFacts {
  status: ClaimStatus;
  repairCostFen?: number | null;
}

export interface ClaimDeductions {
  /**
   * Claims that count as filed: every claim except a rejected one (a rejected
   * claim gave the consumer nothing, so it does not cost the full refund).
   */
  filed: number;
  /** Claims still being handled (submitted or accepted without a repair yet): a cancellation waits for them. */
  open: number;
  /**
   * Approved claim costs: claims the service desk accepted (status accepted,
   * repaired or closed) and for which it recorded a repair cost.
   */
  approvedFen: number;
}

const ACCEPTED: readonly ClaimStatus[] = ['accepted', 'repaired', 'closed'];
const OPEN: readonly ClaimStatus[] = ['submitted', 'accepted'];

/** How an order's claims bear on its cancellation. Adds up: deductions of two lists sum to those of both. */
export function claimDeductions(claims: readonly ClaimFacts[]): ClaimDeductions {
  let filed = 0;
  let open = 0;
  let approvedFen = 0;
  for (const claim of claims) {
    if (claim.status !== 'rejected') filed++;
    const hasCost = claim.repairCostFen !== null && claim.repairCostFen !== undefined;
    if (OPEN.includes(claim.status) && !hasCost) open++;
    if (ACCEPTED.includes(claim.status) && hasCost) {
      assertFen(claim.repairCostFen, 'repairCostFen');
      approvedFen += claim.repairCostFen as number;
    }
  }
  return { filed, open, approvedFen };
}

/** The refund for cancelling on `cancelledOn`; throws a RangeError on malformed input. */
export function refundQuote(request: RefundRequest): RefundQuote {
  const { amountFen, paidOn, coolingOffDays, coverageStart, coverageEnd, cancelledOn } = request;
  assertFen(amountFen, 'amountFen');
  assertFen(request.approvedClaimsFen, 'approvedClaimsFen');
  if (!Number.isSafeInteger(coolingOffDays) || coolingOffDays < 0)
    throw new RangeError(`coolingOffDays must be a non-negative integer, got ${coolingOffDays}`);
  assertCalendarDate(paidOn, 'paidOn');
  assertCalendarDate(coverageStart, 'coverageStart');
  assertCalendarDate(coverageEnd, 'coverageEnd');
  assertCalendarDate(cancelledOn, 'cancelledOn');
  if (compareDates(coverageStart, coverageEnd) > 0)
    throw new RangeError(`coverageEnd ${coverageEnd} is before coverageStart ${coverageStart}`);

  const coolingOffEnds = addDays(paidOn, coolingOffDays);
  const withinCoolingOff = compareDates(cancelledOn, coolingOffEnds) <= 0;
  const { totalDays, remainingDays, proRatedFen } = remainingShare(
    amountFen,
    { start: coverageStart, end: coverageEnd },
    cancelledOn,
  );
  const basis: RefundBasis = withinCoolingOff && !request.claimFiled ? 'cooling_off_full' : 'pro_rated';
  const refundFen =
    basis === 'cooling_off_full'
      ? amountFen
      : Math.min(amountFen, Math.max(0, proRatedFen - request.approvedClaimsFen));
  return {
    basis,
    amountFen,
    withinCoolingOff,
    claimFiled: request.claimFiled,
    coolingOffEnds,
    totalDays,
    remainingDays,
    proRatedFen,
    approvedClaimsFen: request.approvedClaimsFen,
    refundFen,
  };
}

/**
 * The share of `amountFen` that the coverage days from `onDay` through the
 * window's end (both inclusive) are worth: floor(amountFen × remainingDays /
 * totalDays), all of it before the window starts, none after it ended. The
 * refund for cancelling on a day and the price of cover that has already
 * started when it is bought on that day (registration.ts) are both this share.
 */
export function remainingShare(
  amountFen: number,
  window: CoverageWindow,
  onDay: string,
): { totalDays: number; remainingDays: number; proRatedFen: number } {
  assertFen(amountFen, 'amountFen');
  assertCalendarDate(window.start, 'coverageStart');
  assertCalendarDate(window.end, 'coverageEnd');
  assertCalendarDate(onDay, 'onDay');
  if (compareDates(window.start, window.end) > 0)
    throw new RangeError(`coverageEnd ${window.end} is before coverageStart ${window.start}`);
  const totalDays = daysBetween(window.start, window.end) + 1;
  const remainingDays = Math.max(0, Math.min(totalDays, daysBetween(onDay, window.end) + 1));
  // BigInt keeps the product exact for any safe amount and term.
  const proRatedFen = Number((BigInt(amountFen) * BigInt(remainingDays)) / BigInt(totalDays));
  return { totalDays, remainingDays, proRatedFen };
}

function assertFen(value: unknown, what: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`${what} must be a non-negative integer number of fen, got ${String(value)}`);
}
