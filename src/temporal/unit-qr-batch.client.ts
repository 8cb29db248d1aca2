/**
 * How the API starts UnitQrBatchWorkflow, typed against the workflow (its type
 * only, so the web server never loads workflow code).
 */
import type { Client } from '@temporalio/client';
import { BUSINESS_STATUS, MANUFACTURER_ID, PLAN_ID } from '../../workflows/search-attributes.ts';
import type { UnitQrBatchInput, UnitQrBatchWorkflow } from '../../workflows/unit-qr-batch.workflow.ts';
import type { AppConfig } from '../config.ts';

export const unitBatchWorkflowId = (batchId: string) => `unit-batch-${batchId}`;

/** Starts the batch's workflow under the id recorded on the batch. */
export async function startUnitQrBatch(
  client: Client,
  config: AppConfig,
  batch: { workflowId: string; manufacturer: string; plan: string },
  input: UnitQrBatchInput,
): Promise<void> {
  await client.workflow.start<typeof UnitQrBatchWorkflow>('UnitQrBatchWorkflow', {
    taskQueue: config.temporal.taskQueue,
    workflowId: batch.workflowId,
    args: [input],
    typedSearchAttributes: [
      { key: MANUFACTURER_ID, value: batch.manufacturer },
      { key: PLAN_ID, value: batch.plan },
      { key: BUSINESS_STATUS, value: 'issuing' },
    ],
  });
}
