/**
 * Replays recorded histories against the current workflow code: a change that
 * would break running workflows (non-determinism) fails here. Refresh the
 * fixtures deliberately with RECORD_HISTORIES=1 when a change is versioned.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Worker } from '@temporalio/worker';
import { describe, expect, inject, it } from 'vitest';
import { startTracing } from '../../src/observability/tracing.ts';
import { WORKFLOWS_PATH } from '../../src/temporal/worker-factory.ts';

const FIXTURES = 'test/fixtures';
const histories = readdirSync(FIXTURES).filter((f) => f.endsWith('.history.json'));

describe('workflow replay', () => {
  it('has recorded histories for every workflow', () => {
    expect(histories.filter((f) => f.startsWith('plan-creation-')).length).toBeGreaterThanOrEqual(2);
    expect(histories.filter((f) => f.startsWith('purchase-')).length).toBeGreaterThanOrEqual(2);
    // The retired fewer-purchase-activities patch: runs recorded under patched() and under deprecatePatch().
    expect(histories).toEqual(
      expect.arrayContaining([
        'purchase-completed-fewer-activities.history.json',
        'purchase-completed.history.json',
        'purchase-expired.history.json',
      ]),
    );
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

  // Switching OTEL_EXPORTER_OTLP_ENDPOINT on (or off) must not break running workflows: the workflow
  // interceptors add spans and headers, never commands.
  it('replays every history with the tracing interceptors in the bundle', async () => {
    const tracing = await startTracing('replay', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' });
    if (!tracing) throw new Error('tracing did not start');
    try {
      const results = Worker.runReplayHistories(
        { workflowsPath: WORKFLOWS_PATH, ...tracing.workerOptions() },
        histories.map((file) => ({
          workflowId: file,
          history: JSON.parse(readFileSync(`${FIXTURES}/${file}`, 'utf8')),
        })),
      );
      let replayed = 0;
      for await (const result of results) {
        expect(result.error, result.workflowId).toBeUndefined();
        replayed += 1;
      }
      expect(replayed).toBe(histories.length);
    } finally {
      await tracing.shutdown();
    }
  });
});
