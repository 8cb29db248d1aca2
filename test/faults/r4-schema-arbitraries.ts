/**
 * fast-check arbitraries driven by a route's JSON schema: values the schema
 * accepts (as a base to break) and values it refuses (wrong types, missing
 * required fields, out-of-range numbers, overlong strings, bad formats and
 * patterns, unicode junk, huge arrays), plus extra properties as noise.
 * Whether a generated request really is invalid is decided the way the app
 * decides it (see `schemaJudge`), not by these generators.
 */
import fc from 'fast-check';
import { requestValidatorFactory } from '../../src/app.ts';
import { unstorableTextProblems } from '../../src/routes/validation.ts';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
};

const typeOf = (s: JsonSchema): string | undefined =>
  Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;

/** Strings that tend to break things: control characters, bidi overrides, SQL and HTML, BOMs, astral planes. */
const NASTY = [
  '\u0000',
  '\uFEFF',
  '\u202Eevil',
  '𝕏𝕐ℤ🙂',
  "'; drop table purchase_order; --",
  '<script>alert(1)</script>',
  '../../../../etc/passwd',
  '%00%0d%0a',
  '\u0024{jndi:ldap://x}',
  '   ',
  '０１２３',
  'null',
  'undefined',
  'NaN',
  '-0',
  '1e309',
  '[object Object]',
  '__proto__',
];

export const junkString = fc.oneof(
  fc.constantFrom(...NASTY),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ minLength: 200, maxLength: 2_000 }),
);

/** Anything at all that JSON can carry, with the edge cases weighted in. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  junkString,
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    Number.MAX_SAFE_INTEGER + 2,
    {},
    [],
    [{}],
    [[]],
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.dictionary(junkString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
);

/** Properties no schema declares, some of them the prototype-pollution classics. */
const extraProperties = fc.dictionary(
  fc.oneof(
    fc.constantFrom('constructor', 'prototype', 'isAdmin', 'role', 'manufacturerId', 'status'),
    junkString,
  ),
  junkValue,
  { maxKeys: 3 },
);

const isoDate = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));

