/**
 * Typed business errors. Each carries a machine code and maps to one HTTP
 * status in the app's error handler; nothing else decides status codes.
 * What went wrong is data, `{ code, params }` from the message catalogue
 * (src/i18n): the error handler puts it in words of the request's language.
 */
import type { Message } from '../i18n/catalogue.ts';

/** One field's problem: a catalogue code ("errors:field.blank") and its params. Plain data, so it crosses Temporal failures. */
export interface FieldProblem extends Message {
  /** Path of the offending field: dotted for objects, slash before array indexes, e.g. "company.usccCode", "clauseIds/3" */
  field: string;
}

/** What is wrong with a field, before it is known which field; `key` is under the catalogue's `errors:field.`. */
export const fieldMessage = (key: string, params?: Record<string, unknown>): Message =>
  params ? { code: `errors:field.${key}`, params } : { code: `errors:field.${key}` };

/** A field problem; `key` is under the catalogue's `errors:field.`. */
export const fieldProblem = (field: string, key: string, params?: Record<string, unknown>): FieldProblem => ({
  field,
  ...fieldMessage(key, params),
});

/** A business rule of a form: the top-level fields it reads, and what it finds wrong with them. */
export interface FormRule<T> {
  reads: readonly (keyof T & string)[];
  check(input: T): FieldProblem[];
}

/** A form's schema problems, and the top-level fields they are about ("coverageStartRule.days" → coverageStartRule). */
export interface FormSchemaCheck {
  problems: FieldProblem[];
  refused: ReadonlySet<string>;
}

/**
 * The problems of every rule whose fields all passed the schema (`refused` names those that did not):
 * one answer lists schema and business problems together, and no rule reads a malformed value.
 */
export const ruleProblems = <T>(
  rules: readonly FormRule<T>[],
  input: T,
  refused: ReadonlySet<string> = new Set(),
): FieldProblem[] =>
  rules
    .filter((rule) => rule.reads.every((field) => !refused.has(field)))
    .flatMap((rule) => rule.check(input));

/** What an error says, as data; `key` is under the catalogue's `errors:` namespace. */
export const errorMessage = (key: string, params?: Record<string, unknown>): Message =>
  params ? { code: `errors:${key}`, params } : { code: `errors:${key}` };

/** A refusal whose words are its field problems' ("field words; field words"), as a workflow's refusals read. */
export const FIELD_WORDS = errorMessage('fieldWords');

export class DomainError extends Error {
  /** The machine code of the refusal (`error` in the body), e.g. validation_failed. */
  readonly code: string;
  readonly status: number;
  /** What it says, for people: put in words of the request's language by the error handler. */
  readonly detail: Message;
  readonly fields: FieldProblem[];
  constructor(code: string, status: number, detail: Message, fields: FieldProblem[] = []) {
    // Logs and failure messages see the catalogue code and its params.
    super(detail.params ? `${detail.code} ${JSON.stringify(detail.params)}` : detail.code);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
    this.detail = detail;
    this.fields = fields;
  }
}

/** What can be missing: each has its words in the catalogue's `errors:notFound.`. */
export type MissingThing =
  | 'order'
  | 'certificate'
  | 'claim'
  | 'photo'
  | 'clause'
  | 'manufacturer'
  | 'planDraft'
  | 'draftWorkflow'
  | 'plan'
  | 'mainProduct'
  | 'cancellation'
  | 'unitBatch'
  | 'workflow'
  | 'document'
  | 'paymentProvider'
  | 'payment'
  | 'route'
  | 'user';

export const invalid = (fields: FieldProblem[], detail = errorMessage('invalid')) =>
  new DomainError('validation_failed', 400, detail, fields);
export const unauthenticated = (detail = errorMessage('unauthenticated')) =>
  new DomainError('unauthenticated', 401, detail);
export const forbidden = (detail: Message) => new DomainError('forbidden', 403, detail);
export const notFound = (thing: MissingThing, params?: Record<string, unknown>) =>
  new DomainError('not_found', 404, errorMessage(`notFound.${thing}`, params));
export const conflict = (detail: Message, fields: FieldProblem[] = []) =>
  new DomainError('conflict', 409, detail, fields);
export const rejected = (code: string, detail: Message, fields: FieldProblem[] = []) =>
  new DomainError(code, 422, detail, fields);
export const tooManyRequests = (detail: Message) => new DomainError('too_many_requests', 429, detail);
/** The idempotency key (for a cancellation, the order) was first used with a different request. */
export const idempotencyKeyReused = (field = 'idempotencyKey', detail = errorMessage('keyReused')) =>
  rejected('idempotency_key_reused', detail, [fieldProblem(field, 'keyReused')]);

/** Node's socket errors that mean the other side is down or unreachable, not that the request was wrong. */
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
/** PostgreSQL SQLSTATEs of a server going away or refusing connections (admin/crash shutdown, starting up, too many connections) and class 08 (connection exceptions). */
const PG_OUTAGE = /^(57P0[123]|53300|08[0-9A-Z]{3})$/;
/** gRPC UNAVAILABLE and DEADLINE_EXCEEDED, as @temporalio/client reports them on a ServiceError's cause. */
const GRPC_OUTAGE = new Set([14, 4]);
/**
 * gRPC FAILED_PRECONDITION with this text is Temporal's WorkflowNotReady: the workflow's last task failed
 * or timed out (its worker was killed mid-task), and it answers Updates and queries again once a worker
 * has run the task.
 */
const GRPC_FAILED_PRECONDITION = 9;
const WORKFLOW_NOT_READY = /Workflow Task in failed state/;
/**
 * node-postgres ends a dropped connection with a plain Error (the statement in flight, or any later one on
 * that client); knex puts the statement in front ("COMMIT; - …") and reports an exhausted pool. When the
 * connection drops at BEGIN, knex ends the transaction and the first query inside it reports
 * "Transaction query already complete" (seen in R1 while PostgreSQL stopped).
 */
const PG_CONNECTION_LOST =
  /(?:^|\s-\s)(?:Connection terminated|Client has encountered a connection error and is not queryable)|^Knex: Timeout acquiring a connection|^Transaction query already complete/;

/**
 * Whether an error says PostgreSQL or Temporal is down or unreachable (judged by its shape, along its
 * `cause` chain): such a failure answers 503 with Retry-After, because trying again shortly is right.
 */
export function isOutage(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || PG_OUTAGE.test(code))) return true;
    // gRPC errors carry a numeric status and a details string.
    const details = (e as { details?: unknown }).details;
    if (typeof code === 'number' && typeof details === 'string') {
      if (GRPC_OUTAGE.has(code)) return true;
      if (code === GRPC_FAILED_PRECONDITION && WORKFLOW_NOT_READY.test(`${e.message} ${details}`))
        return true;
    }
    if (PG_CONNECTION_LOST.test(e.message)) return true;
  }
  return false;
}

/** Seconds a client should wait before retrying after an outage (503). */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;
/** What the API and the consumer pages say during an outage. */
export const OUTAGE_MESSAGE = errorMessage('busy');
