/**
 * P2 (issues 3 and 5): completed purchases per second end to end against a
 * baseline on the same Temporal dev server and worker setup, measured side by
 * side in one run. The ratio is the figure; absolute numbers depend on a
 * shared, noisy machine and are information only.
 *
 *   node bench/purchase-throughput.ts [--purchases=100] [--concurrency=20] [--warmup=5] [--rounds=1] [--sample=20]
 *        [--workers=1,2,4] [--activity-slots=N] [--workflow-slots=N] [--cached-workflows=N] [--pool=N]
 *
 * or BENCH_PURCHASES / BENCH_CONCURRENCY / BENCH_WARMUP / BENCH_ROUNDS / BENCH_SAMPLE / BENCH_WORKERS /
 * BENCH_ACTIVITY_SLOTS / BENCH_WORKFLOW_SLOTS / BENCH_CACHED_WORKFLOWS / BENCH_POOL.
 * TEMPORAL_CLI_PATH must point at the Temporal CLI (see bench/README.md).
 *
 * One purchase, over real HTTP like a phone: `POST /api/v1/public/orders`
 * (update-with-start of PurchaseWorkflow: registerOrder, createPayment) →
 * `POST /sandbox/payments/:id/pay` → the sandbox deliverer calls
 * `/api/v1/payments/sandbox/notify` back over HTTP, signed → verified, stored,
 * signalled → the workflow records the order, issues the certificate, sends
 * the confirmation and completes. It counts when the workflow's result says
 * `completed`.
 *
 * The baseline: BaselineWorkflow (bench/workflows/) running as many no-op
 * activities, one after another, as a real purchase's history schedules,
 * on its own task queue, started and awaited by the same client.
 *
 * Workers: for each count in --workers, the Yanbao worker runs as that many
 * separate processes (src/worker.ts, configured through the environment) and
 * the baseline's worker as as many processes of bench/baseline-worker.ts, with
 * the same worker options; the app, the sandbox deliverer and the load stay in
 * this process. The curve at the end: purchases/s, baseline/s and the ratio per
 * worker count.
 *
 * Each phone has its own address: the registration endpoint is rate-limited
 * per client IP (30/min), so requests leave from 127.0.0.2, 127.0.0.3, …
 * (all loopback on Linux), about 25 registrations per address.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import proto from '@temporalio/proto';
import { bundleWorkflowCode } from '@temporalio/worker';
import { loadConfig } from '../src/config.ts';
import { chinaDate } from '../src/domain/coverage.ts';
import { PaymentEvent } from '../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../src/domain/order-links.ts';
import { timestampToMs } from '../src/temporal/timestamps.ts';
import { WORKFLOWS_PATH } from '../src/temporal/worker-factory.ts';
import { Phone } from '../test/faults/support/phones.ts';
import type { PurchaseStatus } from '../workflows/purchase.messages.ts';
import { installRuntimeWithoutSignalHandlers, teardown } from './lifecycle.ts';
import {
  CpuMeter,
  childPids,
  fixed,
  machineFacts,
  mean,
  numberListOption,
  numberOption,
  percentile,
  printFacts,
  printTable,
  processCpuMs,
} from './measure.ts';
import { publishBenchPlan, spawnWorkerProcesses, startBenchSystem, type WorkerProcesses } from './support.ts';
import type { BaselineWorkflow } from './workflows/baseline.workflow.ts';

const PURCHASES = Math.max(1, Math.round(numberOption('purchases', 'BENCH_PURCHASES', 100)));
const CONCURRENCY = Math.max(1, Math.round(numberOption('concurrency', 'BENCH_CONCURRENCY', 20)));
const WARMUP = Math.max(1, Math.round(numberOption('warmup', 'BENCH_WARMUP', 5)));
const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 1)));
const SAMPLE = Math.max(1, Math.round(numberOption('sample', 'BENCH_SAMPLE', 20)));
/** Worker processes per measured set, e.g. `--workers=1,2,4`. */
const WORKER_COUNTS = numberListOption('workers', 'BENCH_WORKERS', [1], (n) => Number.isInteger(n) && n >= 1);
/** Per worker process; 0 keeps the SDK's default (activities 100, workflow tasks 40, cache 10000; pool 10). */
const TUNING = {
  WORKER_MAX_CONCURRENT_ACTIVITIES: numberOption('activity-slots', 'BENCH_ACTIVITY_SLOTS', 0),
  WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: numberOption('workflow-slots', 'BENCH_WORKFLOW_SLOTS', 0),
  WORKER_MAX_CACHED_WORKFLOWS: numberOption('cached-workflows', 'BENCH_CACHED_WORKFLOWS', 0),
  DATABASE_POOL_MAX: numberOption('pool', 'BENCH_POOL', 0),
};
const tuningEnv = Object.fromEntries(
  Object.entries(TUNING)
    .filter(([, value]) => value > 0)
    .map(([name, value]) => [name, String(Math.round(value))]),
);
const TARGET_RATIO = 0.7;
const TARGET_RATE = 50;
const REGISTRATIONS_PER_ADDRESS = 25;
/** A request without an answer by then fails the purchase (and the run's figures are then not comparable). */
const PHONE_TIMEOUT_MS = 60_000;

