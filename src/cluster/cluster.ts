/**
 * The production topology on one machine, as scripts/cluster runs it and the topology test drives
 * it: the real Temporal server on PostgreSQL (history and SQL visibility), the deployment steps
 * every release runs (`node src/setup-temporal.ts`, `node src/migrate.ts`), two worker processes
 * and two web processes on one PostgreSQL database, all with NODE_ENV=production, and an HTTPS load
 * balancer on the public address in front of the web processes (PUBLIC_BASE_URL). A process that
 * dies on its own is started again, as an orchestrator's restart policy would.
 */
import { execFile } from 'node:child_process';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../temporal/worker-factory.ts';
import {
  type Certificate,
  type LoadBalancer,
  selfSignedCertificate,
  startLoadBalancer,
} from './load-balancer.ts';
import { createRunDir, pollUntil, Service, sweepAbandonedRuns } from './processes.ts';
import type { ClusterSecrets } from './secrets.ts';
import {
  freePort,
  type TemporalDatabases,
  type TemporalServerBuild,
  temporalServer,
} from './temporal-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const NAMESPACE = 'default';
const TASK_QUEUE = 'yanbao';
const PROCESSES_EACH = 2;
/** How long a process that died waits before it is started again. */
const RESTART_DELAY_MS = 1000;

export interface ClusterOptions {
  /** The app's database; Temporal's two go on the same server as `<name>_temporal` and `<name>_temporal_visibility`. */
  databaseUrl: string;
  /** The non-loopback address (or name) the load balancer listens on; PUBLIC_BASE_URL is https://<it>:<port>. */
  publicHost: string;
  /** 0: a free port. */
  publicPort: number;
  secrets: ClusterSecrets;
  build: TemporalServerBuild;
  /** Keep the processes' logs here (they otherwise go to the run's scratch folder, removed on stop). */
  logDir?: string;
  /** LOG_LEVEL of the web processes. */
  logLevel?: string;
  log?: (line: string) => void;
}

export interface Cluster {
  publicBaseUrl: string;
  /** The certificate the load balancer presents (self-signed; the app processes trust it). */
  certificate: Certificate;
  temporalAddress: string;
  namespace: string;
  databaseUrl: string;
  temporalDatabases: TemporalDatabases;
  /** The environment every app process gets (secrets included). */
  appEnv: Record<string, string>;
  temporal: Service;
  workers: Service[];
  webs: Service[];
  loadBalancer: LoadBalancer;
  /** Processes that exited on their own, and their start again (rejects when that start failed). */
  restarts: {
    service: string;
    at: number;
    code: number | null;
    signal: NodeJS.Signals | null;
    back: Promise<void>;
  }[];
  /** Milliseconds each start-up stage took. */
  timings: Record<string, number>;
  stop(): Promise<void>;
}

/** The first non-internal IPv4 address of this machine (where QR codes can point). */
export function publicAddress(): string | null {
  for (const addresses of Object.values(os.networkInterfaces()))
    for (const address of addresses ?? [])
      if (address.family === 'IPv4' && !address.internal) return address.address;
  return null;
}

/** The sibling database named `<app database>_<suffix>`. */
function siblingDatabase(databaseUrl: string, suffix: string): string {
  return `${decodeURIComponent(new URL(databaseUrl).pathname.slice(1))}_${suffix}`;
}

