/**
 * R1 (issue 5), short: a couple dozen purchases over real HTTP while the worker is killed and
 * restarted, the Temporal dev server restarted and PostgreSQL (a private cluster) shut down
 * immediately and restarted — every purchase completes exactly once, and no phone ever gets a 500
 * (503 with Retry-After during an outage). The long run with 500
 * purchases is `node bench/faults/r1-crash-restart.ts` (or scripts/faults).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { FAULT_KINDS, printR1Report, runR1 } from './support/r1-crash-restart.ts';
import { type FaultSystem, startFaultSystem } from './support/system.ts';

let system: FaultSystem | undefined;

beforeAll(async () => {
  system = await startFaultSystem({ log: () => {} });
});

afterAll(async () => {
  await system?.stop();
});

test('purchases survive a killed worker, a restarted Temporal server and a restarted PostgreSQL', async () => {
  if (!system) throw new Error('the system did not start');
  const plan = await system.publishPlan();
  const result = await runR1(system, plan, {
    purchases: 24,
    concurrency: 6,
    downSeconds: 1,
    postgresMode: 'immediate',
    temporalSignal: 'SIGTERM',
    requestTimeoutMs: 15_000,
    settleTimeoutMs: 120_000,
    log: () => {},
  });
  console.log(
    `[r1] 5xx answers by status: ${[...result.serverErrors].map(([status, n]) => `${status} × ${n}`).join(', ') || 'none'}`,
  );
  if (!result.ok) {
    printR1Report(result, system);
    console.log(`the processes' logs: ${await system.keepLogs('r1-short')}`);
  }
  expect(result.faults.map((f) => f.kind)).toEqual([...FAULT_KINDS]);
  expect(result.checks.filter((c) => !c.ok)).toEqual([]);
  // Outages answer 503 with Retry-After (the phones retry those), never 500.
  expect(result.serverErrors.get('500') ?? 0).toBe(0);
});
