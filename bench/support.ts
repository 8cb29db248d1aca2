/**
 * Bootstrapping shared by the benchmark scripts in bench/: the real system on
 * this machine, started from scratch and torn down afterwards, with no vitest
 * (bench scripts run as plain `node bench/<script>.ts`).
 *
 * `startBenchSystem()` gives you:
 *  - a scratch database on the local PostgreSQL server, migrated and seeded
 *    (dropped by `stop()`);
 *  - a private Temporal dev server (the CLI binary at TEMPORAL_CLI_PATH, never
 *    a download) with Yanbao's search attributes registered;
 *  - a Yanbao worker on its own task queue (its workflow code bundled on start);
 *  - the Fastify app, optionally listening on localhost; its public base URL
 *    is then that address, so sandbox payment callbacks and browsers reach it
 *    like in production.
 *
 * `spawnWorkerProcesses(system, count)` runs the Yanbao worker as separate
 * processes (src/worker.ts, configured through the environment like
 * src/start.ts does), e.g. after `system.stopWorker()` for scaling runs.
 *
 * `publishBenchPlan(system)` signs a manufacturer up and publishes a phone plan
 * through the real API and plan-creation workflow, ready to be bought at
 * `/w/<code>`.
 *
 * Environment: TEMPORAL_CLI_PATH (required), BENCH_DATABASE_ADMIN_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
  type WorkerOptions,
} from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { type AppConfig, loadConfig } from '../src/config.ts';
import { ensureDatabase } from '../src/db/database.ts';
import { openOrm } from '../src/db/orm.config.ts';
import { migrateAndSeed } from '../src/db/prepare.ts';
import type { CoverageType } from '../src/domain/catalog.ts';
import { chinaDate } from '../src/domain/coverage.ts';
import type { MatchingResult } from '../src/domain/plan-draft.ts';
import { createNotifier, type OutgoingMessage } from '../src/notifications/notifier.ts';
import { createPaymentProviders } from '../src/payments/index.ts';
import type { PaymentProviders } from '../src/payments/provider.ts';
import { yanbaoDataConverter } from '../src/temporal/payload-codec.ts';
import { planDraftWorkflowId } from '../src/temporal/plan-creation.client.ts';
import { createYanbaoWorker } from '../src/temporal/worker-factory.ts';
import { ApiSession, signUp } from '../test/helpers/api-session.ts';
import type { PublishedPlan } from '../workflows/plan-creation.messages.ts';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes.ts';

export const ADMIN_DATABASE_URL =
  process.env.BENCH_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchSystemOptions {
  /** Serve real HTTP on localhost (browsers, autocannon, sandbox callbacks). Default false: `app.inject` only. */
  listen?: boolean;
  /** Applied last over the configuration read from the environment. */
  configOverrides?: Partial<AppConfig>;
  /** Extra options for the Yanbao worker (e.g. concurrency limits). */
  workerOptions?: Partial<WorkerOptions>;
  /** Progress lines while starting and stopping; default: stderr. Pass `() => {}` for silence. */
  log?: (line: string) => void;
}

export interface BenchSystem {
  app: FastifyInstance;
  config: AppConfig;
  /** Temporal client (the app's). */
  client: Client;
  orm: MikroORM;
  /** The Yanbao worker, already running on `config.temporal.taskQueue`. */
  worker: Worker;
  /** Stops the in-process worker (for runs with worker processes instead). Idempotent. */
  stopWorker(): Promise<void>;
  /** Base URL of the listening app (`http://localhost:<port>`), or null without `listen`. */
  url: string | null;
  /** The dev server's address, and a native connection to it for creating extra workers. */
  temporal: { address: string; nativeConnection: NativeConnection };
  payments: PaymentProviders;
  /** Every message the notifier delivered (kept in memory instead of logged). */
  delivered: OutgoingMessage[];
  /** Stops everything started here, in reverse order, and drops the scratch database. Idempotent. */
  stop(): Promise<void>;
}

const stderr = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** A port nobody listens on right now, so the public URL is known before the app is built. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The URL of database `name` on the benchmark's PostgreSQL server. */
export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops a scratch database, closing any connection still open to it. */
export async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
}

let runtimeInstalled = false;
/** Temporal's core logs every worker state change at INFO; benchmarks want warnings and errors only. */
function quietTemporal() {
  if (runtimeInstalled) return;
  runtimeInstalled = true;
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // Already installed by the caller: keep theirs.
  }
}

