/**
 * The generic half of the auditors' timeline: walks a workflow history (activities, Updates, Signals,
 * timers, stages, problems, the end) and asks the workflow's describer for the business words of each
 * step. Words are messages of the `timeline` catalogue namespace (`{code, params}`, a parameter may be a
 * message itself); the edge tells them in the reader's language with `tellMessage`. A step the describer
 * does not know still shows, under a `timeline:fallback.*` code, so no step is ever hidden — and the
 * recorded-history test fails on it.
 *
 * Personal data stays out of the words: the consumer's name and phone travel in payloads (the raw
 * history has them) but are never quoted; a serial number is quoted masked.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PayloadConverter } from '@temporalio/common';
import proto from '@temporalio/proto';
import { isUuid } from '../../domain/uuid.ts';
import { type Locale, type Message, translate } from '../../i18n/catalogue.ts';
import { timestampToMs } from '../../temporal/timestamps.ts';
import { duration, isMessage, label, message, record, text } from './words.ts';

type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;
type Payloads = proto.temporal.api.common.v1.IPayloads | null | undefined;
type Failure = proto.temporal.api.failure.v1.IFailure | null | undefined;
const EventType = proto.temporal.api.enums.v1.EventType;

export type StepOutcome = 'done' | 'failed' | 'rejected' | 'in_progress' | 'cancelled' | 'info';
export type StepKind =
  | 'start'
  | 'update'
  | 'signal'
  | 'activity'
  | 'timer'
  | 'stage'
  | 'end'
  | 'problem'
  | 'other';
export type StepDetails = Record<string, string | number | boolean | null>;

export interface TimelineStep {
  /** The history event the step begins at (links the timeline to the raw JSON). */
  eventId: number;
  at: string;
  kind: StepKind;
  /** Machine code, e.g. "activity.recordPaidOrder", "signal.payment", "update.review". */
  step: string;
  outcome: StepOutcome;
  /** What happened, in the `timeline` namespace of the catalogue. */
  message: Message;
  /** The platform user who acted (Update/Signal arguments naming a user), resolved to a name. */
  actorId: string | null;
  actorName: string | null;
  /** Scheduled → closed for activities, accepted → completed for Updates, start → close for the run. */
  durationMs: number | null;
  attempts: number | null;
  details: StepDetails;
}

/**
 * What the database adds to a history: the currency of a claim's order, the plan a purchase is for,
 * who created a plan draft, who issued a unit batch. Looked up once per timeline by the workflow's
 * describer from its start input; absent (null) when the timeline is read without a database.
 */
export interface TimelineFacts {
  currency?: string;
  plan?: { code: string; nameZh: string; nameEn: string };
  draftCreator?: string;
  issuer?: string;
}

export interface ActivityDescriber {
  /** The step while it runs, and what it was attempting when it fails or is cancelled. */
  doing(args: unknown[], facts: TimelineFacts | null): Message;
  /** The step once it completed, in the words of its result. */
  done(args: unknown[], result: unknown, facts: TimelineFacts | null): Message;
}

/** An Update or Signal: what the person or provider asked for, with facts worth filtering on. */
export type MessageDescriber = (
  args: unknown[],
  facts: TimelineFacts | null,
) => Message | { message: Message; details: StepDetails };

/**
 * One workflow's words, keyed by its activity and message names (each describer checks its keys against
 * the workflow's activities type and message definitions, so a rename fails the type check).
 */
export interface WorkflowDescriber {
  started(input: Record<string, unknown>, facts: TimelineFacts | null): Message;
  activities: Record<string, ActivityDescriber>;
  updates: Record<string, MessageDescriber>;
  signals: Record<string, MessageDescriber>;
  /** Business stages (YanbaoBusinessStatus) the workflow moves through, labelled `timeline:stage.<stage>`. */
  stages: readonly string[];
  /** Looks up the facts the words need beyond the history. */
  facts?(em: EntityManager, input: Record<string, unknown>): Promise<TimelineFacts | null>;
}

