import type { FastifyRequest, FastifySchemaValidationError } from 'fastify';
import {
  FIELD_WORDS,
  type FieldProblem,
  type FormSchemaCheck,
  fieldMessage,
  fieldProblem,
  invalid,
} from '../domain/errors.ts';
import { hasMessage, type Message } from '../i18n/catalogue.ts';

/** Ajv's instancePath ("/company/usccCode") as a field name ("company.usccCode"); query and params are prefixed. */
function fieldOf(context: string | undefined, instancePath: string, missing?: unknown): string {
  const path = instancePath.split('/').filter(Boolean);
  if (typeof missing === 'string') path.push(missing);
  const prefix = context && context !== 'body' ? [context] : [];
  return [...prefix, ...path].join('.') || (context ?? 'body');
}

/** Ajv keywords whose params the catalogue's `errors:field.<keyword>` messages interpolate as they are. */
const PLAIN_KEYWORDS = new Set([
  'required',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'minItems',
  'maxItems',
  'uniqueItems',
  'const',
  'anyOf',
]);

/**
 * One Ajv error as a catalogue message, from its keyword and params (never Ajv's English text). A pattern's
 * regex is not words for people: `\S` says "not blank", any other says "not in the expected format"; the
 * params still carry it for API clients.
 */
export function schemaMessage(keyword: string, params: Record<string, unknown> = {}): Message {
  if ((keyword === 'minLength' && params.limit === 1) || (keyword === 'pattern' && params.pattern === '\\S'))
    return fieldMessage('blank');
  if (keyword === 'pattern') return fieldMessage('pattern', params);
  if (keyword === 'enum' && Array.isArray(params.allowedValues))
    return fieldMessage('oneOf', { ...params, allowed: params.allowedValues.join(', ') });
  // type and format name what was expected; each has its own words, and a catch-all for the rest.
  if (keyword === 'type' || keyword === 'format') {
    const specific = `errors:field.${keyword}.${String(params[keyword])}`;
    return { code: hasMessage('en', specific) ? specific : `errors:field.${keyword}.other`, params };
  }
  return PLAIN_KEYWORDS.has(keyword)
    ? fieldMessage(keyword, params)
    : fieldMessage('invalid', { ...params, keyword });
}

/**
 * Schema validation errors as field problems: the field, and the catalogue's code and params. Each once:
 * with allErrors, an empty text fails both minLength and the `\S` pattern, which read the same ("blank").
 */
export function validationProblems(errors: FastifySchemaValidationError[], context?: string): FieldProblem[] {
  const seen = new Set<string>();
  return errors
    .map((v) => ({
      field: fieldOf(context, v.instancePath, v.params?.missingProperty),
      ...schemaMessage(v.keyword, v.params),
    }))
    .filter((problem) => {
      const key = JSON.stringify([problem.field, problem.code, problem.params]);
      return seen.has(key) ? false : Boolean(seen.add(key));
    });
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
        problems.push(
          fieldProblem(fieldOf(context, path.map((segment) => `/${segment}`).join('')), 'unstorable'),
        );
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

/**
 * The schema's verdict on a form validated with attachValidation, for a route that answers every problem at
 * once: the business rules then run on the fields that passed (ruleProblems). Fastify validates params before
 * the body and stops at the first part that fails, so bad params, or a body that is not an object at all,
 * leave nothing to check further: those are refused here at once.
 */
export function formSchemaCheck(request: FastifyRequest): FormSchemaCheck {
  const error = request.validationError as (Error & { validationContext?: string }) | undefined;
  const problems = schemaProblemsOf(request);
  if (error && (error.validationContext !== 'body' || problems.some((p) => p.field === 'body')))
    throw invalid(problems, FIELD_WORDS);
  return { problems, refused: new Set(problems.map((p) => p.field.split(/[./]/)[0] ?? p.field)) };
}
