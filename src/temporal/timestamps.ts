/**
 * protobuf Timestamp/Duration (seconds as Long + nanos) ⇄ milliseconds. The SDK's
 * own converters are internal (`@hidden`), so the two conversions live here.
 */
import type { Timestamp } from '@temporalio/common';
import Long from 'long';

/** Milliseconds in a protobuf Timestamp or Duration; a TypeError when it is missing. */
export function timestampToMs(ts: Timestamp | null | undefined): number {
  if (ts == null) throw new TypeError(`Expected timestamp, got ${ts}`);
  return Long.fromValue(ts.seconds ?? 0)
    .mul(1000)
    .add(Math.floor((ts.nanos ?? 0) / 1_000_000))
    .toNumber();
}

/** A protobuf Duration/Timestamp holding `millis` milliseconds. */
export function msToTimestamp(millis: number): Timestamp {
  return { seconds: Long.fromNumber(Math.floor(millis / 1000)), nanos: (millis % 1000) * 1_000_000 };
}
