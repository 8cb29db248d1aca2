/**
 * The real Temporal server (not the dev server) on PostgreSQL: its two databases (history and SQL
 * visibility) prepared with the server's own `sql` tool, and a config shaped on the module's
 * config/development-postgres12.yaml, with every gRPC, HTTP and membership port picked free so it
 * never collides with a dev server or another cluster. Binaries and schemas come from
 * scripts/setup.sh's ensure_temporal_server.
 */
import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import { pollUntil, Service } from './processes.ts';

const run = promisify(execFile);

/** Where ensure_temporal_server put the server, its SQL tool and the module's source (schemas, sample config). */
export interface TemporalServerBuild {
  serverPath: string;
  sqlToolPath: string;
  sourceDir: string;
}

export function temporalServerBuildFromEnv(env: NodeJS.ProcessEnv = process.env): TemporalServerBuild {
  const { TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH, TEMPORAL_SERVER_SOURCE } = env;
  if (!TEMPORAL_SERVER_PATH || !TEMPORAL_SQL_TOOL_PATH || !TEMPORAL_SERVER_SOURCE)
    throw new Error(
      'TEMPORAL_SERVER_PATH, TEMPORAL_SQL_TOOL_PATH and TEMPORAL_SERVER_SOURCE are not set: run through scripts/cluster or scripts/test (ensure_temporal_server in scripts/setup.sh)',
    );
  return {
    serverPath: TEMPORAL_SERVER_PATH,
    sqlToolPath: TEMPORAL_SQL_TOOL_PATH,
    sourceDir: TEMPORAL_SERVER_SOURCE,
  };
}

/** A TCP port nobody listens on right now. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no free port');
  return address.port;
}

/** The PostgreSQL server and the names of Temporal's two databases on it. */
export interface TemporalDatabases {
  /** Any database URL on the server (its host, port, user and password are used). */
  serverUrl: string;
  history: string;
  visibility: string;
}

function connectionOf(serverUrl: string) {
  const url = new URL(serverUrl);
  return {
    host: url.hostname,
    port: url.port || '5432',
    user: decodeURIComponent(url.username) || 'postgres',
    password: decodeURIComponent(url.password),
  };
}

/**
 * Creates both databases if missing, sets up the schema version tables and applies every schema
 * version the server module ships: each step is a no-op when already done, so this runs on every start.
 */
export async function prepareTemporalDatabases(
  build: TemporalServerBuild,
  databases: TemporalDatabases,
): Promise<void> {
  const { host, port, user, password } = connectionOf(databases.serverUrl);
  const schemas = path.join(build.sourceDir, 'schema/postgresql/v12');
  for (const [database, schema] of [
    [databases.history, 'temporal'],
    [databases.visibility, 'visibility'],
  ] as const) {
    const sql = (...args: string[]) =>
      run(
        build.sqlToolPath,
        ['--plugin', 'postgres12', '--ep', host, '-p', port, '-u', user, '--db', database, ...args],
        // The password through the environment, not the command line other users can read.
        { env: { ...process.env, SQL_PASSWORD: password } },
      ).catch((err: Error & { stderr?: string }) => {
        throw new Error(`temporal sql tool ${args[0]} on ${database} failed: ${err.stderr ?? err.message}`);
      });
    await sql('create-database');
    await sql('setup-schema', '-v', '0.0');
    await sql('update-schema', '-d', path.join(schemas, schema, 'versioned'));
  }
}

export interface TemporalServerPorts {
  frontend: number;
  frontendHttp: number;
  frontendMembership: number;
  history: number;
  historyMembership: number;
  matching: number;
  matchingMembership: number;
  worker: number;
  workerMembership: number;
}

const TEMPORAL_PORT_NAMES = [
  'frontend',
  'frontendHttp',
  'frontendMembership',
  'history',
  'historyMembership',
  'matching',
  'matchingMembership',
  'worker',
  'workerMembership',
] as const satisfies readonly (keyof TemporalServerPorts)[];