export async function startBenchSystem(options: BenchSystemOptions = {}): Promise<BenchSystem> {
  const log = options.log ?? stderr;
  const temporalCli = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCli)
    throw new Error('TEMPORAL_CLI_PATH is not set (the Temporal CLI binary; see scripts/setup.sh)');
  quietTemporal();

  // Everything started so far, stopped in reverse order by stop() or when starting fails half-way.
  const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    for (const { what, run } of cleanups.reverse()) {
      try {
        await run();
      } catch (err) {
        log(`stopping ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  try {
    const tag = `${process.pid}_${randomBytes(4).toString('hex')}`;
    const dbName = `yanbao_bench_${tag}`;
    log(`database ${dbName}: create, migrate, seed`);
    await ensureDatabase(databaseUrl(dbName));
    cleanups.push({ what: 'database', run: () => dropDatabase(dbName) });
    const orm = await openOrm(databaseUrl(dbName));
    cleanups.push({ what: 'orm', run: () => orm.close() });
    await migrateAndSeed(orm);

    log('Temporal dev server: start');
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: temporalCli },
        ip: '127.0.0.1',
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
        log: { format: 'pretty', level: 'error' },
      },
    });
    cleanups.push({ what: 'Temporal dev server', run: () => env.teardown() });
    const address = env.address;

    const port = options.listen ? await freePort() : null;
    const url = port ? `http://localhost:${port}` : null;
    const base = loadConfig();
    const config: AppConfig = {
      ...base,
      // Not production: the sandbox's control API stays available; no HSTS on plain http.
      env: 'test',
      databaseUrl: databaseUrl(dbName),
      publicBaseUrl: url ?? 'https://yanbao.bench',
      temporal: { ...base.temporal, address, taskQueue: `bench-${tag}` },
      ...options.configOverrides,
    };

    const connection = await Connection.connect({ address });
    cleanups.push({ what: 'Temporal client connection', run: () => connection.close() });
    const client = new Client({
      connection,
      namespace: config.temporal.namespace,
      dataConverter: yanbaoDataConverter(config.payloadKeys),
    });
    const nativeConnection = await NativeConnection.connect({ address });
    cleanups.push({ what: 'Temporal worker connection', run: () => nativeConnection.close() });

    const delivered: OutgoingMessage[] = [];
    const notifications = createNotifier(
      {
        async send(message) {
          delivered.push(message);
          return { provider: 'log', providerMessageId: null };
        },
      },
      config,
    );
    const payments = createPaymentProviders({ orm, config });

    log('worker: bundle workflows and start');
    const worker = await createYanbaoWorker(nativeConnection, {
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      deps: { orm, config, payments, notifications },
      ...options.workerOptions,
    });
    const running = worker.run();
    const stopWorker = async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    };
    cleanups.push({ what: 'worker', run: stopWorker });

    const app = await buildApp({ config, orm, temporal: client, payments, notifications }, { logger: false });
    cleanups.push({ what: 'app', run: () => app.close() });
    await app.ready();
    if (port) await app.listen({ host: 'localhost', port });
    log(url ? `app listening on ${url}` : 'app ready (inject only)');

    return {
      app,
      config,
      client,
      orm,
      worker,
      stopWorker,
      url,
      temporal: { address, nativeConnection },
      payments,
      delivered,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

// ——— worker processes ———

const ROOT = new URL('..', import.meta.url);
export const WORKER_ENTRY = new URL('src/worker.ts', ROOT).pathname;

export interface WorkerProcesses {
  pids: number[];
  /** SIGTERM (a graceful worker shutdown) and wait for every process to exit. */
  stop(): Promise<void>;
}

/**
 * Starts `count` worker processes of `entry` (default src/worker.ts) for the
 * system's database, Temporal server, task queue and secrets, plus `env`
 * (WORKER_* options, DATABASE_POOL_MAX, WORKER_WORKFLOW_BUNDLE …), and resolves
 * once each says it is polling. Their output is kept back unless one fails.
 */
export async function spawnWorkerProcesses(
  system: Pick<BenchSystem, 'config'>,
  count: number,
  options: { env?: Record<string, string>; entry?: string; readyLine?: RegExp } = {},
): Promise<WorkerProcesses> {
  const { config } = system;
  const env = {
    ...process.env,
    NODE_ENV: config.env,
    DATABASE_URL: config.databaseUrl,
    PUBLIC_BASE_URL: config.publicBaseUrl,
    TEMPORAL_ADDRESS: config.temporal.address,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    LINK_SECRET: config.linkSecret,
    SANDBOX_SIGNING_SECRET: config.sandbox.signingSecret,
    ...options.env,
  };
  const readyLine = options.readyLine ?? /polling task queue/;
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(
      children.map((child) => {
        if (child.exitCode !== null || child.signalCode !== null) return null;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        return exited;
      }),
    );
  };
  try {
    await Promise.all(
      Array.from({ length: count }, (_, index) => {
        const child = spawn(process.execPath, [options.entry ?? WORKER_ENTRY], {
          cwd: ROOT.pathname,
          env,
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        let output = '';
        const keep = (chunk: Buffer) => {
          output = (output + chunk.toString()).slice(-4000);
        };
        child.stderr?.on('data', keep);
        return new Promise<void>((resolve, reject) => {
          const timer = setTimeout(
            () => reject(new Error(`worker process ${index + 1}: not ready in 60 s\n${output}`)),
            60_000,
          );
          child.stdout?.on('data', (chunk: Buffer) => {
            keep(chunk);
            if (readyLine.test(output)) {
              clearTimeout(timer);
              resolve();
            }
          });
          child.once('exit', (code, signal) => {
            clearTimeout(timer);
            reject(new Error(`worker process ${index + 1} exited (${code ?? signal})\n${output}`));
          });
        });
      }),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  for (const child of children) child.removeAllListeners('exit');
  return { pids: children.map((c) => c.pid as number), stop };
}

/** Stops the system on Ctrl-C / SIGTERM too, so no scratch database or dev server is left behind. */
export function stopOnSignals(system: Pick<BenchSystem, 'stop'>): void {
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`[bench] ${signal}: stopping\n`);
    void system.stop().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

// ——— a published plan to buy ———

/** The main product the benchmark plan covers (serial numbers XH + 10 digits). */
export const BENCH_PRODUCT = {
  brand: '星河',
  name: 'X5 智能手机',
  model: 'XH-X5-256',
  category: 'smartphone',
  retailPriceFen: 299_900,
  baseWarrantyMonths: 12,
  launchDate: chinaDate(new Date(Date.now() - 120 * 86_400_000)),
  serialPattern: '^XH[0-9]{10}$',
};

export const BENCH_DRAFT = {
  nameZh: '星河手机两年全面保障',
  nameEn: 'Xinghe Phone 2-Year Complete Care',
  termMonths: 24,
  coverageStartRule: { kind: 'after_base_warranty' },
  priceFen: 29_900,
  purchaseWindowDays: 90,
  coverageTypes: ['parts_labour', 'screen', 'battery'] as CoverageType[],
};

const REQUIRED_TERMS: CoverageType[] = ['exclusions', 'claim_procedure', 'cancellation_refund'];

export interface BenchPlan extends PublishedPlan {
  productId: string;
  manufacturerName: string;
  /** The manufacturer admin's logged-in API session (drafts its plans). */
  editor: ApiSession;
}

async function expectStatus(
  response: { statusCode: number; body: string },
  status: number,
  what: string,
): Promise<void> {
  if (response.statusCode !== status)
    throw new Error(`${what}: expected ${status}, got ${response.statusCode} ${response.body}`);
}

/**
 * A manufacturer with a published phone plan, through the real API and the
 * plan-creation workflow: sign up, add an approver, product, draft, pick the
 * best suggested clause per needed type, approve, wait for publication.
 */
export async function publishBenchPlan(
  system: Pick<BenchSystem, 'app' | 'client'>,
  draftOverrides: Record<string, unknown> = {},
): Promise<BenchPlan> {
  const { app, client } = system;
  const editor = await signUp(app, 'Bench');
  const manufacturerName = `Bench 电器有限公司`;

  const approverEmail = `approver-${randomBytes(4).toString('hex')}@bench.example`;
  const password = 'another long passphrase';
  await expectStatus(
    await editor.session.request('POST', '/api/v1/manufacturer/users', {
      displayName: 'Bench Approver',
      email: approverEmail,
      password,
      roles: ['approver'],
    }),
    201,
    'add approver',
  );
  const approver = new ApiSession(app);
  await expectStatus(await approver.login(approverEmail, password), 200, 'approver login');

  const product = await editor.session.request('POST', '/api/v1/products', BENCH_PRODUCT);
  await expectStatus(product, 201, 'create product');
  const productId = product.json().id as string;

  const draft = await editor.session.request('POST', '/api/v1/plan-drafts', {
    productId,
    ...BENCH_DRAFT,
    ...draftOverrides,
  });
  await expectStatus(draft, 201, 'create plan draft');
  const draftId = draft.json().id as string;

  // The workflow matches clauses, then waits for the editor's selection.
  const deadline = Date.now() + 60_000;
  let suggestions: MatchingResult | null = null;
  while (!suggestions) {
    const body = (await editor.session.request('GET', `/api/v1/plan-drafts/${draftId}`)).json();
    if (body.workflow?.stage === 'awaiting_selection') suggestions = body.suggestions as MatchingResult;
    else if (Date.now() > deadline) throw new Error(`plan draft stuck at stage ${body.workflow?.stage}`);
    else await new Promise((r) => setTimeout(r, 100));
  }
  const wanted = new Set<CoverageType>([
    ...((draftOverrides.coverageTypes as CoverageType[] | undefined) ?? BENCH_DRAFT.coverageTypes),
    ...REQUIRED_TERMS,
  ]);
  const clauseIds = [...wanted].map((type) => {
    const best = suggestions.clauses.find((c) => c.coverageType === type);
    if (!best) throw new Error(`no clause suggested for ${type}`);
    return best.clauseId;
  });
  await expectStatus(
    await editor.session.request('POST', `/api/v1/plan-drafts/${draftId}/selection`, { clauseIds }),
    200,
    'submit clause selection',
  );
  await expectStatus(
    await approver.request('POST', `/api/v1/plan-drafts/${draftId}/review`, { decision: 'approve' }),
    200,
    'approve',
  );
  const published = await client.workflow.getHandle(planDraftWorkflowId(draftId)).result();
  if (!published) throw new Error('the plan was not published');
  return { ...(published as PublishedPlan), productId, manufacturerName, editor: editor.session };
}
