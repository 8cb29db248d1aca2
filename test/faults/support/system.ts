/**
 * The whole Yanbao system as separate processes the fault suite can kill:
 * a private PostgreSQL cluster, the Temporal dev server (state in a SQLite
 * file, so a restart on the same port keeps every workflow), the worker
 * (`node src/worker.ts`) and the web server (`node src/server.ts`, which runs
 * the sandbox gateway's callback deliverer), all configured through the
 * environment like `scripts/start` does. Everything lives in one scratch
 * folder that `stop()` removes — as do Ctrl-C, SIGTERM and the process's exit
 * (see src/cluster/processes.ts).
 */

import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { type BenchPlan, publishBenchPlan } from '../../../bench/support.ts';
import { buildApp } from '../../../src/app.ts';
import {
  createRunDir,
  type ExitRecord,
  pollUntil,
  Service,
  sweepAbandonedRuns,
  unprivilegedUser,
} from '../../../src/cluster/processes.ts';
import { type AppConfig, loadConfig, payloadKeysFromEnv } from '../../../src/config.ts';
import { ensureDatabase } from '../../../src/db/database.ts';
import { openOrm } from '../../../src/db/orm.config.ts';
import { migrateAndSeed } from '../../../src/db/prepare.ts';
import { createNotifier, logSink } from '../../../src/notifications/notifier.ts';
import { createPaymentProviders } from '../../../src/payments/index.ts';
import { yanbaoDataConverter } from '../../../src/temporal/payload-codec.ts';
import { ensureSearchAttributes } from '../../../src/temporal/search-attributes.ts';
import { WORKFLOWS_PATH } from '../../../src/temporal/worker-factory.ts';
import { createPrivatePostgres, type PrivatePostgres } from './postgres.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DATABASE = 'yanbao';
const TASK_QUEUE = 'yanbao';

