/**
 * The sandbox gateway's callback wire format and signature, the way real
 * providers sign webhooks: `x-sandbox-signature: t=<unix seconds>,v1=<hex>`
 * where v1 is HMAC-SHA256(secret, `${t}.${rawBody}`). The timestamp is signed
 * too, so an old callback cannot be replayed with a fresh time, and it must lie
 * within a tolerance window of now. Pure: no I/O, the clock is a parameter.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { CallbackRejected } from './provider.ts';

export const SANDBOX_SIGNATURE_HEADER = 'x-sandbox-signature';

export const SANDBOX_EVENT_TYPES = [
  'payment.captured',
  'payment.closed',
  'payment.refunded',
  'payment.failed',
] as const;
export type SandboxEventType = (typeof SANDBOX_EVENT_TYPES)[number];

/** What the sandbox posts to the merchant's notify URL, as JSON. */
export interface SandboxEvent {
  id: string;
  type: SandboxEventType;
  payment_id: string;
  order_number: string;
  amount_fen: number;
  currency: string;
  created_at: string;
}

function hmacHex(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** The header value for a body sent at `timestampSeconds`. */
export function signSandboxPayload(secret: string, rawBody: string, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmacHex(secret, timestampSeconds, rawBody)}`;
}

/** `t=…,v1=…[,v1=…]` (several v1 allow a secret rotation); anything else is malformed. */
function parseHeader(header: string): { timestamp: number; signatures: string[] } {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const match = /^\s*(t|v1)=([^\s,]*)\s*$/.exec(part);
    if (!match) continue; // unknown schemes (v0, future versions) are ignored, as Stripe does
    const key = match[1];
    const value = match[2] ?? '';
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value))
        throw new CallbackRejected('malformed signature timestamp');
      timestamp = Number(value);
    } else {
      if (!/^[0-9a-f]{64}$/.test(value)) throw new CallbackRejected('malformed signature');
      signatures.push(value);
    }
  }
  if (timestamp === null) throw new CallbackRejected('signature header has no timestamp');
  if (signatures.length === 0) throw new CallbackRejected('signature header has no v1 signature');
  return { timestamp, signatures };
}

/** Node hands a repeated header over as an array; a signature header must be there exactly once. */
export function singleHeader(
  headers: Record<string, string | string[] | undefined>,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  const values = Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === wanted)
    .flatMap(([, value]) => (value === undefined ? [] : Array.isArray(value) ? value : [value]));
  if (values.length > 1) throw new CallbackRejected(`${name} header given more than once`);
  return values[0];
}

/**
 * Checks the header against the raw body: malformed → 400, wrong signature or
 * a timestamp outside ±toleranceSeconds → 401. The comparison is timing-safe.
 */
export function verifySandboxSignature(
  secret: string,
  rawBody: string,
  header: string | undefined,
  options: { toleranceSeconds: number; nowSeconds: number },
): void {
  if (header === undefined || header.trim() === '')
    throw new CallbackRejected(`missing ${SANDBOX_SIGNATURE_HEADER}`);
  const { timestamp, signatures } = parseHeader(header);
  const expected = Buffer.from(hmacHex(secret, timestamp, rawBody), 'hex');
  // Every candidate is compared, so timing does not reveal which one (if any) matched.
  let matched = false;
  for (const signature of signatures) {
    if (timingSafeEqual(expected, Buffer.from(signature, 'hex'))) matched = true;
  }
  if (!matched) throw new CallbackRejected('signature does not match', 401);
  if (Math.abs(options.nowSeconds - timestamp) > options.toleranceSeconds)
    throw new CallbackRejected('signature timestamp is outside the tolerance window', 401);
}

const isString = (value: unknown, maxLength: number): value is string =>
  typeof value === 'string' && value.length > 0 && value.length <= maxLength;

/** The body as a typed event; anything that is not exactly the wire format is malformed (400). */
export function parseSandboxEvent(rawBody: string): SandboxEvent {
  let data: unknown;
  try {
    data = JSON.parse(rawBody);
  } catch {
    throw new CallbackRejected('body is not JSON');
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new CallbackRejected('body is not a JSON object');
  const event = data as Record<string, unknown>;
  const problems: string[] = [];
  if (!isString(event.id, 64)) problems.push('id');
  if (!SANDBOX_EVENT_TYPES.includes(event.type as SandboxEventType)) problems.push('type');
  if (!isString(event.payment_id, 64)) problems.push('payment_id');
  if (!isString(event.order_number, 32)) problems.push('order_number');
  if (typeof event.amount_fen !== 'number' || !Number.isSafeInteger(event.amount_fen) || event.amount_fen < 0)
    problems.push('amount_fen');
  if (typeof event.currency !== 'string' || !/^[A-Z]{3}$/.test(event.currency)) problems.push('currency');
  if (!isString(event.created_at, 40) || Number.isNaN(Date.parse(event.created_at)))
    problems.push('created_at');
  if (problems.length > 0) throw new CallbackRejected(`malformed event: ${problems.join(', ')}`);
  return event as unknown as SandboxEvent;
}
