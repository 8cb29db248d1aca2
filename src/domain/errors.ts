/**
 * Typed business errors. Each carries a machine code and maps to one HTTP
 * status in the app's error handler; nothing else decides status codes.
 */
export interface FieldProblem {
  /** Path of the offending field: dotted for objects, slash before array indexes, e.g. "company.usccCode", "clauseIds/3" */
  field: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fields: FieldProblem[];
  constructor(code: string, status: number, message: string, fields: FieldProblem[] = []) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.status = status;
    this.fields = fields;
  }
}

export const invalid = (fields: FieldProblem[], message = 'the request has invalid fields') =>
  new DomainError('validation_failed', 400, message, fields);
export const unauthenticated = (message = 'log in first') => new DomainError('unauthenticated', 401, message);
export const forbidden = (message: string) => new DomainError('forbidden', 403, message);
export const notFound = (what: string) => new DomainError('not_found', 404, `${what} not found`);
export const conflict = (message: string, fields: FieldProblem[] = []) =>
  new DomainError('conflict', 409, message, fields);
export const rejected = (code: string, message: string, fields: FieldProblem[] = []) =>
  new DomainError(code, 422, message, fields);
export const tooManyRequests = (message: string) => new DomainError('too_many_requests', 429, message);
/** The idempotency key (for a cancellation, the order) was first used with a different request. */
export const idempotencyKeyReused = (
  field = 'idempotencyKey',
  message = 'this idempotency key was already used with a different request; send a new key for a new request',
) =>
  rejected('idempotency_key_reused', message, [
    { field, message: 'was already used with a different request' },
  ]);
