/** The OpenAPI document as the portal's types see it: every answer described, and every path typed. */
import { beforeAll, describe, expect, it } from 'vitest';
import { apiTypes } from '../../scripts/openapi-types.ts';
import { type OpenApiDocument, openApiDocument } from '../../src/openapi.ts';

type Schema = Record<string, unknown>;

/** Where a schema says nothing about what is sent (`{}`, Type.Unknown()), by JSON pointer. */
function undescribed(schema: Schema, at: string): string[] {
  if (typeof schema.$ref === 'string' || 'enum' in schema || 'const' in schema) return [];
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) {
    const branches = schema[key] as Schema[] | undefined;
    if (branches) return branches.flatMap((b, i) => undescribed(b, `${at}/${key}/${i}`));
  }
  switch (schema.type) {
    case 'object': {
      const properties = Object.entries((schema.properties ?? {}) as Record<string, Schema>);
      // A map's values may be anything (a message's params): its keys are the description.
      if (properties.length === 0 && !schema.patternProperties && !schema.additionalProperties) return [at];
      return properties.flatMap(([name, value]) => undescribed(value, `${at}/properties/${name}`));
    }
    case 'array':
      return schema.items ? undescribed(schema.items as Schema, `${at}/items`) : [at];
    case 'string':
    case 'integer':
    case 'number':
    case 'boolean':
    case 'null':
      return [];
    default:
      return [at];
  }
}

describe('OpenAPI document', () => {
  let doc: OpenApiDocument;
  beforeAll(async () => {
    doc = await openApiDocument();
  }, 120_000);

  it('describes the body of every successful JSON answer', () => {
    const problems: string[] = [];
    let answers = 0;
    for (const [path, operations] of Object.entries(doc.paths ?? {})) {
      for (const [method, operation] of Object.entries(operations as Record<string, Schema>)) {
        const responses = (operation.responses ?? {}) as Record<string, Schema>;
        for (const [status, response] of Object.entries(responses)) {
          if (!status.startsWith('2') || status === '204') continue;
          const content = response.content as Record<string, { schema?: Schema }> | undefined;
          if (!content) problems.push(`${method} ${path} ${status}: no content`);
          for (const [type, { schema }] of Object.entries(content ?? {})) {
            answers++;
            problems.push(...undescribed(schema ?? {}, `${method} ${path} ${status} ${type}`));
          }
        }
      }
    }
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(50);
  });

  it('finds an undescribed schema however deep it is', () => {
    expect(undescribed({ type: 'object', properties: { a: { type: 'string' } } }, '#')).toEqual([]);
    expect(undescribed({}, '#')).toEqual(['#']);
    expect(undescribed({ type: 'array', items: {} }, '#')).toEqual(['#/items']);
    expect(
      undescribed(
        { type: 'object', properties: { a: { anyOf: [{ type: 'null' }, { description: 'x' }] } } },
        '#',
      ),
    ).toEqual(['#/properties/a/anyOf/1']);
    expect(undescribed({ type: 'object', patternProperties: { '^(.*)$': {} } }, '#')).toEqual([]);
  });

  it('gives the portal a type for every path of the document', async () => {
    const types = await apiTypes(doc);
    for (const path of Object.keys(doc.paths ?? {})) expect(types).toContain(`"${path}": {`);
  }, 120_000);
});
