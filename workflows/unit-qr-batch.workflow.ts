/**
 * UnitQrBatchWorkflow — one per batch of per-unit QR codes (id `unit-batch-<batchId>`):
 * issue the unit codes (UnitCode rows, idempotent), then render the ZIP of PNGs
 * or the PDF label sheet, a long activity that heartbeats and writes progress
 * (UnitQrBatch.done) as it goes. On a final failure the batch is marked failed.
 *
 * The units travel in the input as the validated request (a range stays two
 * strings; a list is at most 10,000 serials of ≤ 100 characters, about 1 MB,
 * under Temporal's 2 MB payload limit) because UnitQrBatch has no serials
 * column and a UnitCode row keeps the batch that first issued it.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  isCancellation,
  log,
  proxyActivities,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { UnitBatchActivities } from '../activities/unit-batch.activities.ts';
import type { SerialBatchRequest } from '../src/domain/serial-batch.ts';
import { BUSINESS_STATUS } from './search-attributes.ts';
import type { UnitBatchStage } from './unit-qr-batch.messages.ts';

export interface UnitQrBatchInput {
  batchId: string;
  units: SerialBatchRequest;
}

export interface UnitQrBatchResult {
  total: number;
  /** Units that got their first UnitCode in this batch (the rest were issued before). */
  newUnits: number;
  bytes: number;
}

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' } as const;

const { issueUnitCodes, markUnitBatchFailed } = proxyActivities<UnitBatchActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { ...retry, maximumAttempts: 10 },
});

// 10,000 PNGs take about half a minute; a lost worker is noticed within the heartbeat timeout.
const { renderUnitBatch } = proxyActivities<UnitBatchActivities>({
  startToCloseTimeout: '30 minutes',
  heartbeatTimeout: '30 seconds',
  retry: { ...retry, maximumAttempts: 5 },
});

export async function UnitQrBatchWorkflow(input: UnitQrBatchInput): Promise<UnitQrBatchResult> {
  const moveTo = (status: UnitBatchStage) =>
    upsertSearchAttributes([{ key: BUSINESS_STATUS, value: status }]);
  try {
    moveTo('issuing');
    const issued = await issueUnitCodes(input.batchId, input.units);
    moveTo('rendering');
    const rendered = await renderUnitBatch(input.batchId, input.units);
    moveTo('done');
    log.info('unit QR batch done', { batchId: input.batchId, total: issued.total });
    return { total: issued.total, newUnits: issued.newUnits, bytes: rendered.bytes };
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : err;
    const reason = cause instanceof Error ? cause.message : String(cause);
    // Non-cancellable: a cancelled batch is still marked, so the portal stops polling it.
    await CancellationScope.nonCancellable(() => markUnitBatchFailed(input.batchId, reason));
    moveTo('failed');
    if (isCancellation(err)) throw err;
    throw ApplicationFailure.create({
      type: 'UnitBatchFailed',
      message: reason,
      nonRetryable: true,
      cause: err instanceof Error ? err : undefined,
    });
  }
}