/** Whether nobody listens on the port right now. */
async function portIsFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  const server = createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  if (listening) await new Promise((resolve) => server.close(resolve));
  return listening;
}

/**
 * Free ports for every service, below 32768: the membership table stores ports as PostgreSQL
 * smallint, so the kernel's ephemeral ports (32768 and up) would make the server fail at start.
 */
export async function freeTemporalPorts(): Promise<TemporalServerPorts> {
  const ports: Partial<TemporalServerPorts> = {};
  const taken = new Set<number>();
  for (const name of TEMPORAL_PORT_NAMES) {
    let port = 0;
    do port = 20_000 + Math.floor(Math.random() * 12_000);
    while (taken.has(port) || !(await portIsFree(port)));
    taken.add(port);
    ports[name] = port;
  }
  return ports as TemporalServerPorts;
}

/**
 * The server's config (JSON is YAML): development-postgres12.yaml's persistence, membership and
 * cluster metadata, with this machine's PostgreSQL, free ports, no pprof or metrics listeners, and
 * archival off.
 */
export function temporalServerConfig(databases: TemporalDatabases, ports: TemporalServerPorts) {
  const { host, port, user, password } = connectionOf(databases.serverUrl);
  const datastore = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${host}:${port}`,
      connectProtocol: 'tcp',
      user,
      password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const service = (grpcPort: number, membershipPort: number) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      numHistoryShards: 4,
      datastores: {
        'postgres-default': datastore(databases.history, 20),
        'postgres-visibility': datastore(databases.visibility, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: '127.0.0.1' } },
    services: {
      frontend: {
        rpc: { ...service(ports.frontend, ports.frontendMembership).rpc, httpPort: ports.frontendHttp },
      },
      history: service(ports.history, ports.historyMembership),
      matching: service(ports.matching, ports.matchingMembership),
      worker: service(ports.worker, ports.workerMembership),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `127.0.0.1:${ports.frontend}`,
          httpAddress: `127.0.0.1:${ports.frontendHttp}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
  };
}

export interface TemporalServerOptions {
  build: TemporalServerBuild;
  databases: TemporalDatabases;
  /** The run's scratch folder: the config goes there. */
  dir: string;
  logDir?: string;
}

/**
 * Prepares the databases, writes the config and returns the server as a Service (not started yet;
 * ready once the frontend answers). Restarting it keeps its ports and state.
 */
export async function temporalServer(
  options: TemporalServerOptions,
): Promise<{ service: Service; address: string; ports: TemporalServerPorts }> {
  await prepareTemporalDatabases(options.build, options.databases);
  const ports = await freeTemporalPorts();
  const configDir = path.join(options.dir, 'temporal-config');
  await mkdir(configDir, { recursive: true });
  // The server reads <config dir>/<env>.yaml.
  await writeFile(
    path.join(configDir, 'production.yaml'),
    JSON.stringify(temporalServerConfig(options.databases, ports), null, 2),
    { mode: 0o600 },
  );
  const address = `127.0.0.1:${ports.frontend}`;
  const service = new Service({
    name: 'temporal',
    command: options.build.serverPath,
    // No authorizer: the frontend listens on loopback only, for this machine's processes.
    args: [
      '--root',
      options.dir,
      '--config',
      'temporal-config',
      '--env',
      'production',
      '--allow-no-auth',
      'start',
    ],
    cwd: options.dir,
    dir: options.dir,
    ...(options.logDir ? { logDir: options.logDir } : {}),
    stopSignal: 'SIGTERM',
    startTimeoutMs: 90_000,
    ready: (self) =>
      pollUntil(async () => {
        const probe = await Connection.connect({ address, connectTimeout: 1000 });
        try {
          await probe.workflowService.getSystemInfo({});
        } finally {
          await probe.close();
        }
      }, self),
  });
  return { service, address, ports };
}
