/**
 * A workflow's history told in business words for auditors: who submitted, who approved, which provider
 * paid with which event id, when the order was recorded or refunded, with timestamps and durations.
 * The engine (timeline/engine.ts) walks the history; one describer per workflow (timeline/*.ts) gives
 * the words as catalogue messages, and the edge tells them in the reader's language (`stepInWords`).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayloadConverter } from '@temporalio/common';
import type proto from '@temporalio/proto';
import type * as workflows from '../../workflows/index.ts';
import { User } from '../domain/entities/index.ts';
import { cancellationTimeline } from './timeline/cancellation.ts';
import { claimTimeline } from './timeline/claim.ts';
import {
  buildSteps,
  type TimelineFacts,
  type TimelineStep,
  tellMessage,
  type WorkflowDescriber,
  withActor,
} from './timeline/engine.ts';
import { planCreationTimeline } from './timeline/plan-creation.ts';
import { purchaseTimeline } from './timeline/purchase.ts';
import { statsRollupTimeline } from './timeline/stats-rollup.ts';
import { unitQrBatchTimeline } from './timeline/unit-qr-batch.ts';
import { record } from './timeline/words.ts';

export type { StepKind, StepOutcome, TimelineFacts, TimelineStep } from './timeline/engine.ts';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

/** Every workflow the worker runs has its describer: a new or renamed workflow fails the type check. */
const DESCRIBERS: Record<string, WorkflowDescriber> = {
  CancellationWorkflow: cancellationTimeline,
  ClaimWorkflow: claimTimeline,
  PlanCreationWorkflow: planCreationTimeline,
  PurchaseWorkflow: purchaseTimeline,
  StatsRollupWorkflow: statsRollupTimeline,
  UnitQrBatchWorkflow: unitQrBatchTimeline,
} satisfies Record<keyof typeof workflows, WorkflowDescriber>;

/** Turns a history into business steps, without the database (recorded histories read the same). */
export function buildTimeline(
  workflowType: string,
  events: HistoryEvent[],
  converter: PayloadConverter,
  facts: TimelineFacts | null = null,
): TimelineStep[] {
  return buildSteps(workflowType, DESCRIBERS[workflowType], events, converter, facts);
}

/** Names the people behind the steps (platform and manufacturer users), in one query. */
export async function nameActors(em: EntityManager, steps: TimelineStep[]): Promise<TimelineStep[]> {
  const ids = [...new Set(steps.map((s) => s.actorId).filter((id): id is string => id !== null))];
  if (ids.length === 0) return steps;
  const users = await em.find(User, { id: { $in: ids } }, { fields: ['id', 'displayName'] });
  const names = new Map(users.map((u) => [u.id, u.displayName]));
  return steps.map((step) =>
    step.actorId ? withActor(step, names.get(step.actorId) ?? step.actorId) : step,
  );
}

/**
 * The timeline of a run as auditors read it: the history in business words, with what the database
 * adds (the currency of a claim, the plan of a purchase, who created a draft or issued a batch) and the
 * people who acted named.
 */
export async function workflowTimeline(
  em: EntityManager,
  workflowType: string,
  events: HistoryEvent[],
  converter: PayloadConverter,
): Promise<TimelineStep[]> {
  const describer = DESCRIBERS[workflowType];
  const startInput = events[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
  let input: Record<string, unknown> = {};
  try {
    if (startInput) input = record(converter.fromPayload(startInput));
  } catch {
    // An undecodable input leaves the facts out; the steps still show what the history holds.
  }
  const facts = (await describer?.facts?.(em, input)) ?? null;
  return nameActors(em, buildSteps(workflowType, describer, events, converter, facts));
}

/** A step with its words in both languages the audit pages switch between. */
export const stepInWords = (step: TimelineStep) => ({
  ...step,
  textZh: tellMessage('zh-CN', step.message),
  textEn: tellMessage('en', step.message),
});

/** The Temporal Web UI page of a run, when the UI's address is configured. */
export function temporalUiUrl(
  webUiUrl: string | null,
  namespace: string,
  workflowId: string,
  runId: string,
): string | null {
  if (!webUiUrl) return null;
  return `${webUiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
}
