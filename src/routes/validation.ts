import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
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

/**
 * Strings PostgreSQL cannot store: text never holds U+0000, and a lone UTF-16 surrogate is
 * not text at all (it would be stored as U+FFFD, not as sent). Schemas let both through, so
 * every request is checked for them before validation, wherever they are: body, query, params.
 */
export function unstorableTextProblems(parts: { context: string; value: unknown }[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const visit = (value: unknown, path: string[], context: string) => {
    if (typeof value === 'string') {
      if (value.includes('\u0000') || !value.isWellFormed())
        problems.push({
          field: fieldOf(context, path.map((segment) => `/${segment}`).join('')),
          message: 'must not contain U+0000 or an unpaired surrogate',
        });
    } else if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) visit(item, [...path, String(i)], context);
    } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value))
      for (const [key, item] of Object.entries(value)) visit(item, [...path, key], context);
  };
  for (const { context, value } of parts) visit(value, [], context);
  return problems;
}

/**
 * An HTML form posts every field as text, and bodies are not coerced (AJV_BODY_OPTIONS in
 * src/app.ts), so a form route reads the fields its schema types as integers here, before
 * validation: a plain decimal becomes a number; anything else stays text for the schema to
 * refuse by name. Pure, so the fault suite's fuzzer sees form posts as the route does.
 */
export function formFields(schema: unknown, body: unknown): unknown {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  if (!properties || !body || typeof body !== 'object' || Array.isArray(body)) return body;
  return Object.fromEntries(
    Object.entries(body).map(([key, value]) => [
      key,
      properties[key]?.type === 'integer' && typeof value === 'string' && /^-?\d{1,16}$/.test(value)
        ? Number(value)
        : value,
    ]),
  );
}

/** A preValidation hook applying formFields to a urlencoded form post; JSON bodies stay as sent. */
export const readFormFields = (schema: unknown) => async (request: FastifyRequest) => {
  if (request.headers['content-type']?.toLowerCase().startsWith('application/x-www-form-urlencoded'))
    request.body = formFields(schema, request.body);
};

/** Schema problems of a request validated with attachValidation. */
export function schemaProblemsOf(request: FastifyRequest): FieldProblem[] {
  const error = request.validationError as
    | (Error & { validation?: FastifySchemaValidationError[]; validationContext?: string })
    | undefined;
  return error?.validation ? validationProblems(error.validation, error.validationContext) : [];
}