const BASELINE_WORKFLOWS = fileURLToPath(new URL('./workflows/baseline.workflow.ts', import.meta.url));
const BASELINE_WORKER = fileURLToPath(new URL('./baseline-worker.ts', import.meta.url));
const EventType = proto.temporal.api.enums.v1.EventType;
type HistoryEvent = proto.temporal.api.history.v1.IHistoryEvent;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms).unref());

// ——— histories ———

interface ActivityTiming {
  name: string;
  scheduledAt: number;
  /** schedule → start: waiting in the task queue for a worker slot. */
  queueMs: number;
  /** start → complete: running in the worker (its I/O included). */
  runMs: number;
  completedAt: number;
}

interface HistoryFacts {
  activities: ActivityTiming[];
  workflowTasks: { queueMs: number; runMs: number }[];
  startedAt: number;
  signalledAt: number | null;
  completedAt: number | null;
}

const key = (id: unknown) => String(id);

function historyFacts(events: HistoryEvent[]): HistoryFacts {
  const scheduled = new Map<string, { name: string; at: number; startedAt?: number }>();
  const wfScheduled = new Map<string, { at: number; startedAt?: number }>();
  const activities: ActivityTiming[] = [];
  const workflowTasks: { queueMs: number; runMs: number }[] = [];
  let startedAt = Number.NaN;
  let signalledAt: number | null = null;
  let completedAt: number | null = null;
  for (const event of events) {
    const at = timestampToMs(event.eventTime);
    switch (event.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED:
        startedAt = at;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
        signalledAt ??= at;
        break;
      case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED:
        completedAt = at;
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
        scheduled.set(key(event.eventId), {
          name: event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?',
          at,
        });
        break;
      case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
        const entry = scheduled.get(key(event.activityTaskStartedEventAttributes?.scheduledEventId));
        if (entry) entry.startedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED: {
        const entry = scheduled.get(key(event.activityTaskCompletedEventAttributes?.scheduledEventId));
        if (entry?.startedAt !== undefined)
          activities.push({
            name: entry.name,
            scheduledAt: entry.at,
            queueMs: entry.startedAt - entry.at,
            runMs: at - entry.startedAt,
            completedAt: at,
          });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED:
        wfScheduled.set(key(event.eventId), { at });
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED: {
        const entry = wfScheduled.get(key(event.workflowTaskStartedEventAttributes?.scheduledEventId));
        if (entry) entry.startedAt = at;
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
        const entry = wfScheduled.get(key(event.workflowTaskCompletedEventAttributes?.scheduledEventId));
        if (entry?.startedAt !== undefined)
          workflowTasks.push({ queueMs: entry.startedAt - entry.at, runMs: at - entry.startedAt });
        break;
      }
    }
  }
  return { activities, workflowTasks, startedAt, signalledAt, completedAt };
}

// ——— the system ———

installRuntimeWithoutSignalHandlers();
const base = loadConfig();
const system = await startBenchSystem({
  listen: true,
  // Short enough that nothing waits long, long enough that nothing expires during the run.
  configOverrides: { purchase: { ...base.purchase, paymentTimeout: '5 minutes' } },
});
const baselineQueue = `baseline-${randomBytes(4).toString('hex')}`;
/** Worker processes running right now (Yanbao's and the baseline's). */
let workerSets: WorkerProcesses[] = [];
const bundleDir = mkdtempSync(join(tmpdir(), 'yanbao-bench-'));
/** Phones over real HTTP, each from its own loopback address (test/faults/support/phones.ts). */
let phones: Phone[] = [];
/** The load being generated right now, if any. */
let load: Promise<unknown> | null = null;
const stop = teardown({
  databaseUrl: () => system.config.databaseUrl,
  steps: async () => {
    // The load stops first: pool loops start no new purchase once stop.requested is set, and the
    // ones in flight get a little time to finish. Then the phones' sockets go, then the baseline
    // worker, then the system (app before worker, so requests waiting on workflows can finish).
    if (load !== null) await Promise.race([load.catch(() => {}), sleep(15_000)]);
    for (const phone of phones) phone.close();
    system.app.server.closeAllConnections();
    await Promise.all(workerSets.map((set) => set.stop()));
    await system.stop();
    rmSync(bundleDir, { recursive: true, force: true });
  },
});

interface Outcome {
  id: string;
  ok: boolean;
  error?: string;
  startedAt: number;
  endedAt: number;
  /** Purchases only: client-side moments. */
  registeredAt?: number;
  paidAt?: number;
  orderNumber?: string;
}

interface RunResult {
  kind: 'baseline' | 'purchase';
  outcomes: Outcome[];
  wallMs: number;
  cpu: { node: number; workers: number; temporal: number; postgres: number };
}

/** Runs `count` jobs with at most `concurrency` at once. */
async function pool(count: number, concurrency: number, job: (i: number) => Promise<Outcome>) {
  const outcomes: Outcome[] = [];
  let next = 0;
  load = Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count && !stop.requested) outcomes.push(await job(next++));
    }),
  );
  await load;
  return outcomes;
}

