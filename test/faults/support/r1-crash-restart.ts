/**
 * R1 (issue 5): purchases keep coming over real HTTP while the worker is
 * killed with SIGKILL and restarted, the Temporal dev server is stopped and
 * started again, and PostgreSQL is shut down (immediate: crash recovery on
 * start) and started again. Afterwards every purchase must have completed
 * exactly once: N/N orders active, no unit with two orders, no captured
 * payment without its order, one confirmation and certificate per order,
 * every workflow's result `completed`, and the reconciliation clean.
 *
 * The faults are spread over the load (at 1/4, 2/4 and 3/4 of the purchases
 * started), one after the other: the next comes only once orders are being
 * activated again after the previous one. Used by the long run
 * (bench/faults/r1-crash-restart.ts) and the short test
 * (test/faults/r1-crash-restart.test.ts).
 */
import { randomUUID } from 'node:crypto';
import proto from '@temporalio/proto';
import pg from 'pg';
import { fixed, machineFacts, percentile, printFacts, printTable } from '../../../bench/measure.ts';
import type { BenchPlan } from '../../../bench/support.ts';
import { openOrm } from '../../../src/db/orm.config.ts';
import { chinaDate } from '../../../src/domain/coverage.ts';
import { purchaseWorkflowId } from '../../../src/domain/order-links.ts';
import { reconciliationSummary } from '../../../src/services/reconciliation.ts';
import type { PurchaseStatus } from '../../../workflows/purchase.messages.ts';
import { type AttemptFailure, Phone, retryUntil } from './phones.ts';
import type { FaultSystem } from './system.ts';

export const FAULT_KINDS = ['worker', 'temporal', 'postgres'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface R1Options {
  purchases: number;
  /** Phones buying at the same time. */
  concurrency: number;
  /** Seconds a stopped service stays down before it is started again. */
  downSeconds: number;
  /** PostgreSQL's shutdown: immediate (like a crash; WAL recovery on start) or fast. */
  postgresMode: 'fast' | 'immediate';
  /** How the Temporal dev server is stopped. */
  temporalSignal: 'SIGTERM' | 'SIGKILL';
  /** A phone gives up on one request after this long and sends it again. */
  requestTimeoutMs: number;
  /** How long, after the last fault, every purchase may take to complete. */
  settleTimeoutMs: number;
  log?: (line: string) => void;
}

export interface FaultRecord {
  kind: FaultKind;
  what: string;
  /** ms since the load started. */
  at: number;
  /** Purchases started / paid by phones and orders active when the fault hit. */
  started: number;
  paid: number;
  active: number;
  /** ms from the fault until the service had exited. */
  stoppedMs: number;
  /** ms from the fault until the restarted service was ready again. */
  readyMs: number;
  /** ms from the fault until the next order became active after the restart; null if none was left. */
  flowingMs: number | null;
}

export interface Check {
  name: string;
  expected: string;
  actual: string;
  /** For a failed check: the rows behind it (a few), to start looking from. */
  detail?: string;
  ok: boolean;
}

export interface R1Result {
  options: R1Options;
  plan: string;
  /** Load start → last phone done; → every workflow completed. */
  loadMs: number;
  settledMs: number;
  faults: FaultRecord[];
  /** Failed attempts per stage and reason (what phones saw and retried). */
  attemptFailures: Map<string, number>;
  requests: { register: number; pay: number };
  /** Answers 500 and above the phones got, by status ("503", "500"…; a 503 without Retry-After apart). */
  serverErrors: Map<string, number>;
  phoneMs: number[];
  /** Phone's start → order recorded active (paid_at). */
  activeMs: number[];
  histories: {
    retriedActivities: Map<string, number>;
    workflowTaskProblems: number;
    extraCaptureSignals: number;
    callbacksRetried: number;
    /** Purchase runs beyond one per order, by what started them (a capture delivered again after the first run finished). */
    extraRuns: Map<string, number>;
  };
  checks: Check[];
  ok: boolean;
}

interface Purchase {
  index: number;
  serialNumber: string;
  idempotencyKey: string;
  startedAt: number;
  orderNumber?: string;
  paidAt?: number;
  error?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const EventType = proto.temporal.api.enums.v1.EventType;
/** The registration endpoint allows 30 per minute per address; retries count too. */
const PURCHASES_PER_PHONE = 10;

/** Orders of the plan that are active, sampled every 250 ms; PostgreSQL being down only leaves gaps. */
class ActivationMonitor {
  readonly samples: { at: number; active: number }[] = [];
  private readonly pool: pg.Pool;
  private readonly planId: string;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  constructor(databaseUrl: string, planId: string) {
    this.planId = planId;
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: 1000 });
    // An idle connection that PostgreSQL's shutdown ends is reported here; the next sample reconnects.
    this.pool.on('error', () => {});
  }
  start() {
    const tick = async () => {
      try {
        const { rows } = await this.pool.query(
          `select count(*)::int as active from purchase_order where plan_id = $1 and status = 'active'`,
          [this.planId],
        );
        this.samples.push({ at: Date.now(), active: rows[0].active });
      } catch {
        // Down right now.
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), 250);
    };
    void tick();
  }
  get latest(): number {
    return this.samples.at(-1)?.active ?? 0;
  }
  /** When the active count first grew after `after` (null when nothing was left to activate by `deadline`). */
  async nextIncrease(after: number, total: number, deadline: number): Promise<number | null> {
    let baseline: number | null = null;
    for (let seen = this.samples.length; Date.now() < deadline; await sleep(100)) {
      for (; seen < this.samples.length; seen++) {
        const sample = this.samples[seen] as { at: number; active: number };
        if (sample.at < after) continue;
        if (baseline === null) baseline = sample.active;
        else if (sample.active > baseline) return sample.at;
        if (sample.active >= total) return null;
      }
    }
    return null;
  }
  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.pool.end();
  }
}

