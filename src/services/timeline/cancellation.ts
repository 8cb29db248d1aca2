/** CancellationWorkflow in auditors' words: the refund as it was computed, then paid back. */
import type { CancellationActivities } from '../../../activities/cancellation.activities.ts';
import {
  CANCELLATION_STAGES,
  type requestCancellationUpdate,
} from '../../../workflows/cancellation.messages.ts';
import type { Message } from '../../i18n/catalogue.ts';
import type { ActivityDescriber, MessageDescriber, WorkflowDescriber } from './engine.ts';
import { message, money, record, text } from './words.ts';

/**
 * A recorded cancellation's refund told as it was computed: the amount paid, the basis the refund rule
 * took (src/domain/refund.ts), the pro-rating with its days, the approved repairs deducted and the
 * result, every figure from the quote frozen with the cancellation, in the order's currency.
 */
function refundMessage(out: Record<string, unknown>): Message {
  const amount = (value: unknown) => money(value, out.currency);
  const q = record(out.refundQuote);
  const refund = amount(out.refundFen);
  if (out.refundQuote === undefined || out.refundQuote === null)
    // Recorded before the computation was kept with it: state only what the record holds.
    return message(
      out.withinCoolingOff
        ? 'cancellation.recorded.withoutQuote.inCoolingOff'
        : 'cancellation.recorded.withoutQuote.afterCoolingOff',
      { deducted: amount(out.approvedClaimsFen), refund },
    );
  const paid = amount(q.amountFen);
  const coolingOffEnds = text(q.coolingOffEnds);
  if (q.basis === 'cooling_off_full')
    return message('cancellation.recorded.fullRefund', { paid, coolingOffEnds, refund });
  const proRated = amount(q.proRatedFen);
  const deducted = amount(q.approvedClaimsFen);
  // The rule floors the difference at zero; say so only where it did.
  const floored = Number(q.proRatedFen) < Number(q.approvedClaimsFen);
  return message('cancellation.recorded.proRated', {
    paid,
    why: message(
      q.withinCoolingOff ? 'cancellation.why.repairRequested' : 'cancellation.why.coolingOffEnded',
      {
        coolingOffEnds,
      },
    ),
    days: `${text(q.remainingDays)}/${text(q.totalDays)}`,
    proRated,
    deducted,
    result: message(floored ? 'cancellation.result.floored' : 'cancellation.result.difference', {
      proRated,
      deducted,
      refund,
    }),
  });
}

const activities = {
  recordCancellation: {
    doing: () => message('cancellation.recordCancellation.doing'),
    done: (_args, result) => refundMessage(record(result)),
  },
  refundCancellation: {
    doing: () => message('cancellation.refundCancellation.doing'),
    done: (_args, result) =>
      result
        ? message('cancellation.refundCancellation.done', { refundId: text(record(result).providerRefundId) })
        : message('cancellation.refundCancellation.nothing'),
  },
  completeCancellation: {
    doing: () => message('cancellation.completeCancellation.doing'),
    done: () => message('cancellation.completeCancellation.done'),
  },
  notifyCancellation: {
    doing: () => message('cancellation.notifyCancellation.doing'),
    done: () => message('cancellation.notifyCancellation.done'),
  },
} satisfies Record<keyof CancellationActivities, ActivityDescriber>;

const updates = {
  requestCancellation: () => message('cancellation.requestCancellation'),
} satisfies Record<(typeof requestCancellationUpdate)['name'], MessageDescriber>;

export const cancellationTimeline: WorkflowDescriber = {
  started: (input) =>
    message('cancellation.started', {
      orderNumber: text(input.orderNumber),
      requestedOn: text(input.requestedOn),
    }),
  activities,
  updates,
  signals: {},
  stages: CANCELLATION_STAGES,
};