/** A value the schema accepts, as far as a generator can tell (the judge decides). */
export function validArb(
  schema: JsonSchema,
  known: Record<string, fc.Arbitrary<unknown>> = {},
  name = '',
): fc.Arbitrary<unknown> {
  const knownValue = known[name];
  if (knownValue) return knownValue;
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((s) => validArb(s, known, name)));
  if (schema.allOf)
    return fc
      .tuple(...schema.allOf.map((s) => validArb(s, known, name)))
      .map((parts) => Object.assign({}, ...parts));
  switch (typeOf(schema)) {
    case 'object': {
      const properties = schema.properties ?? {};
      const required = new Set(schema.required ?? []);
      const shape = Object.fromEntries(
        Object.entries(properties).map(([k, s]) => [k, validArb(s, known, k)]),
      );
      return fc.record(shape, {
        requiredKeys: Object.keys(properties).filter((k) => required.has(k)),
      }) as fc.Arbitrary<unknown>;
    }
    case 'array':
      return fc.array(validArb(schema.items ?? {}, known), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 3, Math.max(schema.minItems ?? 0, 3)),
      });
    case 'integer':
      return fc.integer({
        min: Math.max(schema.minimum ?? -1_000_000, Number.MIN_SAFE_INTEGER),
        max: Math.min(schema.maximum ?? 1_000_000, Number.MAX_SAFE_INTEGER),
      });
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e6, max: schema.maximum ?? 1e6, noNaN: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'string': {
      switch (schema.format) {
        case 'uuid':
          return fc.uuid();
        case 'date':
          return isoDate;
        case 'date-time':
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        case 'email':
          return fc.emailAddress().filter((e) => e.length <= (schema.maxLength ?? 254));
      }
      const minLength = schema.minLength ?? 0;
      const maxLength = Math.min(schema.maxLength ?? 40, Math.max(minLength, 40));
      if (schema.pattern && schema.pattern !== '\\S') {
        // "^[class]+$" with a length range: let the generator produce the lengths, not a filter.
        const repeated = /^\^(\[[^\]]+\])[+*]\$$/.exec(schema.pattern);
        const pattern = repeated
          ? `^${repeated[1]}{${Math.max(minLength, 1)},${schema.maxLength ?? minLength + 40}}$`
          : schema.pattern;
        return fc
          .stringMatching(new RegExp(pattern))
          .filter((s) => s.length >= minLength && s.length <= (schema.maxLength ?? Infinity));
      }
      return fc.string({ minLength: Math.max(minLength, schema.pattern ? 1 : 0), maxLength }).map((s) =>
        // '\\S' asks for one non-space character
        schema.pattern && !/\S/.test(s) ? `x${s.slice(1)}` : s,
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value the schema should refuse; extra properties ride along on objects as noise. */
export function invalidArb(
  schema: JsonSchema,
  known: Record<string, fc.Arbitrary<unknown>> = {},
): fc.Arbitrary<unknown> {
  const options: fc.Arbitrary<unknown>[] = [junkValue];
  const type = typeOf(schema);
  if (schema.enum)
    options.push(
      fc.oneof(junkString, fc.constantFrom('', 'other', 'ADMIN')).filter((v) => !schema.enum?.includes(v)),
    );
  if (type === 'string') {
    const { minLength = 0, maxLength, pattern, format } = schema;
    // Ajv counts code points, and 'あ' is one.
    if (maxLength !== undefined)
      options.push(fc.integer({ min: maxLength + 1, max: maxLength + 300 }).map((n) => 'あ'.repeat(n)));
    if (minLength > 0) options.push(fc.string({ maxLength: minLength - 1 }));
    if (pattern) options.push(junkString.filter((s) => !new RegExp(pattern).test(s)));
    if (format)
      options.push(
        fc.oneof(
          fc.constantFrom(
            '2026-02-30',
            '2026-13-01',
            '26-01-01',
            '2026/01/01',
            '00000000-0000-0000-0000-00000000000g',
            '{00000000-0000-0000-0000-000000000000}',
            'a@',
            '@b.c',
            'not valid',
          ),
          junkString,
        ),
      );
    options.push(fc.constantFrom({}, [{}], { $gt: '' }));
  }
  if (type === 'integer' || type === 'number') {
    if (schema.minimum !== undefined)
      options.push(fc.integer({ min: -1_000_000, max: -1 }).map((d) => (schema.minimum ?? 0) + d));
    if (schema.maximum !== undefined)
      options.push(fc.integer({ min: 1, max: 1_000_000 }).map((d) => (schema.maximum ?? 0) + d));
    if (type === 'integer') options.push(fc.integer({ min: -1000, max: 1000 }).map((n) => n + 0.5));
    options.push(fc.constantFrom('twelve', '1,5', '0x10', '', {}, [1, 2]));
  }
  if (type === 'boolean') options.push(fc.constantFrom('yes', 2, {}, 'maybe'));
  if (type === 'object') {
    const properties = schema.properties ?? {};
    const base = validArb(schema, known) as fc.Arbitrary<Record<string, unknown>>;
    for (const [key, property] of Object.entries(properties))
      options.push(fc.tuple(base, invalidArb(property, known)).map(([o, bad]) => ({ ...o, [key]: bad })));
    for (const key of schema.required ?? []) options.push(base.map(({ [key]: _dropped, ...rest }) => rest));
    options.push(fc.array(junkValue, { maxLength: 3 }), junkString);
    return fc
      .tuple(fc.oneof(...options), fc.option(extraProperties, { nil: undefined }))
      .map(([value, extra]) =>
        extra && value && typeof value === 'object' && !Array.isArray(value) ? { ...extra, ...value } : value,
      );
  }
  if (type === 'array') {
    const items = schema.items ?? {};
    options.push(fc.array(invalidArb(items, known), { minLength: 1, maxLength: 3 }));
    if (schema.maxItems !== undefined) {
      const max = schema.maxItems;
      // One past the limit, filled with a valid item so only the size is wrong.
      options.push(validArb(items, known).map((item) => Array.from({ length: max + 1 }, () => item)));
    }
    if (schema.minItems) options.push(fc.constant([]));
  }
  return fc.oneof(...options);
}

export interface RequestParts {
  params?: unknown;
  querystring?: unknown;
  body?: unknown;
}

/**
 * The app's own validator factory (bodies typed, the rest coerced) and the app's
 * check for text PostgreSQL cannot store (src/routes/validation.ts): judges a
 * request's parts the way the route will. Ajv coerces and strips in place,
 * so every judgement works on a copy.
 */
export function schemaJudge(externalSchemas: Parameters<typeof requestValidatorFactory>[0]) {
  const compile = requestValidatorFactory(externalSchemas);
  const cache = new Map<string, WeakMap<object, (data: unknown) => boolean>>();
  const validator = (schema: JsonSchema, httpPart: keyof RequestParts) => {
    let byPart = cache.get(httpPart);
    if (!byPart) {
      byPart = new WeakMap();
      cache.set(httpPart, byPart);
    }
    let validate = byPart.get(schema);
    if (!validate) {
      validate = compile({ schema, method: 'POST', url: '/', httpPart }) as (data: unknown) => boolean;
      byPart.set(schema, validate);
    }
    return validate;
  };
  /** True when the schema accepts every part that has one, and no part holds text the app refuses to store. */
  return (schemas: { [K in keyof RequestParts]?: JsonSchema }, parts: RequestParts): boolean =>
    unstorableTextProblems(
      (['params', 'querystring', 'body'] as const).map((part) => ({ context: part, value: parts[part] })),
    ).length === 0 &&
    (['params', 'querystring', 'body'] as const).every((part) => {
      const schema = schemas[part];
      if (!schema) return true;
      const value =
        parts[part] === undefined ? (part === 'body' ? undefined : {}) : structuredClone(parts[part]);
      return validator(schema, part)(value);
    });
}