let exitCode = 0;
try {
  const plan = await publishBenchPlan(system);
  const url = system.url as string;
  const origin = url.replace('//localhost:', '//127.0.0.1:');
  const { client } = system;

  // From here on only worker processes poll: this process keeps the app, the deliverer and the load.
  await system.stopWorker();
  log('bundling the workflows once for every worker process');
  const bundles = { yanbao: join(bundleDir, 'yanbao.js'), baseline: join(bundleDir, 'baseline.js') };
  const quiet = { logger: { log() {}, info() {}, warn: log, error: log, debug() {}, trace() {} } };
  writeFileSync(bundles.yanbao, (await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, ...quiet })).code);
  writeFileSync(
    bundles.baseline,
    (await bundleWorkflowCode({ workflowsPath: BASELINE_WORKFLOWS, ...quiet })).code,
  );

  const totalPurchases = (WARMUP + PURCHASES * ROUNDS) * WORKER_COUNTS.length;
  phones = Array.from(
    { length: Math.min(Math.max(Math.ceil(totalPurchases / REGISTRATIONS_PER_ADDRESS), 1), 250) },
    (_, i) => new Phone(origin, i),
  );
  let serial = 1_000_000_000 + Math.floor(Math.random() * 1_000_000_000);
  const purchaseDate = chinaDate(new Date(Date.now() - 10 * 86_400_000));
  let purchaseIndex = 0;

  const purchase = async (): Promise<Outcome> => {
    const index = purchaseIndex++;
    const phone = phones[Math.floor(index / REGISTRATIONS_PER_ADDRESS) % phones.length] as Phone;
    const startedAt = Date.now();
    const id = `purchase #${index}`;
    try {
      const registered = await phone.post(
        '/api/v1/public/orders',
        {
          planCode: plan.code,
          consumerName: '张三',
          consumerPhone: '13912345678',
          serialNumber: `XH${serial++}`,
          productPurchaseDate: purchaseDate,
          paymentProvider: 'sandbox',
          idempotencyKey: randomUUID().replaceAll('-', ''),
        },
        PHONE_TIMEOUT_MS,
      );
      if (registered.status !== 201)
        throw new Error(`register answered ${registered.status} ${JSON.stringify(registered.json)}`);
      const { orderNumber, payUrl } = registered.json as { orderNumber: string; payUrl: string };
      const registeredAt = Date.now();
      const paymentId = payUrl.split('/').pop() as string;
      const paid = await phone.post(`/sandbox/payments/${paymentId}/pay`, undefined, PHONE_TIMEOUT_MS);
      if (paid.status !== 200) throw new Error(`pay answered ${paid.status} ${JSON.stringify(paid.json)}`);
      const paidAt = Date.now();
      const status = (await client.workflow
        .getHandle(purchaseWorkflowId(orderNumber))
        .result()) as PurchaseStatus;
      const ok = status.stage === 'completed';
      return {
        id: purchaseWorkflowId(orderNumber),
        ok,
        ...(ok ? {} : { error: `finished at stage ${status.stage}` }),
        startedAt,
        endedAt: Date.now(),
        registeredAt,
        paidAt,
        orderNumber,
      };
    } catch (err) {
      return { id, ok: false, error: String(err), startedAt, endedAt: Date.now() };
    }
  };

  let activityCount = 0;
  let baselineIndex = 0;
  const baseline = async (): Promise<Outcome> => {
    const workflowId = `baseline-${baselineIndex++}-${randomBytes(3).toString('hex')}`;
    const startedAt = Date.now();
    try {
      await client.workflow.execute<typeof BaselineWorkflow>('BaselineWorkflow', {
        workflowId,
        taskQueue: baselineQueue,
        args: [activityCount],
      });
      return { id: workflowId, ok: true, startedAt, endedAt: Date.now() };
    } catch (err) {
      return { id: workflowId, ok: false, error: String(err), startedAt, endedAt: Date.now() };
    }
  };

  // Where CPU goes: this process (app, worker, the load itself), the dev server, our PostgreSQL backends.
  const temporalPids = childPids(process.pid, 'temporal');
  const pgPids = async () =>
    (
      (await system.orm.em
        .fork()
        .execute(
          'select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
        )) as { pid: number }[]
    ).map((row) => row.pid);
  const meters = {
    node: new CpuMeter(() => [process.pid]),
    workers: new CpuMeter(() => workerSets.flatMap((set) => set.pids)),
    temporal: new CpuMeter(() => temporalPids),
    postgres: new CpuMeter(pgPids),
  };

  const measure = async (kind: RunResult['kind'], count: number): Promise<RunResult> => {
    for (const meter of Object.values(meters)) await meter.begin();
    const started = Date.now();
    const outcomes = await pool(count, CONCURRENCY, kind === 'purchase' ? purchase : baseline);
    const wallMs = Date.now() - started;
    if (stop.requested) throw new Error('interrupted');
    const cpu = {
      node: await meters.node.end(),
      workers: await meters.workers.end(),
      temporal: await meters.temporal.end(),
      postgres: await meters.postgres.end(),
    };
    const failed = outcomes.filter((o) => !o.ok);
    log(
      `${kind}: ${count} in ${fixed(wallMs / 1000, 1)} s = ${fixed((count - failed.length) / (wallMs / 1000), 1)}/s` +
        (failed.length ? `, ${failed.length} failed (first: ${failed[0]?.error})` : ''),
    );
    return { kind, outcomes, wallMs, cpu };
  };

  let activitySequence: string[] = [];
  const curve: { workers: number; purchases: number; baseline: number; ratio: number }[] = [];
  let setupPrinted = false;
  for (const workers of WORKER_COUNTS) {
    if (stop.requested) break;
    // ——— worker processes: Yanbao's and the baseline's, as many of each ———
    log(`${workers} worker process(es) each for Yanbao and the baseline`);
    workerSets = [
      await spawnWorkerProcesses(system, workers, {
        env: { ...tuningEnv, WORKER_WORKFLOW_BUNDLE: bundles.yanbao },
      }),
      await spawnWorkerProcesses(
        { config: { ...system.config, temporal: { ...system.config.temporal, taskQueue: baselineQueue } } },
        workers,
        { entry: BASELINE_WORKER, env: { ...tuningEnv, WORKER_WORKFLOW_BUNDLE: bundles.baseline } },
      ),
    ];

    // ——— warm-up: purchases first, to learn how many activities one schedules ———
    log(`warm-up: ${WARMUP} purchases`);
    const warm = await pool(WARMUP, Math.min(CONCURRENCY, WARMUP), purchase);
    const firstOk = warm.find((o) => o.ok);
    if (!firstOk) throw new Error(`no warm-up purchase completed: ${warm[0]?.error}`);
    const warmHistory = await client.workflow.getHandle(firstOk.id).fetchHistory();
    const warmFacts = historyFacts(warmHistory.events ?? []);
    activitySequence = warmFacts.activities.map((a) => a.name);
    activityCount = (warmHistory.events ?? []).filter(
      (e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
    ).length;
    log(`one purchase schedules ${activityCount} activities: ${activitySequence.join(' → ')}`);
    log(`warm-up: ${WARMUP} baseline workflows`);
    await pool(WARMUP, Math.min(CONCURRENCY, WARMUP), baseline);

    // ——— measured runs, alternating ———
    const runs: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      log(
        `round ${round + 1}: ${PURCHASES} baseline workflows and ${PURCHASES} purchases, ${CONCURRENCY} at once`,
      );
      // ABBA: baseline first in odd rounds, purchases first in even ones, so a steady drift cancels out.
      const order =
        round % 2 === 0 ? (['baseline', 'purchase'] as const) : (['purchase', 'baseline'] as const);
      for (const kind of order) runs.push(await measure(kind, PURCHASES));
    }

    // ——— histories of a sample ———
    const sampleOf = (kind: RunResult['kind']) => {
      const ok = runs.filter((r) => r.kind === kind).flatMap((r) => r.outcomes.filter((o) => o.ok));
      const step = Math.max(1, Math.floor(ok.length / SAMPLE));
      return ok.filter((_, i) => i % step === 0).slice(0, SAMPLE);
    };
    const factsOf = async (outcomes: Outcome[]) =>
      Promise.all(
        outcomes.map(async (o) => ({
          outcome: o,
          facts: historyFacts((await client.workflow.getHandle(o.id).fetchHistory()).events ?? []),
        })),
      );
    const purchaseSample = await factsOf(sampleOf('purchase'));
    const baselineSample = await factsOf(sampleOf('baseline'));

    // When the app had verified and stored each sampled callback (payment_event.created_at).
    const callbackRows = await system.orm.em.fork().find(PaymentEvent, {
      kind: 'captured',
      orderNumber: { $in: purchaseSample.map((s) => s.outcome.orderNumber as string) },
    });
    const callbackAt = new Map<string, number>();
    for (const row of callbackRows)
      callbackAt.set(
        row.orderNumber,
        Math.min(callbackAt.get(row.orderNumber) ?? Infinity, row.createdAt.getTime()),
      );

    const latencies = (outcomes: Outcome[]) =>
      outcomes.filter((o) => o.ok).map((o) => o.endedAt - o.startedAt);
    const rowOf = (label: string, selected: RunResult[]) => {
      const outcomes = selected.flatMap((r) => r.outcomes);
      const ok = outcomes.filter((o) => o.ok).length;
      const seconds = selected.reduce((sum, r) => sum + r.wallMs, 0) / 1000;
      const cpu = (part: keyof RunResult['cpu']) => selected.reduce((sum, r) => sum + r.cpu[part], 0) / ok;
      const lat = latencies(outcomes);
      return {
        rate: ok / seconds,
        failed: outcomes.length - ok,
        cells: [
          label,
          String(outcomes.length),
          String(outcomes.length - ok),
          fixed(seconds, 1),
          fixed(ok / seconds, 1),
          fixed(percentile(lat, 50), 0),
          fixed(percentile(lat, 99), 0),
          fixed(cpu('node'), 1),
          fixed(cpu('workers'), 1),
          fixed(cpu('temporal'), 1),
          fixed(cpu('postgres'), 1),
          (['node', 'workers', 'temporal', 'postgres'] as const)
            .map((part) =>
              fixed((selected.reduce((sum, r) => sum + r.cpu[part], 0) / (seconds * 1000)) * 100, 0),
            )
            .join(' / '),
        ],
      };
    };
    const headers = [
      'run',
      'workflows',
      'failed',
      'wall s',
      'completed/s',
      'p50 ms',
      'p99 ms',
      'CPU ms/wf: node',
      'workers',
      'Temporal',
      'PG',
      'busy % of a core: node / workers / Temporal / PG',
    ];
    if (!setupPrinted) {
      setupPrinted = true;
      // ——— report ———
      console.log(`\nP2 purchase throughput`);
      printFacts('Machine', machineFacts());
      printFacts('Setup', [
        [
          'purchases per run',
          `${PURCHASES}, ${CONCURRENCY} at once; ${ROUNDS} round(s) per worker count, ABBA order`,
        ],
        ['warm-up', `${WARMUP} purchases + ${WARMUP} baseline workflows (not counted)`],
        ['activities per purchase', `${activityCount}: ${activitySequence.join(' → ')}`],
        [
          'baseline',
          `BaselineWorkflow: ${activityCount} no-op activities in sequence, own worker and task queue`,
        ],
        [
          'Temporal',
          `dev server (${temporalPids.length ? `pid ${temporalPids.join(', ')}` : 'pid not found'})`,
        ],
        ['plan', `${plan.code}; payment timeout 5 minutes`],
        [
          'worker processes',
          `${WORKER_COUNTS.join(', ')} each for Yanbao (src/worker.ts) and the baseline (bench/baseline-worker.ts)`,
        ],
        [
          'worker options (each process)',
          Object.entries(TUNING)
            .map(([name, value]) => `${name}=${value > 0 ? Math.round(value) : 'default'}`)
            .join(', '),
        ],
        ['this process', 'app + sandbox deliverer (polls every 200 ms) + load generator'],
      ]);
    }
    console.log(`\n=== ${workers} worker process(es) each for Yanbao and the baseline ===`);
    console.log(
      `\nThroughput (${CONCURRENCY} at once; latency = start → result seen by the client; CPU per completed workflow:` +
        '\n  node = this process: app + sandbox deliverer + load generator; workers = the worker processes;' +
        ' Temporal = dev server; PG = our database backends)',
    );
    printTable(headers, [...runs.map((r, i) => rowOf(`${r.kind} #${Math.floor(i / 2) + 1}`, [r]).cells)]);
    const baselineRow = rowOf(
      'baseline',
      runs.filter((r) => r.kind === 'baseline'),
    );
    const purchaseRow = rowOf(
      'purchase',
      runs.filter((r) => r.kind === 'purchase'),
    );
    if (ROUNDS > 1) {
      console.log('\nTotals');
      printTable(headers, [baselineRow.cells, purchaseRow.cells]);
    }
    const ratio = purchaseRow.rate / baselineRow.rate;
    curve.push({ workers, purchases: purchaseRow.rate, baseline: baselineRow.rate, ratio });
    console.log(
      `\nRatio purchases/baseline completed per second: ${fixed(ratio, 2)}× ` +
        `(${fixed(purchaseRow.rate, 1)}/s vs ${fixed(baselineRow.rate, 1)}/s)`,
    );
    const met = ratio >= TARGET_RATIO && purchaseRow.rate >= TARGET_RATE;
    console.log(
      `Issue 5 target (≥ ${TARGET_RATIO}× and ≥ ${TARGET_RATE} purchases/s): ${met ? 'met' : 'not met'} ` +
        `(ratio ${ratio >= TARGET_RATIO ? 'ok' : 'below'}, rate ${purchaseRow.rate >= TARGET_RATE ? 'ok' : 'below'}) — information, not a pass/fail`,
    );

    // Per activity: queue wait and run time, from the sampled histories.
    const activityRows = (sample: { facts: HistoryFacts }[], label: (name: string) => string) => {
      const byName = new Map<string, ActivityTiming[]>();
      for (const { facts } of sample)
        for (const a of facts.activities) byName.set(a.name, [...(byName.get(a.name) ?? []), a]);
      return [...byName].map(([name, timings]) => [
        label(name),
        fixed(timings.length / sample.length, 1),
        fixed(mean(timings.map((t) => t.queueMs)), 1),
        fixed(mean(timings.map((t) => t.runMs)), 1),
        fixed(
          percentile(
            timings.map((t) => t.runMs),
            95,
          ),
          1,
        ),
      ]);
    };
    const taskRow = (label: string, sample: { facts: HistoryFacts }[]) => {
      const tasks = sample.flatMap((s) => s.facts.workflowTasks);
      return [
        label,
        fixed(tasks.length / sample.length, 1),
        fixed(mean(tasks.map((t) => t.queueMs)), 1),
        fixed(mean(tasks.map((t) => t.runMs)), 1),
        fixed(
          percentile(
            tasks.map((t) => t.runMs),
            95,
          ),
          1,
        ),
      ];
    };
    console.log(
      `\nWhere time goes, per task, from the histories of ${purchaseSample.length} purchases and ${baselineSample.length} baseline workflows` +
        '\n  (queue = scheduled → started: waiting for a worker slot/poll; run = started → completed, in ms)',
    );
    printTable(
      ['task', 'per wf', 'queue mean', 'run mean', 'run p95'],
      [
        ...activityRows(purchaseSample, (name) => `activity ${name}`),
        taskRow('workflow tasks (purchase)', purchaseSample),
        ...activityRows(baselineSample, (name) => `baseline activity ${name}`),
        taskRow('workflow tasks (baseline)', baselineSample),
      ],
    );

    // One purchase's wall time, stage by stage (means over the sample; client and server clocks are this machine's).
    const stages: [string, number[]][] = [
      ['register: POST /public/orders (update-with-start, registration activity)', []],
      ['pay: POST /sandbox/payments/:id/pay', []],
      ['paid → callback verified and stored by the app (sandbox deliverer poll + HTTP)', []],
      ['callback stored → signal in the workflow history', []],
      ['signal → order recorded (recordPaidOrder completed)', []],
      ['order recorded → workflow completed (confirmation)', []],
      ['workflow completed → result seen by the client', []],
      ['total, start → result', []],
    ];
    for (const { outcome, facts } of purchaseSample) {
      const stored = callbackAt.get(outcome.orderNumber as string);
      const recorded = facts.activities.find((a) => a.name === 'recordPaidOrder')?.completedAt;
      const push = (index: number, value: number | null | undefined) => {
        if (value !== null && value !== undefined && Number.isFinite(value)) stages[index]?.[1].push(value);
      };
      push(0, (outcome.registeredAt ?? Number.NaN) - outcome.startedAt);
      push(1, (outcome.paidAt ?? Number.NaN) - (outcome.registeredAt ?? Number.NaN));
      push(2, stored === undefined ? null : stored - (outcome.paidAt ?? Number.NaN));
      push(3, stored === undefined || facts.signalledAt === null ? null : facts.signalledAt - stored);
      push(4, recorded === undefined || facts.signalledAt === null ? null : recorded - facts.signalledAt);
      push(5, recorded === undefined || facts.completedAt === null ? null : facts.completedAt - recorded);
      push(6, facts.completedAt === null ? null : outcome.endedAt - facts.completedAt);
      push(7, outcome.endedAt - outcome.startedAt);
    }
    console.log(`\nOne purchase, stage by stage (ms, over the ${purchaseSample.length} sampled purchases)`);
    printTable(
      ['stage', 'mean', 'p50', 'p95'],
      stages.map(([label, values]) => [
        label,
        fixed(mean(values), 1),
        fixed(percentile(values, 50), 1),
        fixed(percentile(values, 95), 1),
      ]),
    );

    const failures = runs.flatMap((r) => r.outcomes.filter((o) => !o.ok));
    await Promise.all(workerSets.map((set) => set.stop()));
    workerSets = [];
    if (failures.length > 0) {
      console.log(`\nWARNING: ${failures.length} workflows did not complete; first: ${failures[0]?.error}`);
      exitCode = 1;
    }
  }

  console.log('\nScaling curve: completed per second by worker processes (each for Yanbao and the baseline)');
  printTable(
    ['worker processes', 'purchases/s', 'baseline/s', 'ratio', 'purchases/s vs 1st count'],
    curve.map((point) => [
      String(point.workers),
      fixed(point.purchases, 1),
      fixed(point.baseline, 1),
      `${fixed(point.ratio, 2)}×`,
      `${fixed(point.purchases / (curve[0]?.purchases ?? Number.NaN), 2)}×`,
    ]),
  );
} catch (err) {
  console.error(err);
  exitCode = 1;
} finally {
  await stop.run();
}
// Node's own CPU time, for the record: it bounds what the load generator could take from the app.
log(`done; this process used ${fixed((processCpuMs(process.pid) ?? 0) / 1000, 1)} s of CPU in all`);
process.exit(exitCode);
