/**
 * The one UUID check: the hyphenated 8-4-4-4-12 hex form every id of Yanbao
 * has and PostgreSQL's uuid columns read. It is also the request schemas'
 * `format: 'uuid'` (src/app.ts): ajv-formats' own lets `urn:uuid:…` through,
 * which PostgreSQL refuses.
 */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
