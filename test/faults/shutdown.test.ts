/**
 * Issue 11 §2 with the real processes (test/faults/support/system.ts): on SIGTERM the web server
 * (`node src/server.ts`) finishes the requests in progress, refuses new connections and exits 0; the
 * worker (`node src/worker.ts`) lets a running activity attempt finish and report its result; and with
 * the Temporal server stopped, the web server answers 503 with Retry-After within seconds.
 */
import { connect } from 'node:net';
import proto from '@temporalio/proto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchPlan } from '../../bench/support.ts';
import { orderNumberFor, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { registration } from '../helpers/purchase-fixtures.ts';
import { type FaultSystem, startFaultSystem } from './support/system.ts';

const EventType = proto.temporal.api.enums.v1.EventType;
const PendingActivityState = proto.temporal.api.enums.v1.PendingActivityState;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let system: FaultSystem;
let plan: BenchPlan;

beforeAll(async () => {
  system = await startFaultSystem({ log: () => {} });
  plan = await system.publishPlan();
});

afterAll(async () => {
  await system?.stop();
});

async function post(path: string, body?: Record<string, unknown>, form = false) {
  const response = await fetch(`${system.webUrl}${path}`, {
    method: 'POST',
    headers:
      body === undefined
        ? {}
        : { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    body:
      body === undefined
        ? undefined
        : form
          ? new URLSearchParams(body as Record<string, string>).toString()
          : JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** Registers until it answers 201 (the web server's Temporal client may still be reconnecting after a restart). */
async function registered(body: Record<string, unknown>): Promise<{ orderNumber: string; payUrl: string }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const answer = await post('/api/v1/public/orders', body).catch((err: unknown) => ({
      status: 0,
      text: String(err),
    }));
    if (answer.status === 201) return JSON.parse(answer.text);
    if (answer.status !== 0 && answer.status !== 503) throw new Error(`${answer.status}: ${answer.text}`);
    if (Date.now() > deadline) throw new Error(`still ${answer.status} after 60 s: ${answer.text}`);
    await sleep(500);
  }
}

/** A fresh TCP connection to the web server: null when it is accepted, the error when not. */
const newConnectionError = () =>
  new Promise<Error | null>((resolve) => {
    const socket = connect(Number(new URL(system.webUrl).port), '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('error', resolve);
  });

const workflowOf = (idempotencyKey: string) =>
  system.client.workflow.getHandle(
    purchaseWorkflowId(orderNumberFor(idempotencyKey, system.config.linkSecret)),
  );

async function until<T>(what: string, probe: () => Promise<T | null | undefined>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(100);
  }
}

describe('Temporal stopped', () => {
  it('the API answers 503 with Retry-After and the form comes back busy with what was typed, within seconds', async () => {
    await system.temporal.stop('SIGTERM');
    try {
      const timed = async <T>(run: () => Promise<T>) => {
        const started = Date.now();
        const answer = await run();
        return { ...answer, ms: Date.now() - started };
      };
      const api = await timed(() => post('/api/v1/public/orders', registration(plan.code)));
      const page = await timed(() =>
        post(`/w/${plan.code}`, registration(plan.code, { consumerName: '李四' }), true),
      );
      console.log(`[shutdown] Temporal stopped: API 503 after ${api.ms} ms, form page after ${page.ms} ms`);
      expect(api.status).toBe(503);
      expect(api.headers.get('retry-after')).toBe('5');
      expect(JSON.parse(api.text).error).toBe('service_unavailable');
      expect(page.status).toBe(503);
      expect(page.headers.get('retry-after')).toBe('5');
      expect(page.text).toContain('系统繁忙，请稍后再试');
      expect(page.text).toContain('value="李四"');
      // The SDK's default retries of UNAVAILABLE alone take about 20 s.
      expect(api.ms).toBeLessThan(10_000);
      expect(page.ms).toBeLessThan(10_000);
    } finally {
      await system.temporal.start();
    }
    // Back once the server is: a registration goes through again.
    await registered(registration(plan.code));
  });
});

describe('SIGTERM', () => {
  it('the web server finishes the request in progress, refuses new connections and exits 0', async () => {
    const workerPid = system.worker.pid;
    if (workerPid === null) throw new Error('the worker is not running');
    // A paused worker holds the registration inside its handler (waiting for the workflow's Update).
    process.kill(workerPid, 'SIGSTOP');
    let resumed = false;
    const resume = () => {
      if (!resumed) process.kill(workerPid, 'SIGCONT');
      resumed = true;
    };
    let stopped: Promise<void> | undefined;
    try {
      const body = registration(plan.code);
      const inFlight = post('/api/v1/public/orders', body);
      await until('the registration reached Temporal', () => workflowOf(body.idempotencyKey).describe());

      stopped = system.web.stop('SIGTERM');
      const signalledAt = Date.now();
      const refusal = await until('a new connection is refused', newConnectionError);
      expect((refusal as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
      expect(system.web.running).toBe(true);

      resume();
      const answer = await inFlight;
      expect(answer.status, answer.text).toBe(201);
      expect(JSON.parse(answer.text).orderNumber).toBe(
        orderNumberFor(body.idempotencyKey, system.config.linkSecret),
      );
      const answeredMs = Date.now() - signalledAt;
      await stopped;
      console.log(
        `[shutdown] web: SIGTERM → in-flight request answered after ${answeredMs} ms (worker paused until then), exited after ${Date.now() - signalledAt} ms`,
      );
      expect(system.web.exits.at(-1)).toMatchObject({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(20_000);
    } finally {
      resume();
      await stopped;
      if (!system.web.running) await system.web.start();
    }
  });

  it('the worker lets a running activity attempt finish and record its result, then exits 0', async () => {
    const body = registration(plan.code);
    const placed = await registered(body);
    const handle = workflowOf(body.idempotencyKey);
    // Holding the order's row lock keeps the attempt that records the payment running (it locks that row).
    const db = new pg.Client({ connectionString: system.databaseUrl });
    await db.connect();
    try {
      await db.query('begin');
      await db.query('select id from purchase_order where order_number = $1 for update', [
        placed.orderNumber,
      ]);
      const paid = await post(`/sandbox/payments/${placed.payUrl.split('/').pop()}/pay`);
      expect(paid.status, paid.text).toBe(200);
      await until('recordPaidOrder is running', async () => {
        const { raw } = await handle.describe();
        return raw.pendingActivities?.find(
          (a) =>
            a.activityType?.name === 'recordPaidOrder' &&
            a.state === PendingActivityState.PENDING_ACTIVITY_STATE_STARTED,
        );
      });

      const stopped = system.worker.stop('SIGTERM');
      const signalledAt = Date.now();
      await sleep(2_000);
      expect(system.worker.running).toBe(true); // still waiting for the attempt
      await db.query('rollback');
      await stopped;
      console.log(`[shutdown] worker: SIGTERM → exited ${Date.now() - signalledAt} ms (attempt held 2 s)`);
      expect(system.worker.exits.at(-1)).toMatchObject({ code: 0, signal: null });
      expect(Date.now() - signalledAt).toBeLessThan(25_000);
    } finally {
      await db.end();
    }

    const { rows } = await until('the order is active', async () => {
      const check = new pg.Client({ connectionString: system.databaseUrl });
      await check.connect();
      try {
        const result = await check.query<{ status: string }>(
          'select status from purchase_order where order_number = $1',
          [placed.orderNumber],
        );
        return result.rows[0]?.status === 'active' ? result : null;
      } finally {
        await check.end();
      }
    });
    expect(rows[0]?.status).toBe('active');
    // The one attempt completed and Temporal has its result: no timeout, no second attempt. (A result
    // lost with the worker would show as a timeout after the activity's 30 s start-to-close.)
    const outcomes = await until(
      'recordPaidOrder has an outcome in the history',
      async () => {
        const events = (await handle.fetchHistory()).events ?? [];
        const scheduled = events.find(
          (e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'recordPaidOrder',
        );
        const ofIt = events.filter((e) =>
          [
            e.activityTaskStartedEventAttributes?.scheduledEventId,
            e.activityTaskCompletedEventAttributes?.scheduledEventId,
            e.activityTaskFailedEventAttributes?.scheduledEventId,
            e.activityTaskTimedOutEventAttributes?.scheduledEventId,
          ].some((id) => id != null && Number(id) === Number(scheduled?.eventId)),
        );
        return ofIt.length >= 2
          ? ofIt.map((e) => ({
              type: EventType[e.eventType ?? 0],
              attempt: e.activityTaskStartedEventAttributes?.attempt,
            }))
          : null;
      },
      45_000,
    );
    expect(outcomes).toEqual([
      { type: 'EVENT_TYPE_ACTIVITY_TASK_STARTED', attempt: 1 },
      { type: 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', attempt: undefined },
    ]);
    await system.worker.start();
  });
});
