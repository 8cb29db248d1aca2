/**
 * History JSON and timestamps without the SDK's internal modules: every recorded history
 * reads and writes back byte for byte, and a Timestamp round-trips through milliseconds.
 */
import { readdirSync, readFileSync } from 'node:fs';
import Long from 'long';
import { describe, expect, it } from 'vitest';
import { historyFromJSON, historyToJSON } from '../../src/temporal/history-json.ts';
import { msToTimestamp, timestampToMs } from '../../src/temporal/timestamps.ts';

const fixtures = readdirSync('test/fixtures').filter((name) => name.endsWith('.history.json'));

describe('history JSON', () => {
  it.each(fixtures)('reads and writes %s back unchanged', (name) => {
    const text = readFileSync(`test/fixtures/${name}`, 'utf8');
    const history = historyFromJSON(JSON.parse(text));
    expect(history.events?.length).toBeGreaterThan(0);
    expect(historyToJSON(history)).toBe(text);
  });

  it('refuses what is not a history', () => {
    expect(() => historyFromJSON({ events: 'none' })).toThrow();
  });
});

describe('timestamps', () => {
  it('round-trips milliseconds, keeping sub-second parts', () => {
    for (const ms of [0, 1, 999, 1_000, 1_795_623_494_969, 30 * 86_400_000])
      expect(timestampToMs(msToTimestamp(ms))).toBe(ms);
  });

  it('truncates nanoseconds to whole milliseconds and refuses a missing timestamp', () => {
    expect(timestampToMs({ seconds: Long.fromNumber(1), nanos: 969_996_560 })).toBe(1_969);
    expect(() => timestampToMs(undefined)).toThrow(TypeError);
  });
});