/** The words of a message in one language, its message parameters told first. */
export function tellMessage(locale: Locale, msg: Message): string {
  const params = Object.fromEntries(
    Object.entries(msg.params ?? {}).map(([key, value]) => [
      key,
      isMessage(value) ? tellMessage(locale, value) : value,
    ]),
  );
  return translate(locale, { code: msg.code, params });
}

/** Arguments naming the user who acts, in every workflow's messages. */
const ACTOR_KEYS = [
  'submittedBy',
  'reviewerId',
  'approvedBy',
  'decidedBy',
  'recordedBy',
  'closedBy',
  'handledBy',
  'userId',
  'actorId',
  'by',
];
function actorIn(args: unknown[]): string | null {
  for (const arg of args) {
    if (typeof arg === 'string') continue;
    const fields = record(arg);
    for (const key of ACTOR_KEYS) {
      const value = fields[key];
      if (isUuid(value)) return value;
    }
  }
  return null;
}

const END_TYPES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
]);

/** Event types that are engine bookkeeping, not business steps (their effect shows in other steps). */
const SILENT_TYPES = new Set<number>([
  EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED,
  EventType.EVENT_TYPE_TIMER_CANCELED,
  EventType.EVENT_TYPE_MARKER_RECORDED,
  EventType.EVENT_TYPE_WORKFLOW_PROPERTIES_MODIFIED,
  EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
]);

function endMessage(
  type: number,
  attributes: Record<string, unknown>,
  result: unknown,
  stages: readonly string[],
) {
  switch (type) {
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED: {
      const stage = text(record(result).stage);
      return stage
        ? message('end.completedAt', { stage: label('stage', stages, stage) })
        : message('end.completed');
    }
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED:
      return message('end.failed', { reason: text(record(attributes.failure).message) });
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED:
      return message('end.terminated', { reason: text(attributes.reason) });
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED:
      return message('end.cancelled');
    case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT:
      return message('end.timedOut');
    default:
      return message('end.continuedAsNew');
  }
}

const failureMessage = (failure: Failure): string => {
  let text = failure?.message ?? '';
  for (let cause = failure?.cause; cause; cause = cause.cause)
    if (cause.message) text = text ? `${text}: ${cause.message}` : cause.message;
  return text;
};

/**
 * Turns a history into business steps. Pure apart from payload decoding, so recorded fixture histories
 * read the same as live ones; `facts` are what the describer looked up in the database, if anything.
 */
