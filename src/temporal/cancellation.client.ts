/**
 * How the API starts CancellationWorkflow: update-with-start, so a double submit
 * meets the running workflow and gets its one answer. Typed against the workflow
 * (its type only, so the web server never loads workflow code).
 */
import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import {
  type CancellationInput,
  type CancellationRecord,
  cancellationWorkflowId,
  requestCancellationUpdate,
} from '../../workflows/cancellation.messages.ts';
import type { CancellationWorkflow } from '../../workflows/cancellation.workflow.ts';
import {
  BUSINESS_STATUS,
  MANUFACTURER_ID,
  ORDER_NUMBER,
  PLAN_ID,
} from '../../workflows/search-attributes.ts';
import type { AppConfig } from '../config.ts';
import type { Order } from '../domain/entities/index.ts';

/** Asks the order's cancellation workflow (started if need be) for its answer; refusals are thrown. */
export async function startCancellation(
  client: Client,
  config: AppConfig,
  order: Pick<Order, 'orderNumber' | 'manufacturer' | 'plan'>,
  input: CancellationInput & { fingerprint: string },
): Promise<CancellationRecord> {
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof CancellationWorkflow>(
    'CancellationWorkflow',
    {
      workflowId: cancellationWorkflowId(order.orderNumber),
      taskQueue: config.temporal.taskQueue,
      workflowIdConflictPolicy: 'USE_EXISTING',
      args: [input],
      typedSearchAttributes: [
        { key: MANUFACTURER_ID, value: order.manufacturer },
        { key: PLAN_ID, value: order.plan },
        { key: ORDER_NUMBER, value: order.orderNumber },
        { key: BUSINESS_STATUS, value: 'requested' },
      ],
    },
  );
  return await client.workflow.executeUpdateWithStart(requestCancellationUpdate, {
    args: [{ fingerprint: input.fingerprint }],
    startWorkflowOperation,
  });
}

/** Waits a little for the workflow to finish, so the order page the consumer lands on shows the refund. */
export async function cancellationSettled(
  client: Client,
  orderNumber: string,
  timeoutMs: number,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
  });
  const finished = client.workflow
    .getHandle(cancellationWorkflowId(orderNumber))
    .result()
    .then(
      () => undefined,
      () => undefined,
    );
  try {
    await Promise.race([finished, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
