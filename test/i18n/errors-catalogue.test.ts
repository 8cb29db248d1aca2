/**
 * The `errors` and `matching` namespaces: both languages have the same keys and the same placeholders, and
 * every Ajv keyword the app's schemas use becomes catalogue words (never Ajv's English or a raw regex) in both.
 */
import type { FastifySchemaValidationError } from 'fastify';
import { describe, expect, it } from 'vitest';
import { requestValidatorFactory } from '../../src/app.ts';
import { LOCALES, loadResources, translate } from '../../src/i18n/catalogue.ts';
import { fieldMessages } from '../../src/i18n/errors.ts';
import { validationProblems } from '../../src/routes/validation.ts';

const PLURAL = /_(zero|one|two|few|many|other)$/;

/** Every leaf of a namespace as "a.b.c" (plural forms folded into their key) → its text. */
function leaves(tree: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path.replace(PLURAL, ''), value);
    else for (const [k, v] of leaves(value, path)) out.set(k, v);
  }
  return out;
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe.each(['errors', 'matching'])('the %s namespace', (namespace) => {
  const resources = loadResources();
  const [zh, en] = LOCALES.map((locale) => leaves(resources[locale]?.[namespace] ?? {}));

  it('has every key in both languages, with the same placeholders', () => {
    expect(zh?.size).toBeGreaterThan(0);
    expect([...(zh?.keys() ?? [])].sort()).toEqual([...(en?.keys() ?? [])].sort());
    for (const [key, text] of zh ?? [])
      expect(placeholders(text), key).toEqual(placeholders(en?.get(key) ?? ''));
  });
});

/** Ajv's errors for a body under a schema, as the app's validator (its options and formats) reports them. */
function errorsOf(schema: object, body: unknown): FastifySchemaValidationError[] {
  const validate = requestValidatorFactory({})({ schema, method: 'POST', url: '/', httpPart: 'body' }) as {
    (data: unknown): boolean;
    errors?: FastifySchemaValidationError[];
  };
  expect(validate(body)).toBe(false);
  return validate.errors ?? [];
}

const object = (properties: Record<string, object>, extra: object = {}) => ({
  type: 'object',
  properties,
  ...extra,
});

