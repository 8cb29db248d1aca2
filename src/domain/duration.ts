/**
 * Durations written as in settings ('30 minutes', '1 day') or as milliseconds.
 * Parsed with `ms`, the library the Temporal SDK parses its own duration
 * options with (same grammar), so a setting means the same here as there.
 * Pure: workflows use it.
 */
import type { Duration } from '@temporalio/common';
import ms from 'ms';

export type { Duration };
/** A duration as text ('15 minutes', '2 days'): what settings and workflow inputs hold. */
export type DurationText = ms.StringValue;

/** Whether `value` is text `ms` reads as a duration longer than zero. */
export function isPositiveDuration(value: string): value is DurationText {
  try {
    return durationToMs(value) > 0;
  } catch {
    return false;
  }
}

/** Milliseconds in `value`; a TypeError for text `ms` cannot read. */
export function durationToMs(value: Duration | string): number {
  if (typeof value === 'number') return value;
  // Settings are free text: `ms` answers undefined or NaN for what it cannot read, checked here.
  const millis = ms(value as ms.StringValue);
  if (!Number.isFinite(millis)) throw new TypeError(`Invalid duration string: '${value}'`);
  return millis;
}
