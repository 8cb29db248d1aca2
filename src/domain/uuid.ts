/**
 * The one UUID check: the hyphenated 8-4-4-4-12 hex form every id of Yanbao
 * has and PostgreSQL's uuid columns read. Ajv's `format: 'uuid'` alone also
 * lets `urn:uuid:…` through, which PostgreSQL refuses, so route schemas carry
 * this pattern too.
 */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

const UUID = new RegExp(UUID_PATTERN);

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
