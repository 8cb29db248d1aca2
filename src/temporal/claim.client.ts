/**
 * How the API starts ClaimWorkflow: once per claim, typed against the workflow
 * (its type only, so the web server never loads workflow code).
 */
import type { Client } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { claimWorkflowId } from '../../workflows/claim.messages.ts';
import type { ClaimWorkflow } from '../../workflows/claim.workflow.ts';
import {
  BUSINESS_STATUS,
  MANUFACTURER_ID,
  ORDER_NUMBER,
  PLAN_ID,
} from '../../workflows/search-attributes.ts';
import type { AppConfig } from '../config.ts';
import type { Claim, Order } from '../domain/entities/index.ts';

/** Starts the claim's workflow once; a finished one is never started again. */
export async function startClaimWorkflow(
  client: Client,
  config: AppConfig,
  claim: Pick<Claim, 'claimNumber' | 'manufacturer'>,
  order: Pick<Order, 'orderNumber' | 'plan'>,
): Promise<void> {
  try {
    await client.workflow.start<typeof ClaimWorkflow>('ClaimWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: claimWorkflowId(claim.claimNumber),
      workflowIdConflictPolicy: 'USE_EXISTING',
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      args: [
        {
          claimNumber: claim.claimNumber,
          decisionSla: config.claims.decisionSla,
          repairSla: config.claims.repairSla,
        },
      ],
      typedSearchAttributes: [
        { key: MANUFACTURER_ID, value: claim.manufacturer },
        { key: ORDER_NUMBER, value: order.orderNumber },
        { key: PLAN_ID, value: order.plan },
        { key: BUSINESS_STATUS, value: 'submitted' },
      ],
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
