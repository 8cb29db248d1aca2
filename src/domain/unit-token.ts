/**
 * Per-unit QR tokens: `base64url(JSON {p, s, v}) "." base64url(HMAC-SHA256(secret, payload)[0..16])`.
 * The consumer page at `/u/<token>` trusts the serial number only because the
 * token carries a MAC over it: a forged, altered or truncated token is refused.
 * 128 bits of MAC is plenty against online forgery and keeps the QR code small.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface UnitClaim {
  planCode: string;
  serialNumber: string;
}

const VERSION = 1;
const MAC_BYTES = 16;
/**
 * The longest token accepted anywhere: the /u/<token> route's schema, the router's limit on a
 * path parameter (maxParamLength in src/app.ts, 100 by default, which 404'd serials of 27+
 * characters) and verifyUnitToken. Twice the longest real one, 198 characters for a 10-character
 * plan code and a 100-character serial (MAX_SERIAL_LENGTH); absurd input is refused before any work.
 */
export const MAX_UNIT_TOKEN_LENGTH = 400;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

const mac = (payload: string, secret: string) =>
  createHmac('sha256', secret).update(payload).digest().subarray(0, MAC_BYTES).toString('base64url');

/** A signed, tamper-evident token naming one unit of a plan's product (for per-unit QR codes). */
export function signUnitToken(claim: UnitClaim, secret: string): string {
  if (claim.planCode === '' || claim.serialNumber === '')
    throw new TypeError('planCode and serialNumber are required');
  const payload = Buffer.from(
    JSON.stringify({ p: claim.planCode, s: claim.serialNumber, v: VERSION }),
    'utf8',
  ).toString('base64url');
  return `${payload}.${mac(payload, secret)}`;
}

/** The unit a token names, or null when it is forged, altered or malformed. */
export function verifyUnitToken(token: string, secret: string): UnitClaim | null {
  if (typeof token !== 'string' || token.length > MAX_UNIT_TOKEN_LENGTH) return null;
  const dot = token.indexOf('.');
  if (dot <= 0 || dot !== token.lastIndexOf('.')) return null;
  const payload = token.slice(0, dot);
  const signature = token.slice(dot + 1);
  if (!BASE64URL.test(payload) || !BASE64URL.test(signature)) return null;
  // Compare the canonical encodings, not decoded bytes: base64url's last character has spare
  // bits, so a decoded comparison would accept a changed final character.
  const expected = Buffer.from(mac(payload, secret), 'latin1');
  const given = Buffer.from(signature, 'latin1');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  let claim: unknown;
  try {
    claim = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
  if (typeof claim !== 'object' || claim === null) return null;
  const { p, s, v } = claim as Record<string, unknown>;
  if (v !== VERSION || typeof p !== 'string' || typeof s !== 'string' || p === '' || s === '') return null;
  return { planCode: p, serialNumber: s };
}

/** What a per-unit QR code encodes: the consumer page with the unit pre-filled. */
export const unitUrl = (publicBaseUrl: string, token: string) => `${publicBaseUrl}/u/${token}`;