export async function runR1(system: FaultSystem, plan: BenchPlan, options: R1Options): Promise<R1Result> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[r1] ${line}\n`));
  const N = options.purchases;
  const phones = Array.from(
    { length: Math.ceil(N / PURCHASES_PER_PHONE) },
    (_, i) => new Phone(system.webUrl, i),
  );
  const attemptFailures = new Map<string, number>();
  const requests = { register: 0, pay: 0 };
  const serverErrors = new Map<string, number>();
  /** Sends one request of a stage, counting it and any 5xx answer. */
  const send = (stage: keyof typeof requests, phone: Phone, path: string, body?: unknown) => async () => {
    requests[stage]++;
    const answer = await phone.post(path, body, options.requestTimeoutMs);
    if (answer.status >= 500) {
      const key = `${answer.status}${answer.status === 503 && !answer.retryAfter ? ' without Retry-After' : ''}`;
      serverErrors.set(key, (serverErrors.get(key) ?? 0) + 1);
    }
    return answer;
  };
  const count = (stage: string) => (failure: AttemptFailure) =>
    attemptFailures.set(`${stage}: ${failure}`, (attemptFailures.get(`${stage}: ${failure}`) ?? 0) + 1);
  const serialBase = 1_000_000_000 + Math.floor(Math.random() * 8_000_000_000);
  const purchaseDate = chinaDate(new Date(Date.now() - 10 * 86_400_000));
  const purchases: Purchase[] = [];
  const monitor = new ActivationMonitor(system.databaseUrl, plan.planId);
  monitor.start();
  const loadStart = Date.now();
  // Phones stop retrying long after the faults are over; a phone still failing then is a finding.
  const phoneDeadline = loadStart + options.settleTimeoutMs * 2;
  // A process that dies by itself is a finding: stop at once rather than retry into the void.
  const abandon = () =>
    system.crashes.length ? `${system.crashes.map((c) => c.service).join(', ')} exited on its own` : null;

  const buy = async (index: number) => {
    const purchase: Purchase = {
      index,
      serialNumber: `XH${serialBase + index}`,
      idempotencyKey: randomUUID().replaceAll('-', ''),
      startedAt: Date.now(),
    };
    purchases.push(purchase);
    const phone = phones[Math.floor(index / PURCHASES_PER_PHONE)] as Phone;
    const body = {
      planCode: plan.code,
      consumerName: '张三',
      consumerPhone: '13912345678',
      serialNumber: purchase.serialNumber,
      productPurchaseDate: purchaseDate,
      paymentProvider: 'sandbox',
      idempotencyKey: purchase.idempotencyKey,
    };
    try {
      const registered = await retryUntil(send('register', phone, '/api/v1/public/orders', body), 201, {
        deadline: phoneDeadline,
        failed: count('register'),
        abandon,
      });
      const { orderNumber, payUrl } = registered.json as { orderNumber: string; payUrl: string };
      purchase.orderNumber = orderNumber;
      const paymentId = payUrl.split('/').pop() as string;
      await retryUntil(send('pay', phone, `/sandbox/payments/${paymentId}/pay`), 200, {
        deadline: phoneDeadline,
        failed: count('pay'),
        abandon,
      });
      purchase.paidAt = Date.now();
    } catch (err) {
      purchase.error = err instanceof Error ? err.message : String(err);
      log(`purchase #${index} failed: ${purchase.error}`);
    }
  };

  let next = 0;
  const load = Promise.all(
    Array.from({ length: Math.min(options.concurrency, N) }, async () => {
      while (next < N && !abandon()) await buy(next++);
    }),
  ).then(() => Date.now());
  const paid = () => purchases.filter((p) => p.paidAt !== undefined).length;
  let loadDone = false;
  void load.then(() => {
    loadDone = true;
  });

  const faults: FaultRecord[] = [];
  const inject = async (kind: FaultKind): Promise<FaultRecord> => {
    const at = Date.now();
    const snapshot = { started: purchases.length, paid: paid(), active: monitor.latest };
    let what: string;
    let restart: () => Promise<void>;
    if (kind === 'worker') {
      what = 'worker killed (SIGKILL), started again';
      await system.worker.stop('SIGKILL');
      restart = () => system.worker.start();
    } else if (kind === 'temporal') {
      what = `Temporal dev server stopped (${options.temporalSignal}), started again on its SQLite file`;
      await system.temporal.stop(options.temporalSignal);
      restart = () => system.temporal.start();
    } else {
      what = `PostgreSQL stopped (${options.postgresMode}), started again`;
      await system.postgres.stop(options.postgresMode);
      restart = () => system.postgres.service.start();
    }
    const stoppedMs = Date.now() - at;
    log(`${kind}: down after ${stoppedMs} ms (${snapshot.started} started, ${snapshot.active} active)`);
    await sleep(options.downSeconds * 1000);
    await restart();
    const readyMs = Date.now() - at;
    const flowing = await monitor.nextIncrease(at + readyMs, N, Date.now() + options.settleTimeoutMs);
    const record: FaultRecord = {
      kind,
      what,
      at: at - loadStart,
      ...snapshot,
      stoppedMs,
      readyMs,
      flowingMs: flowing === null ? null : flowing - at,
    };
    log(
      `${kind}: ready again after ${readyMs} ms; orders activated again after ${record.flowingMs ?? '–'} ms`,
    );
    return record;
  };

  try {
    for (const [i, kind] of FAULT_KINDS.entries()) {
      const threshold = Math.ceil((N * (i + 1)) / (FAULT_KINDS.length + 1));
      while (purchases.length < threshold && !loadDone && system.crashes.length === 0) await sleep(50);
      if (system.crashes.length > 0) break;
      faults.push(await inject(kind));
    }
    const loadEnd = await load;
    log(
      `phones done after ${fixed((loadEnd - loadStart) / 1000, 1)} s; waiting for every purchase to complete`,
    );

    // ——— settle: every order active, every capture the sandbox owes delivered, no purchase run still going ———
    // (A callback whose answer was lost in a fault is sent again once its lease ends, up to 30 s later;
    // if its signal had already reached the workflow, it starts a new run that finds the order recorded.)
    const settleDeadline = Date.now() + options.settleTimeoutMs;
    const registered = purchases.filter((p) => p.orderNumber !== undefined);
    const settling = new pg.Pool({ connectionString: system.databaseUrl, max: 1 });
    settling.on('error', () => {});
    let pending = { active: 0, undelivered: 0, running: 0 };
    try {
      for (; !abandon() && Date.now() < settleDeadline; await sleep(1000)) {
        try {
          const { rows } = await settling.query(
            `select (select count(*)::int from purchase_order where plan_id = $1 and status = 'active') as active,
                    (select count(*)::int from sandbox_callback c join sandbox_payment s on s.id = c.sandbox_payment_id
                      join purchase_order o on o.order_number = s.order_number
                      where o.plan_id = $1 and c.event_id like 'captured-%' and c.delivered_at is null) as undelivered`,
            [plan.planId],
          );
          const { count: running } = await system.client.workflow.count(
            `WorkflowType = 'PurchaseWorkflow' AND ExecutionStatus = 'Running'`,
          );
          pending = { ...rows[0], running };
          if (pending.active === registered.length && pending.undelivered === 0 && running === 0) break;
        } catch {
          // A service still coming back: ask again.
        }
      }
    } finally {
      await settling.end();
    }
    const settledAt = Date.now();
    log(
      `settled after ${fixed((settledAt - loadEnd) / 1000, 1)} s more: ${pending.active} active, ` +
        `${pending.undelivered} captures undelivered, ${pending.running} purchase runs running`,
    );

    // ——— every workflow's result ———
    // Waiting ends at the deadline, or at once when a process died by itself.
    let giveUpTimer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<string>((resolve) => {
      const poll = () => {
        const reason = abandon() ?? (Date.now() > settleDeadline ? 'settle timeout' : null);
        if (reason) resolve(reason);
        else giveUpTimer = setTimeout(poll, 500);
      };
      poll();
    });
    const results = new Map<string, string>();
    await inBatches(registered, 20, async (purchase) => {
      const handle = system.client.workflow.getHandle(purchaseWorkflowId(purchase.orderNumber as string));
      for (;;) {
        try {
          const outcome = await Promise.race([handle.result() as Promise<PurchaseStatus>, giveUp]);
          results.set(
            purchase.orderNumber as string,
            typeof outcome === 'string' ? `not finished (${outcome})` : outcome.stage,
          );
          return;
        } catch {
          // The dev server's restart can still be settling: ask again.
          if (abandon() || Date.now() > settleDeadline) return;
          await sleep(1000);
        }
      }
    });
    clearTimeout(giveUpTimer);
    const { count: unfinishedRuns } = await system.client.workflow.count(
      `WorkflowType = 'PurchaseWorkflow' AND ExecutionStatus != 'Completed'`,
    );
    // Runs beyond the first per order, and what started each (its first events after the start).
    const runsById = new Map<string, { runId: string; startedAt: number }[]>();
    for await (const run of system.client.workflow.list({ query: `WorkflowType = 'PurchaseWorkflow'` }))
      runsById.set(run.workflowId, [
        ...(runsById.get(run.workflowId) ?? []),
        { runId: run.runId, startedAt: run.startTime.getTime() },
      ]);
    const extraRuns = new Map<string, number>();
    for (const [workflowId, runs] of runsById)
      for (const run of runs.sort((a, b) => a.startedAt - b.startedAt).slice(1)) {
        const history = await system.client.workflow.getHandle(workflowId, run.runId).fetchHistory();
        const opener = (history.events ?? [])
          .slice(1, 2)
          .map((e) => EventType[e.eventType ?? 0]?.replace(/^EVENT_TYPE_/, '').toLowerCase() ?? '?')
          .join(', ');
        const reason = opener === 'workflow_execution_signaled' ? 'a capture delivered again' : opener;
        extraRuns.set(reason, (extraRuns.get(reason) ?? 0) + 1);
      }

    // ——— what the histories say about the faults ———
    const retriedActivities = new Map<string, number>();
    /** Per order: the activities its workflow had to retry. */
    const retriedIn = new Map<string, string[]>();
    let workflowTaskProblems = 0;
    let extraCaptureSignals = 0;
    await inBatches(registered, 10, async (purchase) => {
      const orderNumber = purchase.orderNumber as string;
      const history = await system.client.workflow.getHandle(purchaseWorkflowId(orderNumber)).fetchHistory();
      const names = new Map<string, string>();
      let signals = 0;
      for (const event of history.events ?? []) {
        switch (event.eventType) {
          case EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED: {
            const name = event.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
            names.set(String(event.eventId), name);
            break;
          }
          case EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED: {
            const attrs = event.activityTaskStartedEventAttributes;
            if ((attrs?.attempt ?? 1) > 1) {
              const name = names.get(String(attrs?.scheduledEventId)) ?? '?';
              retriedActivities.set(name, (retriedActivities.get(name) ?? 0) + 1);
              retriedIn.set(orderNumber, [...(retriedIn.get(orderNumber) ?? []), name]);
            }
            break;
          }
          case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT:
          case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED:
            workflowTaskProblems++;
            break;
          case EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED:
            signals++;
            break;
        }
      }
      extraCaptureSignals += Math.max(0, signals - 1);
    });

    // ——— the database and the reconciliation ———
    const checks: Check[] = [];
    const check = (name: string, expected: number | string, actual: number | string, detail?: string) =>
      checks.push({
        name,
        expected: String(expected),
        actual: String(actual),
        ok: expected === actual,
        ...(expected === actual || !detail ? {} : { detail }),
      });
    /** A few orders behind a failed check, with the activities their workflows retried. */
    const describeOrders = (orderNumbers: string[]) =>
      orderNumbers
        .slice(0, 5)
        .map((n) => `${n} (retried: ${retriedIn.get(n)?.join(', ') ?? 'nothing'})`)
        .join('; ');
    const phoneOrders = new Set(registered.map((p) => p.orderNumber as string));
    const db = new pg.Client({ connectionString: system.databaseUrl });
    // Nothing restarts PostgreSQL now; if it went away anyway, the queries below fail and say so.
    db.on('error', () => {});
    await db.connect();
    const orm = await openOrm(system.databaseUrl, { pool: { min: 0, max: 1 } });
    let callbacksRetried = 0;
    const paidAt = new Map<string, number>();
    try {
      const scalar = async (sql: string, params: unknown[] = [plan.planId]) =>
        Number(Object.values((await db.query(sql, params)).rows[0] ?? { n: 0 })[0]);
      const orders = (
        await db.query<{ order_number: string; status: string; paid_at: Date | null }>(
          'select order_number, status::text, paid_at from purchase_order where plan_id = $1',
          [plan.planId],
        )
      ).rows;
      for (const o of orders) if (o.paid_at) paidAt.set(o.order_number, o.paid_at.getTime());
      const byNumber = new Map(orders.map((o) => [o.order_number, o.status]));
      check('purchases the phones completed (registered and paid)', N, paid());
      check(
        'purchase workflows whose result is `completed`',
        registered.length,
        [...results.values()].filter((stage) => stage === 'completed').length,
      );
      check('orders of the plan', N, orders.length);
      check('orders active', N, orders.filter((o) => o.status === 'active').length);
      const lost = [...phoneOrders].filter((n) => byNumber.get(n) !== 'active');
      check(
        'lost: order numbers the phones got without an active order',
        0,
        lost.length,
        describeOrders(lost),
      );
      check('orders no phone asked for', 0, orders.filter((o) => !phoneOrders.has(o.order_number)).length);
      check(
        'duplicates: units with more than one order',
        0,
        await scalar(
          'select count(*) from (select serial_number from purchase_order where plan_id = $1 group by serial_number having count(*) > 1) d',
        ),
      );
      check(
        'orders without exactly one captured payment',
        0,
        await scalar(`select count(*) from purchase_order o where o.plan_id = $1 and (
            select count(*) from payment p where p.order_id = o.id and (p.captured_at is not null or p.status in ('captured', 'refunded'))) <> 1`),
      );
      check(
        'captured notifications stored (payment_event), one per order',
        N,
        await scalar(
          `select count(distinct e.provider_event_id) from payment_event e join purchase_order o on o.order_number = e.order_number
            where o.plan_id = $1 and e.kind = 'captured'`,
        ),
      );
      check(
        'sandbox captures paid but never delivered to the app',
        0,
        await scalar(
          `select count(*) from sandbox_callback c join sandbox_payment s on s.id = c.sandbox_payment_id
            join purchase_order o on o.order_number = s.order_number
            where o.plan_id = $1 and c.event_id like 'captured-%' and c.delivered_at is null`,
        ),
      );
      callbacksRetried = await scalar(
        `select count(*) from sandbox_callback c join sandbox_payment s on s.id = c.sandbox_payment_id
          join purchase_order o on o.order_number = s.order_number where o.plan_id = $1 and c.attempts > 1`,
      );
      const unconfirmed = (
        await db.query<{ order_number: string }>(
          `select o.order_number from purchase_order o where o.plan_id = $1 and (
            select count(*) from notification n where n.dedupe_key = 'order-confirmation:' || o.order_number) <> 1`,
          [plan.planId],
        )
      ).rows.map((r) => r.order_number);
      check('confirmations: orders without exactly one', 0, unconfirmed.length, describeOrders(unconfirmed));
      const summary = await reconciliationSummary(orm.em.fork(), {});
      const result = (name: string) =>
        summary.byResult.filter((r) => r.result === name).reduce((sum, r) => sum + r.count, 0);
      check('reconciliation: captured payments without an order', 0, result('captured_without_order'));
      check('reconciliation: duplicate captures', 0, result('duplicate_capture'));
      check('reconciliation: payments matched to their order', N, result('matched'));
      check('reconciliation: refunds', 0, summary.refunds);
      check('reconciliation: flagged rows', 0, summary.flagged);
    } finally {
      await db.end();
      await orm.close();
    }
    check('purchase workflow runs (every run) not completed', 0, unfinishedRuns);
    check(
      'faults that hit while purchases were in flight',
      FAULT_KINDS.length,
      faults.filter((f) => f.active < N).length,
    );
    // An outage answers 503 with Retry-After, which the phones retry; a 500 is an error a person would see.
    check('HTTP 500 answers to the phones (5xx counted by status)', 0, serverErrors.get('500') ?? 0);
    check('HTTP 503 answers without Retry-After', 0, serverErrors.get('503 without Retry-After') ?? 0);
    check(
      'processes that exited on their own',
      'none',
      system.crashes.length ? system.crashes.map((c) => c.service).join(', ') : 'none',
    );

    return {
      options,
      plan: plan.code,
      loadMs: loadEnd - loadStart,
      settledMs: settledAt - loadStart,
      faults,
      attemptFailures,
      requests,
      serverErrors,
      phoneMs: purchases.filter((p) => p.paidAt).map((p) => (p.paidAt as number) - p.startedAt),
      activeMs: registered
        .filter((p) => paidAt.has(p.orderNumber as string))
        .map((p) => (paidAt.get(p.orderNumber as string) as number) - p.startedAt),
      histories: {
        retriedActivities,
        workflowTaskProblems,
        extraCaptureSignals,
        callbacksRetried,
        extraRuns,
      },
      checks,
      ok: checks.every((c) => c.ok),
    };
  } finally {
    await monitor.stop();
    for (const phone of phones) phone.close();
  }
}

