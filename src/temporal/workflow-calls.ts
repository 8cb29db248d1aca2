/** What every client of a workflow needs: queries that tolerate a missing workflow, and Update refusals as data. */
import { type Client, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, type QueryDefinition, WorkflowNotFoundError } from '@temporalio/common';
import type { FieldProblem } from '../domain/errors.ts';
import type { Message } from '../i18n/catalogue.ts';

/** The workflow's answer to a query, or null when no such workflow exists. */
export async function queryIfExists<T>(
  client: Client,
  workflowId: string,
  query: QueryDefinition<T, []>,
): Promise<T | null> {
  try {
    return await client.workflow.getHandle(workflowId).query(query);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return null;
    throw err;
  }
}

export interface UpdateRefusal {
  /** The ApplicationFailure type the workflow (validator or activity) refused with. */
  type: string | undefined | null;
  message: string;
  /** Field problems, when the workflow attached them as its first detail. */
  fields: FieldProblem[];
  /** What the refusal says as a catalogue message, when the workflow attached it as its second detail. */
  detail: Message | null;
}

/** The business refusal inside a failed Update, or null when the failure was something else. */
export function updateRefusal(err: unknown): UpdateRefusal | null {
  const cause = err instanceof WorkflowUpdateFailedError ? err.cause : undefined;
  if (!(cause instanceof ApplicationFailure)) return null;
  return {
    type: cause.type,
    message: cause.message,
    fields: (cause.details?.[0] as FieldProblem[] | undefined) ?? [],
    detail: (cause.details?.[1] as Message | undefined) ?? null,
  };
}
