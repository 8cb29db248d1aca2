/**
 * The worker as deployed (`node src/worker.ts` in its own process) with WORKER_METRICS_ADDRESS and
 * LOG_LEVEL=debug: after a real purchase registration it serves the SDK's `temporal_` metrics over
 * HTTP, and its JSON log lines carry the workflow id and order number; the web server's lines for the
 * same purchase carry the request id, order number and workflow id.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { STATS_ROLLUP_SCHEDULE_ID } from '../../src/services/statistics.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { publishedPlan, registration } from '../helpers/purchase-fixtures.ts';

type LogLine = Record<string, unknown>;

/** JSON lines written to a stream, parsed as they arrive. */
function lineCollector() {
  const lines: LogLine[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const parts = (partial + chunk.toString('utf8')).split('\n');
      partial = parts.pop() ?? '';
      for (const part of parts) if (part.trim().startsWith('{')) lines.push(JSON.parse(part) as LogLine);
      done();
    },
  });
  return { lines, stream };
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  server.close();
  await once(server, 'close');
  return address.port;
}

async function eventually<T>(
  probe: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe().catch(() => undefined);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

let h: Harness;
let worker: ChildProcess;
let web: FastifyInstance;
const workerLog = lineCollector();
const webLog = lineCollector();
const taskQueue = `telemetry-${process.pid}`;
let metricsAddress: string;

beforeAll(async () => {
  h = await startHarness();
  metricsAddress = `127.0.0.1:${await freePort()}`;
  worker = spawn(process.execPath, ['src/worker.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'debug',
      DATABASE_URL: h.db.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: taskQueue,
      WORKER_WORKFLOW_BUNDLE: inject('workflowBundlePath'),
      WORKER_METRICS_ADDRESS: metricsAddress,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  worker.stdout?.pipe(workerLog.stream);
  // The web process sending purchases to that worker's task queue, logging like src/server.ts.
  web = await buildApp(
    { ...h.app.deps, config: { ...h.config, temporal: { ...h.config.temporal, taskQueue } } },
    { logger: { level: 'info', stream: webLog.stream } },
  );
  await eventually(
    async () => workerLog.lines.find((line) => String(line.msg).startsWith('Worker state changed')),
    'the worker to start',
  );
});

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGTERM');
    await once(worker, 'exit');
  }
  await h?.client.schedule
    .getHandle(STATS_ROLLUP_SCHEDULE_ID)
    .delete()
    .catch(() => undefined);
  await web?.close();
  await h?.close();
});

describe('worker telemetry', () => {
  it('logs and metrics of a purchase registered through the web server and run by the worker process', async () => {
    const plan = await publishedPlan(h);
    const placed = await web.inject({
      method: 'POST',
      url: '/api/v1/public/orders',
      payload: registration(plan.code),
    });
    expect(placed.statusCode, placed.body).toBe(201);
    const { orderNumber, orderUrl } = placed.json() as { orderNumber: string; orderUrl: string };
    const workflowId = purchaseWorkflowId(orderNumber);
    const { pathname, search } = new URL(orderUrl);
    expect((await web.inject({ method: 'GET', url: `${pathname}${search}` })).statusCode).toBe(200);

    // Web: the registration's line names the request, the order and its workflow.
    const registered = webLog.lines.find((line) => line.msg === 'purchase registered');
    expect(registered).toMatchObject({ orderNumber, workflowId, reqId: expect.any(String) });
    const pageDone = webLog.lines.find((line) => line.msg === 'request completed' && line.orderNumber);
    expect(pageDone).toMatchObject({ orderNumber, reqId: expect.any(String) });

    // Worker: the registration activity's lines carry the workflow id and the order number.
    const activityLine = await eventually(
      async () =>
        workerLog.lines.find(
          (line) => line.activityType === 'registerPurchase' && line.msg === 'Activity completed',
        ),
      'the registerPurchase activity log line',
    );
    expect(activityLine).toMatchObject({ workflowId, orderNumber, taskQueue, sdkComponent: 'worker' });

    // Worker metrics: the SDK's exporter over HTTP, with task latencies, slots and the sticky cache.
    const metrics = await eventually(async () => {
      const text = await (await fetch(`http://${metricsAddress}/metrics`)).text();
      return text.includes('temporal_activity_execution_latency') ? text : undefined;
    }, 'the worker metrics');
    for (const name of [
      'temporal_workflow_task_execution_latency_bucket',
      'temporal_workflow_task_schedule_to_start_latency_bucket',
      'temporal_activity_execution_latency_bucket',
      'temporal_worker_task_slots_available',
      'temporal_sticky_cache_size',
    ])
      expect(metrics).toContain(name);
    expect(metrics).toMatch(
      new RegExp(
        `temporal_activity_execution_latency_count\\{[^}]*activity_type="registerPurchase"[^}]*task_queue="${taskQueue}"`,
      ),
    );
  });
});