async function inBatches<T>(items: T[], concurrency: number, job: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await job(items[next++] as T);
    }),
  );
}

const seconds = (ms: number | null) => (ms === null ? '–' : fixed(ms / 1000, 1));

/** The report: machine, setup, each fault with its recovery, what phones saw, the histories, the checks. */
export function printR1Report(result: R1Result, system: FaultSystem): void {
  const { options } = result;
  printFacts('Machine', machineFacts());
  printFacts('Setup', [
    ['purchases', `${options.purchases}, ${options.concurrency} phones at once, plan ${result.plan}`],
    [
      'processes',
      `PostgreSQL ${system.postgres.version.replace(/^postgres \(PostgreSQL\) /, '')} (private cluster), Temporal dev server (SQLite), worker, web server`,
    ],
    [
      'worker start',
      system.prebuiltBundle
        ? 'prebuilt workflow bundle (WORKER_WORKFLOW_BUNDLE)'
        : 'bundles workflows on every start',
    ],
    ['down time per fault', `${options.downSeconds} s`],
    [
      'phone request timeout',
      `${options.requestTimeoutMs / 1000} s, then the same request again (backoff 0.5 → 5 s)`,
    ],
  ]);

  console.log('\nFaults (times in s; "at" from the start of the load)');
  printTable(
    ['fault', 'at', 'started', 'paid', 'active', 'down after', 'ready after', 'orders flowing after'],
    result.faults.map((f) => [
      f.what,
      seconds(f.at),
      f.started,
      f.paid,
      f.active,
      seconds(f.stoppedMs),
      seconds(f.readyMs),
      seconds(f.flowingMs),
    ]),
  );

  console.log('\nLoad');
  printTable(
    ['measure', 'value'],
    [
      ['phones done (s)', seconds(result.loadMs)],
      ['settled: all active, all callbacks delivered, no run left (s)', seconds(result.settledMs)],
      ['register requests', result.requests.register],
      ['pay requests', result.requests.pay],
      ['5xx answers by status', mapLine(result.serverErrors)],
      ['phone: start → paid p50 / p99 / max (s)', phoneSpread(result.phoneMs)],
      ['start → order active p50 / p99 / max (s)', phoneSpread(result.activeMs)],
      ['activities retried (attempt > 1)', mapLine(result.histories.retriedActivities)],
      ['workflow tasks timed out or failed', result.histories.workflowTaskProblems],
      ['capture signals beyond the first (duplicates absorbed)', result.histories.extraCaptureSignals],
      ['sandbox callbacks that needed more than one attempt', result.histories.callbacksRetried],
      ['purchase runs beyond one per order, started by', mapLine(result.histories.extraRuns)],
    ],
  );
  console.log('\nFailed attempts the phones retried');
  printTable(
    ['stage: reason', 'attempts'],
    result.attemptFailures.size ? [...result.attemptFailures].sort((a, b) => b[1] - a[1]) : [['none', 0]],
  );

  console.log('\nChecks');
  printTable(
    ['check', 'expected', 'actual', ''],
    result.checks.map((c) => [c.name, c.expected, c.actual, c.ok ? 'ok' : 'FAILED']),
  );
  for (const failed of result.checks.filter((c) => !c.ok && c.detail))
    console.log(`  ${failed.name}: ${failed.detail}`);
  console.log(
    `\nR1 ${result.ok ? 'passed' : 'FAILED'}: ${result.checks.filter((c) => !c.ok).length} check(s) failed`,
  );
}

function phoneSpread(values: number[]): string {
  return [50, 99, 100].map((p) => seconds(percentile(values, p))).join(' / ');
}

function mapLine(map: Map<string, number>): string {
  const total = [...map.values()].reduce((a, b) => a + b, 0);
  return total === 0 ? '0' : `${total} (${[...map].map(([name, n]) => `${name} ${n}`).join(', ')})`;
}