export function buildSteps(
  workflowType: string,
  describer: WorkflowDescriber | undefined,
  events: HistoryEvent[],
  converter: PayloadConverter,
  facts: TimelineFacts | null,
): TimelineStep[] {
  const decode = (payloads: Payloads): unknown[] =>
    (payloads?.payloads ?? []).map((payload) => {
      try {
        return converter.fromPayload(payload);
      } catch {
        return null;
      }
    });
  const ms = (event: HistoryEvent) => timestampToMs(event.eventTime);
  const steps: TimelineStep[] = [];
  const byEvent = new Map<number, TimelineStep>();
  const activities = new Map<number, { describe: ActivityDescriber | undefined; args: unknown[] }>();
  const timers = new Map<string, number>();
  const stages = describer?.stages ?? [];
  let startMs: number | null = null;
  let lastStage: string | null = null;

  const add = (event: HistoryEvent, step: Omit<TimelineStep, 'eventId' | 'at' | 'actorName'>) => {
    const full: TimelineStep = {
      eventId: Number(event.eventId),
      at: new Date(ms(event)).toISOString(),
      actorName: null,
      ...step,
    };
    steps.push(full);
    byEvent.set(full.eventId, full);
    return full;
  };
  const told = (said: ReturnType<MessageDescriber>) =>
    'message' in said ? said : { message: said, details: {} as StepDetails };
  const closeActivity = (
    event: HistoryEvent,
    scheduledEventId: unknown,
    outcome: StepOutcome,
    failure?: Failure,
    result?: unknown,
  ) => {
    const scheduled = Number(scheduledEventId);
    const step = byEvent.get(scheduled);
    const call = activities.get(scheduled);
    if (!step || !call) return;
    step.durationMs = ms(event) - Date.parse(step.at);
    step.outcome = outcome;
    if (outcome === 'done') {
      if (call.describe) step.message = call.describe.done(call.args, result, facts);
      return;
    }
    const reason = failureMessage(failure);
    step.message = message(outcome === 'cancelled' ? 'outcome.cancelled' : 'outcome.failed', {
      what: step.message,
      reason: reason ? message('outcome.reason', { reason }) : '',
    });
    if (reason) step.details.failure = reason;
  };

  for (const event of events) {
    const type = Number(event.eventType);
    if (SILENT_TYPES.has(type)) {
      if (type === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        const started = event.activityTaskStartedEventAttributes;
        const step = byEvent.get(Number(started?.scheduledEventId));
        if (step) step.attempts = started?.attempt ?? 1;
      }
      continue;
    }
    switch (type) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED: {
        const attributes = event.workflowExecutionStartedEventAttributes;
        startMs = ms(event);
        const input = record(decode(attributes?.input)[0]);
        add(event, {
          kind: 'start',
          step: 'workflow.started',
          outcome: 'done',
          message: describer
            ? describer.started(input, facts)
            : message('fallback.workflow', { name: workflowType }),
          actorId: null,
          durationMs: null,
          attempts: attributes?.attempt ?? null,
          details: {
            workflowType,
            ...(attributes?.continuedExecutionRunId
              ? { continuedFromRunId: attributes.continuedExecutionRunId }
              : {}),
          },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED: {
        const request = event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest;
        const name = request?.input?.name ?? '';
        const args = decode(request?.input?.args);
        const describe = describer?.updates[name];
        const said = describe
          ? told(describe(args, facts))
          : { message: message('fallback.update', { name }), details: {} };
        add(event, {
          kind: 'update',
          step: `update.${name}`,
          outcome: 'in_progress',
          message: said.message,
          actorId: actorIn(args),
          durationMs: null,
          attempts: null,
          details: { updateId: request?.meta?.updateId ?? null, ...said.details },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED: {
        const attributes = event.workflowExecutionUpdateCompletedEventAttributes;
        const step = byEvent.get(Number(attributes?.acceptedEventId));
        if (!step) break;
        step.durationMs = ms(event) - Date.parse(step.at);
        const failure = attributes?.outcome?.failure;
        if (failure) {
          const reason = failureMessage(failure);
          step.outcome = 'rejected';
          step.message = message('outcome.rejected', { what: step.message, reason });
          step.details.failure = reason;
        } else {
          step.outcome = 'done';
        }
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED: {
        const attributes = event.workflowExecutionSignaledEventAttributes;
        const name = attributes?.signalName ?? '';
        const args = decode(attributes?.input);
        const describe = describer?.signals[name];
        const said = describe
          ? told(describe(args, facts))
          : { message: message('fallback.signal', { name }), details: {} };
        add(event, {
          kind: 'signal',
          step: `signal.${name}`,
          outcome: 'done',
          message: said.message,
          actorId: actorIn(args),
          durationMs: null,
          attempts: null,
          details: said.details,
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
        const attributes = event.activityTaskScheduledEventAttributes;
        const name = attributes?.activityType?.name ?? '';
        const args = decode(attributes?.input);
        const describe = describer?.activities[name];
        activities.set(Number(event.eventId), { describe, args });
        add(event, {
          kind: 'activity',
          step: `activity.${name}`,
          outcome: 'in_progress',
          message: describe ? describe.doing(args, facts) : message('fallback.activity', { name }),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { activity: name },
        });
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const attributes = event.activityTaskCompletedEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'done', null, decode(attributes?.result)[0]);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED: {
        const attributes = event.activityTaskFailedEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'failed', attributes?.failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT: {
        const attributes = event.activityTaskTimedOutEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'failed', attributes?.failure);
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED: {
        const attributes = event.activityTaskCanceledEventAttributes;
        closeActivity(event, attributes?.scheduledEventId, 'cancelled');
        break;
      }
      case EventType.EVENT_TYPE_TIMER_STARTED: {
        const attributes = event.timerStartedEventAttributes;
        timers.set(attributes?.timerId ?? '', timestampToMs(attributes?.startToFireTimeout));
        break;
      }
      case EventType.EVENT_TYPE_TIMER_FIRED: {
        const attributes = event.timerFiredEventAttributes;
        const waited = timers.get(attributes?.timerId ?? '') ?? 0;
        add(event, {
          kind: 'timer',
          step: 'timer.fired',
          outcome: 'done',
          message: message('timer.fired', { waited: duration(waited) }),
          actorId: null,
          durationMs: waited,
          attempts: null,
          details: {},
        });
        break;
      }
      case EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES: {
        const fields =
          event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {};
        const payload = fields.YanbaoBusinessStatus;
        if (!payload) break;
        const [stage] = decode({ payloads: [payload] });
        const value = Array.isArray(stage) ? text(stage[0]) : text(stage);
        if (!value || value === lastStage) break;
        lastStage = value;
        add(event, {
          kind: 'stage',
          step: 'stage',
          outcome: 'info',
          message: message('stage.entered', { stage: label('stage', stages, value) }),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { stage: value },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const attributes = event.workflowTaskFailedEventAttributes;
        const cause = proto.temporal.api.enums.v1.WorkflowTaskFailedCause[attributes?.cause ?? 0] ?? '';
        // An Update or Signal arriving mid-task makes the server ask again: routine, not a problem.
        if (cause === 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND') break;
        const reason = failureMessage(attributes?.failure);
        add(event, {
          kind: 'problem',
          step: 'workflow.taskFailed',
          outcome: 'failed',
          message: message('problem.taskFailed', { reason }),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: { cause, failure: reason },
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
        add(event, {
          kind: 'problem',
          step: 'workflow.taskTimedOut',
          outcome: 'info',
          message: message('problem.taskTimedOut'),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: {},
        });
        break;
      default: {
        if (END_TYPES.has(type)) {
          const attributes = record(
            event.workflowExecutionCompletedEventAttributes ??
              event.workflowExecutionFailedEventAttributes ??
              event.workflowExecutionTerminatedEventAttributes ??
              event.workflowExecutionCanceledEventAttributes ??
              event.workflowExecutionTimedOutEventAttributes ??
              event.workflowExecutionContinuedAsNewEventAttributes,
          );
          const result = decode(event.workflowExecutionCompletedEventAttributes?.result)[0];
          add(event, {
            kind: 'end',
            step: `workflow.${(EventType[type] ?? '').replace('EVENT_TYPE_WORKFLOW_EXECUTION_', '').toLowerCase()}`,
            outcome:
              type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED ||
              type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW
                ? 'done'
                : type === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED
                  ? 'cancelled'
                  : 'failed',
            message: endMessage(type, attributes, result, stages),
            actorId: null,
            durationMs: startMs === null ? null : ms(event) - startMs,
            attempts: null,
            details: {},
          });
          break;
        }
        const name = (EventType[type] ?? `event ${type}`).replace(/^EVENT_TYPE_/, '').toLowerCase();
        add(event, {
          kind: 'other',
          step: `event.${name}`,
          outcome: 'info',
          message: message('fallback.event', { name: name.replaceAll('_', ' ') }),
          actorId: null,
          durationMs: null,
          attempts: null,
          details: {},
        });
      }
    }
  }
  return steps;
}

/** Names the person behind a step: "(by …)" after whatever the step says. */
export function withActor(step: TimelineStep, name: string): TimelineStep {
  return { ...step, actorName: name, message: message('actor.by', { what: step.message, name }) };
}
