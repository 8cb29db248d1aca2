/**
 * How the API talks to PlanCreationWorkflow: start it once per draft, read its
 * state, and send Updates, translating workflow rejections into domain errors.
 */

import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  PLAN_CREATION_ERRORS,
  type PlanCreationStatus,
  type ReviewInput,
  reviewUpdate,
  type SubmitSelectionInput,
  statusQuery,
  submitSelectionUpdate,
} from '../../workflows/plan-creation.messages.ts';
import type { PlanCreationWorkflow } from '../../workflows/plan-creation.workflow.ts';
import { BUSINESS_STATUS, MANUFACTURER_ID } from '../../workflows/search-attributes.ts';
import type { AppConfig } from '../config.ts';
import { conflict, errorMessage, FIELD_WORDS, forbidden, notFound, rejected } from '../domain/errors.ts';
import { queryIfExists, updateRefusal } from './workflow-calls.ts';

export const planDraftWorkflowId = (draftId: string) => `plan-draft-${draftId}`;

export async function startPlanCreation(
  client: Client,
  config: AppConfig,
  draft: { id: string; manufacturer: string },
): Promise<void> {
  // USE_EXISTING: a retried request (or a double click) finds the running workflow instead of failing.
  await client.workflow.start<typeof PlanCreationWorkflow>('PlanCreationWorkflow', {
    taskQueue: config.temporal.taskQueue,
    workflowId: planDraftWorkflowId(draft.id),
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [
      {
        draftId: draft.id,
        manufacturerId: draft.manufacturer,
        reminderInterval: config.planReview.reminderInterval,
        expiresAfter: config.planReview.draftExpiresAfter,
      },
    ],
    typedSearchAttributes: [
      { key: MANUFACTURER_ID, value: draft.manufacturer },
      { key: BUSINESS_STATUS, value: 'entry' },
    ],
  });
}

export const planCreationStatus = (client: Client, draftId: string): Promise<PlanCreationStatus | null> =>
  queryIfExists(client, planDraftWorkflowId(draftId), statusQuery);

/** Maps a workflow's rejection (validator or activity) to the HTTP-facing domain error. */
function translate(err: unknown): never {
  const refusal = updateRefusal(err);
  switch (refusal?.type) {
    case PLAN_CREATION_ERRORS.fourEyes:
      throw forbidden(errorMessage('fourEyes'));
    case PLAN_CREATION_ERRORS.wrongStage:
      throw conflict(errorMessage('draftWrongStage'));
    case PLAN_CREATION_ERRORS.invalidSelection:
    case PLAN_CREATION_ERRORS.invalidDraft:
      throw rejected('rejected_by_workflow', FIELD_WORDS, refusal.fields);
  }
  if (err instanceof WorkflowNotFoundError) throw notFound('draftWorkflow');
  throw err;
}

export async function submitSelection(client: Client, draftId: string, input: SubmitSelectionInput) {
  try {
    return await client.workflow
      .getHandle(planDraftWorkflowId(draftId))
      .executeUpdate(submitSelectionUpdate, { args: [input] });
  } catch (err) {
    translate(err);
  }
}

export async function reviewDraft(client: Client, draftId: string, input: ReviewInput) {
  try {
    return await client.workflow
      .getHandle(planDraftWorkflowId(draftId))
      .executeUpdate(reviewUpdate, { args: [input] });
  } catch (err) {
    translate(err);
  }
}