export interface FaultSystemOptions {
  /** How long a pending order waits for its payment (PAYMENT_TIMEOUT); long enough that no fault expires one. */
  paymentTimeout?: string;
  /**
   * Bundle the workflow code once and hand it to every worker start
   * (WORKER_WORKFLOW_BUNDLE), as a deployment would; otherwise each restart bundles again.
   */
  prebuiltBundle?: boolean;
  /** Extra environment for the worker process (WORKER_MAX_CONCURRENT_ACTIVITIES…). */
  workerEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface FaultSystem {
  dir: string;
  postgres: PrivatePostgres;
  temporal: Service;
  worker: Service;
  web: Service;
  /** The web server's origin, e.g. http://127.0.0.1:41234 */
  webUrl: string;
  databaseUrl: string;
  temporalAddress: string;
  /** This process's Temporal client (reconnects by itself after a dev server restart). */
  client: Client;
  /** The configuration the processes run with (as this process reads it). */
  config: AppConfig;
  /** Whether workers start from a prebuilt bundle. */
  prebuiltBundle: boolean;
  /** Exits of any process we did not cause, in order. */
  crashes: { service: string; record: ExitRecord }[];
  /** Signs a manufacturer up and publishes a plan through the real API and plan-creation workflow. */
  publishPlan(): Promise<BenchPlan>;
  /** Copies every process's log to test/.artifacts/<name>-<time>/ (the scratch folder goes away); returns that folder. */
  keepLogs(name: string): Promise<string>;
  /** Stops every process and removes the scratch folder. Idempotent. */
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

export async function startFaultSystem(options: FaultSystemOptions = {}): Promise<FaultSystem> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[faults] ${line}\n`));
  const temporalCli = process.env.TEMPORAL_CLI_PATH;
  if (!temporalCli)
    throw new Error('TEMPORAL_CLI_PATH is not set (the Temporal CLI binary; see scripts/setup.sh)');
  sweepAbandonedRuns(log);
  const runAs = unprivilegedUser();
  const run = createRunDir(runAs);
  const { dir } = run;
  const services: Service[] = [];
  let connection: Connection | null = null;
  const stop = async () => {
    await connection?.close().catch(() => {});
    connection = null;
    // Web first (no new work), then the worker, Temporal and the database.
    for (const service of [...services].reverse()) await service.stop().catch(() => {});
    run.remove();
  };

  try {
    const [pgPort, temporalPort, webPort] = [await freePort(), await freePort(), await freePort()];
    log(`scratch folder ${dir}${runAs ? `; PostgreSQL runs as ${runAs.user}` : ''}`);

    const postgres = await createPrivatePostgres({ dir, port: pgPort, runAs });
    services.push(postgres.service);
    await postgres.service.start();
    const databaseUrl = postgres.url(DATABASE);
    await ensureDatabase(databaseUrl);
    const migrator = await openOrm(databaseUrl, { pool: { min: 0, max: 1 } });
    try {
      await migrateAndSeed(migrator);
    } finally {
      await migrator.close();
    }
    log(`PostgreSQL (${postgres.version}) on port ${pgPort}: migrated and seeded`);

    const temporalAddress = `127.0.0.1:${temporalPort}`;
    const temporal = new Service({
      name: 'temporal',
      command: temporalCli,
      args: [
        'server',
        'start-dev',
        '--db-filename',
        path.join(dir, 'temporal.sqlite'),
        '--ip',
        '127.0.0.1',
        '--port',
        String(temporalPort),
        '--headless',
        '--namespace',
        'default',
        '--log-level',
        'warn',
      ],
      cwd: dir,
      dir,
      stopSignal: 'SIGTERM',
      ready: (self) =>
        pollUntil(async () => {
          const probe = await Connection.connect({ address: temporalAddress, connectTimeout: 1000 });
          try {
            await probe.workflowService.getSystemInfo({});
          } finally {
            await probe.close();
          }
        }, self),
    });
    services.push(temporal);
    await temporal.start();
    connection = await Connection.connect({ address: temporalAddress });
    await ensureSearchAttributes(connection, 'default');
    // The worker and web processes read the same environment, hence the same payload keys.
    const client = new Client({
      connection,
      namespace: 'default',
      dataConverter: yanbaoDataConverter(payloadKeysFromEnv('test')),
    });
    log(`Temporal dev server on ${temporalAddress} (state in temporal.sqlite)`);

    const prebuiltBundle = options.prebuiltBundle ?? true;
    const bundleEnv: Record<string, string> = {};
    if (prebuiltBundle) {
      const bundlePath = path.join(dir, 'workflow-bundle.js');
      const { code } = await bundleWorkflowCode({
        workflowsPath: WORKFLOWS_PATH,
        logger: new DefaultLogger('WARN'),
      });
      await writeFile(bundlePath, code);
      bundleEnv.WORKER_WORKFLOW_BUNDLE = bundlePath;
    }

    const webUrl = `http://127.0.0.1:${webPort}`;
    const env: Record<string, string> = {
      // Not production: the sandbox's control API (pay without a browser) stays available.
      NODE_ENV: 'test',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PUBLIC_BASE_URL: webUrl,
      PAYMENT_TIMEOUT: options.paymentTimeout ?? '30 minutes',
    };
    const worker = new Service({
      name: 'worker',
      command: process.execPath,
      args: ['src/worker.ts'],
      env: { ...env, ...bundleEnv, ...options.workerEnv },
      cwd: ROOT,
      dir,
      stopSignal: 'SIGTERM',
      ready: (self) => self.waitForOutput(/worker polling task queue/),
    });
    services.push(worker);
    await worker.start();
    log(`worker polling (${prebuiltBundle ? 'prebuilt workflow bundle' : 'bundles on every start'})`);

    const web = new Service({
      name: 'web',
      command: process.execPath,
      args: ['src/server.ts'],
      env: { ...env, HOST: '127.0.0.1', PORT: String(webPort), LOG_LEVEL: 'warn' },
      cwd: ROOT,
      dir,
      stopSignal: 'SIGTERM',
      ready: (self) =>
        pollUntil(async () => {
          const response = await fetch(`${webUrl}/lookup`, { signal: AbortSignal.timeout(2000) });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
        }, self),
    });
    services.push(web);
    await web.start();
    log(`web server on ${webUrl}`);

    const crashes: FaultSystem['crashes'] = [];
    for (const service of services)
      service.onUnexpectedExit((record) => {
        crashes.push({ service: service.spec.name, record });
        log(
          `${service.spec.name} exited on its own (code ${record.code}, signal ${record.signal}); see ${service.logPath}`,
        );
      });

    // The config the processes read from the same environment (for the in-process API session below).
    const base = loadConfig();
    const config: AppConfig = {
      ...base,
      env: 'test',
      databaseUrl,
      publicBaseUrl: webUrl,
      temporal: { ...base.temporal, address: temporalAddress, namespace: 'default', taskQueue: TASK_QUEUE },
    };

    return {
      dir,
      postgres,
      temporal,
      worker,
      web,
      webUrl,
      databaseUrl,
      temporalAddress,
      client,
      config,
      prebuiltBundle,
      crashes,
      async publishPlan() {
        // The manufacturer's side is set up through the same API code in this process (publishBenchPlan
        // drives an app by inject); the plan-creation workflow runs on the worker process.
        const orm = await openOrm(databaseUrl, { pool: { min: 0, max: 2 } });
        const app = await buildApp(
          {
            config,
            orm,
            temporal: client,
            payments: createPaymentProviders({ orm, config }),
            notifications: createNotifier(
              logSink(() => {}),
              config,
            ),
          },
          { logger: false },
        );
        try {
          return await publishBenchPlan({ app, client });
        } finally {
          await app.close();
          await orm.close();
        }
      },
      async keepLogs(name) {
        const target = path.join(
          ROOT,
          'test/.artifacts',
          `${name}-${new Date().toISOString().replaceAll(':', '-')}`,
        );
        await mkdir(target, { recursive: true });
        for (const service of services)
          await copyFile(service.logPath, path.join(target, path.basename(service.logPath))).catch(() => {});
        return target;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
