/**
 * Cancellation histories recorded before the refund's computation was kept
 * with it: the timeline states only what the record holds, never a basis
 * ("full refund") it cannot know.
 */
import { readFileSync } from 'node:fs';
import { defaultPayloadConverter } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { buildTimeline, stepInWords } from '../../src/services/workflow-timeline.ts';
import { historyFromJSON } from '../../src/temporal/history-json.ts';
import { msToTimestamp } from '../../src/temporal/timestamps.ts';

const recordStep = (fixture: string) => {
  const history = historyFromJSON(JSON.parse(readFileSync(`test/fixtures/${fixture}.history.json`, 'utf8')));
  // Under vitest the JSON reader leaves int64 seconds as numbers; the timeline reads Longs, as fetchHistory gives.
  const events = (history.events ?? []).map((event) => ({
    ...event,
    eventTime: msToTimestamp(
      Number(event.eventTime?.seconds) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6),
    ),
  }));
  const steps = buildTimeline('CancellationWorkflow', events, defaultPayloadConverter);
  return steps.map(stepInWords).find((s) => s.step === 'activity.recordCancellation');
};

describe('cancellation timeline of a recorded history without the refund computation', () => {
  it('states the period, the deduction and the refund, and says the basis was not kept', () => {
    expect(recordStep('cancellation-full-refund')?.textEn).toBe(
      'Cancellation recorded: inside the cooling-off period, approved repairs ¥0.00 deducted, refund ¥299.00 (the record kept no paid amount or refund basis)',
    );
    expect(recordStep('cancellation-pro-rated')?.textZh).toBe(
      '退保已记录：冷静期后，扣除已批准维修 ¥30.00，退款 ¥191.28（记录未保存支付金额与折算依据）',
    );
  });
});