/** Whether real Alipay keys are given; without them the cluster offers the staging sandbox. */
const realProviderGiven = (env: NodeJS.ProcessEnv) =>
  Boolean(env.ALIPAY_APP_ID && env.ALIPAY_PRIVATE_KEY && env.ALIPAY_PUBLIC_KEY);

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(`[cluster] ${line}\n`));
  sweepAbandonedRuns(log);
  const run = createRunDir(null);
  const { dir } = run;
  const logDir = options.logDir;
  if (logDir) await mkdir(logDir, { recursive: true });
  const timings: Record<string, number> = {};
  let stageStart = Date.now();
  const stage = (name: string) => {
    timings[name] = Date.now() - stageStart;
    stageStart = Date.now();
  };

  const webs: Service[] = [];
  const workers: Service[] = [];
  const temporalServices: Service[] = [];
  let loadBalancer: LoadBalancer | null = null;
  let stopping = false;
  const stop = async () => {
    stopping = true;
    await loadBalancer?.close().catch(() => {});
    loadBalancer = null;
    // Web first (no new work), then the workers (activity attempts finish), then Temporal.
    for (const group of [webs, workers, temporalServices])
      await Promise.all(group.map((service) => service.stop().catch(() => {})));
    run.remove();
  };

  try {
    const temporalDatabases: TemporalDatabases = {
      serverUrl: options.databaseUrl,
      history: siblingDatabase(options.databaseUrl, 'temporal'),
      visibility: siblingDatabase(options.databaseUrl, 'temporal_visibility'),
    };
    const temporal = await temporalServer({
      build: options.build,
      databases: temporalDatabases,
      dir,
      ...(logDir ? { logDir } : {}),
    });
    temporalServices.push(temporal.service);
    stage('temporalDatabases');
    await temporal.service.start();
    stage('temporalServer');
    log(
      `Temporal server ${temporal.address} (PostgreSQL ${temporalDatabases.history}, ${temporalDatabases.visibility})`,
    );

    const publicPort = options.publicPort || (await freePort(options.publicHost));
    const publicBaseUrl = `https://${options.publicHost}:${publicPort}`;
    const certificate = await selfSignedCertificate(dir, options.publicHost);
    const appEnv: Record<string, string> = {
      NODE_ENV: 'production',
      DATABASE_URL: options.databaseUrl,
      DATABASE_POOL_MAX: '5',
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: NAMESPACE,
      TEMPORAL_TASK_QUEUE: TASK_QUEUE,
      PUBLIC_BASE_URL: publicBaseUrl,
      // Payment callbacks go to PUBLIC_BASE_URL, i.e. through the load balancer and its certificate.
      NODE_EXTRA_CA_CERTS: certificate.certPath,
      ...(realProviderGiven(process.env) ? {} : { SANDBOX_PAYMENTS: 'staging' }),
      ...options.secrets,
    };

    // The steps every deployment runs before its workers and web servers.
    const runStep = async (name: string, entry: string) => {
      const logPath = path.join(logDir ?? dir, `${name}.log`);
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [entry], {
          cwd: ROOT,
          env: { ...process.env, ...appEnv },
        });
        await appendFile(logPath, stdout + stderr);
        log(`${name}: ${stdout.trim().split('\n').join('; ')}`);
      } catch (err) {
        const { stdout = '', stderr = '' } = err as { stdout?: string; stderr?: string };
        await appendFile(logPath, stdout + stderr);
        throw new Error(`${name} (node ${entry}) failed:\n${stderr || stdout || String(err)}`);
      }
    };
    await runStep('setup-temporal', 'src/setup-temporal.ts');
    stage('setupTemporal');
    await runStep('migrate', 'src/migrate.ts');
    stage('migrate');

    // Bundled once for both workers (and their restarts), as a deployment image would be built.
    const bundlePath = path.join(dir, 'workflow-bundle.js');
    const { code } = await bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: new DefaultLogger('WARN'),
    });
    await writeFile(bundlePath, code);
    stage('bundle');

    for (let n = 1; n <= PROCESSES_EACH; n++)
      workers.push(
        new Service({
          name: `worker-${n}`,
          command: process.execPath,
          args: ['src/worker.ts'],
          env: { ...appEnv, WORKER_WORKFLOW_BUNDLE: bundlePath },
          cwd: ROOT,
          dir,
          ...(logDir ? { logDir } : {}),
          stopSignal: 'SIGTERM',
          ready: (self) => self.waitForOutput(/worker polling task queue/),
        }),
      );
    const webPorts: number[] = [];
    while (webPorts.length < PROCESSES_EACH) {
      const port = await freePort();
      if (!webPorts.includes(port)) webPorts.push(port);
    }
    for (const [index, port] of webPorts.entries())
      webs.push(
        new Service({
          name: `web-${index + 1}`,
          command: process.execPath,
          args: ['src/server.ts'],
          // One proxy hop in front: the client address is the one the load balancer appends.
          env: {
            ...appEnv,
            HOST: '127.0.0.1',
            PORT: String(port),
            TRUST_PROXY: '1',
            LOG_LEVEL: options.logLevel ?? 'info',
          },
          cwd: ROOT,
          dir,
          ...(logDir ? { logDir } : {}),
          stopSignal: 'SIGTERM',
          ready: (self) =>
            pollUntil(async () => {
              const response = await fetch(`http://127.0.0.1:${port}/ready`, {
                signal: AbortSignal.timeout(2000),
              });
              if (!response.ok) throw new Error(`HTTP ${response.status}`);
            }, self),
        }),
      );
    await Promise.all(workers.map((worker) => worker.start()));
    stage('workers');
    await Promise.all(webs.map((web) => web.start()));
    stage('webs');
    loadBalancer = await startLoadBalancer({
      host: options.publicHost,
      port: publicPort,
      certificate,
      upstreamPorts: webPorts,
    });
    const balancer = loadBalancer;

    const restarts: Cluster['restarts'] = [];
    for (const service of [...temporalServices, ...workers, ...webs])
      service.onUnexpectedExit((record) => {
        if (stopping) return;
        log(
          `${service.spec.name} exited on its own (code ${record.code}, signal ${record.signal}); starting it again (log ${service.logPath})`,
        );
        // A start that fails (its dependency still down) exits on its own again, which comes back here.
        const back = new Promise((resolve) => setTimeout(resolve, RESTART_DELAY_MS)).then(() =>
          stopping ? undefined : service.start(),
        );
        back.catch((err) => log(`${service.spec.name} did not start again: ${String(err).slice(0, 500)}`));
        restarts.push({
          service: service.spec.name,
          at: record.at,
          code: record.code,
          signal: record.signal,
          back,
        });
      });

    return {
      publicBaseUrl,
      certificate,
      temporalAddress: temporal.address,
      namespace: NAMESPACE,
      databaseUrl: options.databaseUrl,
      temporalDatabases,
      appEnv,
      temporal: temporal.service,
      workers,
      webs,
      loadBalancer: balancer,
      restarts,
      timings,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
