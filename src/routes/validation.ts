import type { FastifySchemaValidationError } from 'fastify';
import type { FieldProblem } from '../domain/errors.ts';

/** Ajv's instancePath ("/company/usccCode") as a field name ("company.usccCode"); query and params are prefixed. */
function fieldOf(context: string | undefined, instancePath: string, missing?: unknown): string {
  const path = instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') path.push(missing);
  const prefix = context && context !== 'body' ? [context] : [];
  return [...prefix, ...path].join('.') || (context ?? 'body');
}

/** Schema validation errors as field problems with readable messages. */
export function validationProblems(errors: FastifySchemaValidationError[], context?: string): FieldProblem[] {
  return errors.map((v) => ({
    field: fieldOf(context, v.instancePath, v.params?.missingProperty),
    message:
      v.keyword === 'enum' && Array.isArray(v.params?.allowedValues)
        ? `must be one of: ${v.params.allowedValues.join(', ')}`
        : (v.message ?? 'is invalid'),
  }));
}
