/**
 * CancellationWorkflow — one per order (id `cancellation-<orderNumber>`,
 * started by update-with-start with USE_EXISTING, so a double submit is one
 * cancellation): record the cancellation with its refund frozen → refund
 * through the payment provider (skipped when nothing is owed) → order
 * cancelled → consumer notified. The request Update answers as soon as the
 * cancellation is recorded, or with the reason it was refused.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { CancellationActivities } from '../activities/cancellation.activities.ts';
import {
  CANCELLATION_ERRORS,
  type CancellationInput,
  type CancellationRecord,
  type CancellationRequestMessage,
  type CancellationStage,
  type CancellationStatus,
  cancellationStatusQuery,
  requestCancellationUpdate,
} from './cancellation.messages.ts';
import { BUSINESS_STATUS } from './search-attributes.ts';
import { unwrapActivity } from './unwrap-activity.ts';

// The refund must eventually happen: a provider outage is retried (backing off to a few
// minutes apart) for as long as it lasts, visible to auditors as a workflow in "refunding".
const activities = proxyActivities<CancellationActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '5 minutes' },
});

export async function CancellationWorkflow(input: CancellationInput): Promise<CancellationStatus> {
  let stage = 'requested' as CancellationStage;
  let record = null as CancellationRecord | null;
  const status = (): CancellationStatus => ({ stage, record });
  const moveTo = (next: CancellationStage) => {
    stage = next;
    upsertSearchAttributes([{ key: BUSINESS_STATUS, value: next }]);
  };

  // 1. record — once; every request Update (a double-tapped "Confirm") gets this same answer.
  const recording = unwrapActivity(activities.recordCancellation(input));
  setHandler(cancellationStatusQuery, status);
  setHandler(requestCancellationUpdate, (_request?: CancellationRequestMessage) => recording, {
    // Another request for the order is the same cancellation only if it asks the same (reason, refund
    // shown); otherwise it is refused before it reaches history. Validators run only on live delivery,
    // never on replay, so recorded histories are unaffected.
    validator: (request?: CancellationRequestMessage) => {
      if (request && input.fingerprint !== undefined && request.fingerprint !== input.fingerprint)
        throw ApplicationFailure.create({
          type: CANCELLATION_ERRORS.idempotencyKeyReused,
          message: 'this order already has a cancellation requested with a different reason or refund',
          nonRetryable: true,
        });
    },
  });

  try {
    record = await recording;
  } catch (err) {
    if (!(err instanceof ApplicationFailure && err.nonRetryable)) throw err;
    log.info('cancellation refused', { orderNumber: input.orderNumber, reason: err.type });
    moveTo('rejected');
    await condition(allHandlersFinished);
    return status();
  }

  // 2. refund through the provider, idempotently; a zero refund owes the provider nothing.
  moveTo('refunding');
  if (record.refundFen > 0) await activities.refundCancellation(input.orderNumber);
  // 3. the order cancelled and the cancellation settled, together.
  record = await activities.completeCancellation(input.orderNumber);
  // 4. the consumer is told.
  await activities.notifyCancellation(input.orderNumber);
  moveTo('completed');
  log.info('cancellation finished', { orderNumber: input.orderNumber, refundFen: record.refundFen });
  await condition(allHandlersFinished);
  return status();
}