/** One failing case per keyword the app's schemas use (TypeBox: Type.String/Integer/Array/Object/Union/Literal, StringEnum), and what its words must say. */
const CASES: { keyword: string; schema: object; body: unknown; en: RegExp; zh: RegExp }[] = [
  {
    keyword: 'required',
    schema: object({ a: { type: 'string' } }, { required: ['a'] }),
    body: {},
    en: /is required/,
    zh: /必填/,
  },
  {
    keyword: 'type',
    schema: object({ a: { type: 'integer' } }),
    body: { a: 'x' },
    en: /whole number/,
    zh: /整数/,
  },
  { keyword: 'type', schema: object({ a: { type: 'string' } }), body: { a: 1 }, en: /text/, zh: /文本/ },
  {
    keyword: 'type',
    schema: object({ a: { type: 'boolean' } }),
    body: { a: 'x' },
    en: /true or false/,
    zh: /true/,
  },
  { keyword: 'type', schema: object({ a: { type: 'array' } }), body: { a: 'x' }, en: /list/, zh: /列表/ },
  {
    keyword: 'minLength',
    schema: object({ a: { type: 'string', minLength: 1 } }),
    body: { a: '' },
    en: /not be blank/,
    zh: /不能为空/,
  },
  {
    keyword: 'minLength',
    schema: object({ a: { type: 'string', minLength: 8 } }),
    body: { a: 'x' },
    en: /8 characters/,
    zh: /8 个字符/,
  },
  {
    keyword: 'maxLength',
    schema: object({ a: { type: 'string', maxLength: 3 } }),
    body: { a: 'xxxx' },
    en: /3 characters/,
    zh: /3 个字符/,
  },
  {
    keyword: 'pattern',
    schema: object({ a: { type: 'string', pattern: '\\S' } }),
    body: { a: '  ' },
    en: /not be blank/,
    zh: /不能为空/,
  },
  {
    keyword: 'pattern',
    schema: object({ a: { type: 'string', pattern: '^[A-Z]{2}$' } }),
    body: { a: 'x' },
    en: /expected format/,
    zh: /格式不正确/,
  },
  {
    keyword: 'format',
    schema: object({ a: { type: 'string', format: 'email' } }),
    body: { a: 'x' },
    en: /email/,
    zh: /邮箱/,
  },
  {
    keyword: 'format',
    schema: object({ a: { type: 'string', format: 'date' } }),
    body: { a: 'x' },
    en: /YYYY-MM-DD/,
    zh: /日期/,
  },
  {
    keyword: 'format',
    schema: object({ a: { type: 'string', format: 'date-time' } }),
    body: { a: 'x' },
    en: /ISO 8601/,
    zh: /ISO 8601/,
  },
  {
    keyword: 'format',
    schema: object({ a: { type: 'string', format: 'uuid' } }),
    body: { a: 'x' },
    en: /UUID/,
    zh: /UUID/,
  },
  {
    keyword: 'minimum',
    schema: object({ a: { type: 'integer', minimum: 5 } }),
    body: { a: 1 },
    en: />= 5/,
    zh: /不能小于 5/,
  },
  {
    keyword: 'maximum',
    schema: object({ a: { type: 'integer', maximum: 5 } }),
    body: { a: 9 },
    en: /<= 5/,
    zh: /不能大于 5/,
  },
  {
    keyword: 'minItems',
    schema: object({ a: { type: 'array', minItems: 2 } }),
    body: { a: [] },
    en: /fewer than 2 items/,
    zh: /至少 2 项/,
  },
  {
    keyword: 'maxItems',
    schema: object({ a: { type: 'array', maxItems: 1 } }),
    body: { a: [1, 2] },
    en: /more than 1 items/,
    zh: /最多 1 项/,
  },
  {
    keyword: 'uniqueItems',
    schema: object({ a: { type: 'array', uniqueItems: true } }),
    body: { a: [1, 1] },
    en: /items 0 and 1/,
    zh: /第 0 项与第 1 项/,
  },
  {
    keyword: 'enum',
    schema: object({ a: { type: 'string', enum: ['x', 'y'] } }),
    body: { a: 'z' },
    en: /one of: x, y/,
    zh: /以下之一：x, y/,
  },
  {
    keyword: 'const',
    schema: object({ a: { const: 'x' } }),
    body: { a: 'z' },
    en: /must be x/,
    zh: /必须是 x/,
  },
  {
    keyword: 'anyOf',
    schema: object({ a: { anyOf: [{ type: 'integer' }, { type: 'null' }] } }),
    body: { a: 'z' },
    en: /any allowed form/,
    zh: /任何一种/,
  },
];

describe('schema errors in words', () => {
  it.each(CASES)('$keyword: $en', ({ keyword, schema, body, en, zh }) => {
    const problems = validationProblems(errorsOf(schema, body).filter((e) => e.keyword === keyword));
    expect(problems.length).toBeGreaterThan(0);
    for (const [locale, words] of [
      ['en', en],
      ['zh-CN', zh],
    ] as const) {
      const [first] = fieldMessages(locale, problems);
      expect(first?.code).toMatch(/^errors:field\./);
      expect(first?.message).toMatch(words);
      // Never the code itself, a placeholder left over, or Ajv's schema text.
      expect(first?.message).not.toMatch(/errors:|\{\{|must match pattern/);
    }
  });

  it('names the missing property as the field, and query fields with their part', () => {
    const [missing] = validationProblems(
      errorsOf(object({ a: { type: 'string' } }, { required: ['a'] }), {}),
    );
    expect(missing).toMatchObject({ field: 'a', code: 'errors:field.required' });
    const [query] = validationProblems(
      errorsOf(object({ n: { type: 'integer' } }), { n: 'x' }),
      'querystring',
    );
    expect(query?.field).toBe('querystring.n');
  });

  it('falls back to words that name the keyword for one no schema uses yet', () => {
    const [problem] = validationProblems([
      { keyword: 'multipleOf', instancePath: '/a', schemaPath: '#', params: { multipleOf: 5 }, message: '' },
    ]);
    expect(translate('zh-CN', problem ?? '')).toBe('无效');
    expect(problem?.params).toMatchObject({ keyword: 'multipleOf', multipleOf: 5 });
  });
});
