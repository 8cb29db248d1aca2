/**
 * Cancellation and refund (issue 4): whether an order can be cancelled and
 * what it would refund, the consumer's request, and the recorded
 * cancellations. The API checks everything it can before starting
 * CancellationWorkflow, so a refused request writes nothing; the workflow's
 * activities check again, with the same quote, under the order's row lock.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { CANCELLATION_ERRORS, type CancellationRecord } from '../../workflows/cancellation.messages.ts';
import type { AppConfig } from '../config.ts';
import { chinaDate } from '../domain/coverage.ts';
import { Cancellation, Claim, type Order, PlanVersion } from '../domain/entities/index.ts';
import { conflict, errorMessage, fieldProblem, idempotencyKeyReused } from '../domain/errors.ts';
import { claimDeductions, type RefundQuote, refundQuote } from '../domain/refund.ts';
import { cancellationFingerprint } from '../domain/request-fingerprint.ts';
import type { Message } from '../i18n/catalogue.ts';
import { startCancellation } from '../temporal/cancellation.client.ts';
import { updateRefusal } from '../temporal/workflow-calls.ts';

/**
 * Whether an order can be cancelled on a day and what it would refund: the
 * preview the consumer reads and the amount recordCancellation freezes.
 */
export async function quoteCancellation(
  em: EntityManager,
  order: Order,
  on: string,
): Promise<
  { quote: RefundQuote; refused: null } | { quote: null; refused: { type: string; detail: Message } }
> {
  if (order.status !== 'active' || !order.paidAt || !order.coverageStart || !order.coverageEnd)
    return {
      quote: null,
      refused: {
        type: CANCELLATION_ERRORS.notCancellable,
        detail: errorMessage('notCancellable', { status: order.status }),
      },
    };
  const deductions = claimDeductions(await em.find(Claim, { order: order.id }));
  if (deductions.open > 0)
    return {
      quote: null,
      refused: {
        type: CANCELLATION_ERRORS.claimOpen,
        detail: errorMessage('cancelClaimOpen'),
      },
    };
  const version = await em.findOneOrFail(PlanVersion, { id: order.planVersion });
  const quote = refundQuote({
    amountFen: order.amountFen,
    paidOn: chinaDate(order.paidAt),
    coolingOffDays: version.coolingOffDays,
    coverageStart: order.coverageStart,
    coverageEnd: order.coverageEnd,
    cancelledOn: on,
    claimFiled: deductions.filed > 0,
    approvedClaimsFen: deductions.approvedFen,
  });
  return { quote, refused: null };
}

/** A recorded cancellation with the computation of its refund (null when recorded before it was kept). */
export type RecordedCancellation = CancellationRecord & { refundQuote: RefundQuote | null };

/** A cancellation as the consumer and the API see it; the history carries the refund's computation too. */
export function cancellationRecordOf(cancellation: Cancellation, order: Order): RecordedCancellation {
  return {
    orderNumber: order.orderNumber,
    status: cancellation.status,
    withinCoolingOff: cancellation.withinCoolingOff,
    approvedClaimsFen: cancellation.approvedClaimsFen,
    refundFen: cancellation.refundFen,
    currency: order.currency,
    requestedAt: cancellation.createdAt.toISOString(),
    refundedAt: cancellation.refundedAt?.toISOString() ?? null,
    refundQuote: cancellation.refundQuote ?? null,
  };
}

/** The order's cancellation, once requested. */
export async function cancellationOf(em: EntityManager, order: Order): Promise<RecordedCancellation | null> {
  const cancellation = await em.findOne(Cancellation, { order: order.id });
  return cancellation && cancellationRecordOf(cancellation, order);
}

/** What cancelling an order on a day would refund, and every number it is computed from. */
export interface CancellationPreview extends Omit<RefundQuote, 'claimFiled'> {
  orderNumber: string;
  quotedOn: string;
  currency: string;
}

/** What cancelling the order today would refund; 409 when it cannot be cancelled. */
export async function previewCancellation(
  em: EntityManager,
  order: Order,
  on = chinaDate(new Date()),
): Promise<CancellationPreview> {
  const { quote, refused } = await quoteCancellation(em, order, on);
  if (refused) throw conflict(refused.detail);
  return {
    orderNumber: order.orderNumber,
    quotedOn: on,
    amountFen: quote.amountFen,
    basis: quote.basis,
    withinCoolingOff: quote.withinCoolingOff,
    coolingOffEnds: quote.coolingOffEnds,
    totalDays: quote.totalDays,
    remainingDays: quote.remainingDays,
    proRatedFen: quote.proRatedFen,
    approvedClaimsFen: quote.approvedClaimsFen,
    refundFen: quote.refundFen,
    currency: order.currency,
  };
}

export interface CancellationRequest {
  reason?: string | undefined;
  /** The refund the consumer was shown; when it no longer holds the request is refused with 409. */
  expectedRefundFen?: number | undefined;
}

const cancellationReused = () => idempotencyKeyReused('orderNumber', errorMessage('cancellationReused'));

/**
 * Starts (or meets) the order's CancellationWorkflow with update-with-start
 * and answers with the recorded cancellation. Refusals the API can see are
 * answered before anything is started or written. The order is the
 * cancellation's idempotency key: the same request again is the recorded
 * cancellation, a different reason or confirmed refund is refused (422).
 */
export async function requestCancellation(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  order: Order,
  body: CancellationRequest,
): Promise<CancellationRecord> {
  const fingerprint = cancellationFingerprint(body);
  const recorded = await deps.em.findOne(Cancellation, { order: order.id });
  if (recorded) {
    if (recorded.requestFingerprint && recorded.requestFingerprint !== fingerprint)
      throw cancellationReused();
    return cancellationRecordOf(recorded, order);
  }
  const today = chinaDate(new Date());
  const preview = await previewCancellation(deps.em, order, today);
  if (body.expectedRefundFen !== undefined && body.expectedRefundFen !== preview.refundFen)
    throw conflict(errorMessage('refundChanged'), [
      fieldProblem('expectedRefundFen', 'refundChanged', { refundFen: preview.refundFen }),
    ]);
  try {
    return await startCancellation(deps.client, deps.config, order, {
      orderNumber: order.orderNumber,
      requestedOn: today,
      reason: body.reason?.trim() || null,
      fingerprint,
    });
  } catch (err) {
    const refusal = updateRefusal(err);
    if (refusal?.type === CANCELLATION_ERRORS.idempotencyKeyReused) throw cancellationReused();
    if (refusal) throw conflict(refusal.detail ?? errorMessage('notCancellable', { status: order.status }));
    throw err;
  }
}
