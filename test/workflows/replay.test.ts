/**
 * Replays recorded histories against the current workflow code: a change that
 * would break running workflows (non-determinism) fails here. Refresh the
 * fixtures deliberately with RECORD_HISTORIES=1 when a change is versioned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';

const FIXTURES = 'test/fixtures';
const histories = readdirSync(FIXTURES).filter((f) => f.endsWith('.history.json'));

describe('workflow replay', () => {
  it('has recorded histories for every workflow', () => {
    expect(histories.filter((f) => f.startsWith('plan-creation-')).length).toBeGreaterThanOrEqual(2);
    expect(histories.filter((f) => f.startsWith('purchase-')).length).toBeGreaterThanOrEqual(2);
    // The payment-failure-signal path (a declined payment ends the wait at once).
    expect(histories).toContain('purchase-declined.history.json');
    expect(histories.filter((f) => f.startsWith('unit-qr-batch-')).length).toBeGreaterThanOrEqual(1);
    expect(histories.filter((f) => f.startsWith('stats-rollup-')).length).toBeGreaterThanOrEqual(2);
    expect(histories.filter((f) => f.startsWith('claim-')).length).toBeGreaterThanOrEqual(4);
    expect(histories.filter((f) => f.startsWith('cancellation-')).length).toBeGreaterThanOrEqual(4);
  });

  it.each(histories)('replays %s deterministically', async (file) => {
    const history = JSON.parse(readFileSync(`${FIXTURES}/${file}`, 'utf8'));
    await Worker.runReplayHistory({ workflowBundle: { codePath: inject('workflowBundlePath') } }, history);
  });
});
