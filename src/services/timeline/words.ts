/**
 * The pieces every describer builds its messages from: readers for decoded payloads (histories of
 * every version, so nothing is trusted to have today's shape), amounts in their own currency, durations
 * and labels, each a message of the `timeline` namespace so the edge can tell it in either language.
 */

import { durationToMs } from '../../domain/duration.ts';
import { formatFen } from '../../domain/money.ts';
import type { Message } from '../../i18n/catalogue.ts';

/** A message code of the timeline namespace with its parameters; a parameter may be a message itself. */
export const message = (key: string, params?: Record<string, unknown>): Message =>
  params ? { code: `timeline:${key}`, params } : { code: `timeline:${key}` };

export const isMessage = (value: unknown): value is Message =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Message).code === 'string' &&
  Object.keys(value).every((key) => key === 'code' || key === 'params');

export const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
export const text = (value: unknown) => (value === undefined || value === null ? '' : String(value));
export const count = (value: unknown) => (Array.isArray(value) ? value.length : 0);

/**
 * An amount in the currency it was charged in (the order's or the plan's, from the history or the
 * database). Where neither holds the currency the amount is given in minor units and says so.
 */
export function money(amountFen: unknown, currency: unknown): Message {
  if (!Number.isSafeInteger(amountFen)) return message('money.unknown');
  if (typeof currency === 'string' && /^[A-Z]{3}$/.test(currency))
    return message('money.amount', { amount: formatFen(amountFen as number, currency) });
  return message('money.noCurrency', { minor: amountFen });
}

/** 1500 → "1.5 s"/"1.5 秒"; 5 400 000 → "1 h 30 min"/"1 小时 30 分". */
export function duration(ms: number): Message {
  if (ms < 1000) return message('duration.ms', { n: Math.round(ms) });
  if (ms < 60_000) return message('duration.s', { n: Math.round(ms / 100) / 10 });
  const units: [number, string][] = [
    [86_400_000, 'd'],
    [3_600_000, 'h'],
    [60_000, 'min'],
    [1000, 's'],
  ];
  const parts: Message[] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [size, unit] of units) {
    const n = Math.floor(rest / size);
    if (n > 0 && parts.length < 2) parts.push(message(`duration.${unit}`, { n }));
    rest -= n * size;
  }
  return parts.length === 1 ? (parts[0] as Message) : message('duration.pair', { a: parts[0], b: parts[1] });
}

/** A configured duration ("15 minutes") in words; a value that is not a duration is quoted as it is. */
export function durationText(value: unknown): Message {
  try {
    return duration(durationToMs(String(value)));
  } catch {
    return message('quoted', { value: text(value) });
  }
}

/**
 * The label of a value from a closed list (stages, statuses, outcomes, providers). A value outside the
 * list (a history from a version that had it) is quoted under the fallback code the timeline test hunts for.
 */
export function label(kind: string, known: readonly string[], value: unknown): Message {
  const key = text(value);
  if (!known.includes(key)) return message(`fallback.${kind}`, { value: key });
  // Stages, providers and order statuses read as everywhere else: the one label table per concept.
  return SHARED_LABELS.has(kind) ? { code: `labels:${kind}.${key}` } : message(`${kind}.${key}`);
}
const SHARED_LABELS = new Set(['stage', 'provider', 'orderStatus']);
