/**
 * `scripts/start`: brings up the whole system on one machine and stops all of
 * it on Ctrl-C. Uses DATABASE_URL / TEMPORAL_ADDRESS when set, else starts an
 * embedded PostgreSQL and the Temporal dev server with data under .data/.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { loadConfig } from './config.ts';
import { ensureDatabase } from './db/database.ts';
import { startEmbeddedPostgres } from './db/embedded-postgres.ts';
import { openOrm } from './db/orm.config.ts';
import { migrateAndSeed } from './db/prepare.ts';
import { startDevServer } from './temporal/dev-server.ts';
import { prepareNamespace } from './temporal/prepare-namespace.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dataDir = `${root}.data`;
const stops: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];

function log(line: string) {
  console.log(`\x1b[1m[yanbao]\x1b[0m ${line}`);
}

let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)),
  );
  for (const stop of stops.reverse()) await stop().catch((err) => console.error(err));
  process.exit(code);
}
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

try {
  // Database: the configured server, or the embedded one.
  if (!process.env.DATABASE_URL) {
    const pool = 4;
    process.env.DATABASE_POOL_MAX = String(pool);
    const embedded = await startEmbeddedPostgres({
      dataDir: `${dataDir}/pglite`,
      port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
      maxConnections: pool * 2 + 2, // server + worker pools, plus migrations
    });
    stops.push(embedded.stop);
    process.env.DATABASE_URL = embedded.url;
    log(`embedded PostgreSQL (PGlite) at ${embedded.url}, data in .data/pglite`);
  } else {
    await ensureDatabase(process.env.DATABASE_URL);
  }

  // Temporal: the configured server, or the dev server.
  let temporalUi = process.env.TEMPORAL_WEB_URL ?? null;
  if (!process.env.TEMPORAL_ADDRESS) {
    const cliPath = process.env.TEMPORAL_CLI_PATH ?? 'temporal';
    const devServer = await startDevServer({
      cliPath,
      dataDir: `${dataDir}/temporal`,
      port: Number(process.env.TEMPORAL_PORT ?? 7233),
      uiPort: Number(process.env.TEMPORAL_UI_PORT ?? 8233),
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      // 127.0.0.1 like the UI's own address: the session cookie only travels within one site.
      codecEndpoint: `http://127.0.0.1:${process.env.PORT ?? 3000}/codec`,
    });
    stops.push(devServer.stop);
    process.env.TEMPORAL_ADDRESS = devServer.address;
    temporalUi = devServer.uiUrl;
    process.env.TEMPORAL_WEB_URL = temporalUi;
  }
  const config = loadConfig();
  const connection = await Connection.connect({ address: config.temporal.address });
  // The same step as `node src/setup-temporal.ts`, which every other deployment runs.
  await prepareNamespace(connection, config.temporal.namespace);
  await connection.close();

  const orm = await openOrm(config.databaseUrl, { pool: { min: 0, max: 1 } });
  const library = await migrateAndSeed(orm);
  await orm.close();
  log(`database migrated; library holds ${library.clauses} clauses and ${library.cases} cases`);

  for (const [name, entry] of [
    ['worker', 'src/worker.ts'],
    ['web', 'src/server.ts'],
  ] as const) {
    const child = spawn(process.execPath, [entry], { cwd: root, env: process.env, stdio: 'inherit' });
    child.once('exit', (code) => {
      log(`${name} exited with ${code}; stopping everything`);
      void stopAll(code ?? 1);
    });
    children.push(child);
  }

  const web = config.publicBaseUrl;
  log('Yanbao is starting up:');
  log(`  web UI (manufacturer portal)  ${web}/portal/`);
  log(`  API docs (OpenAPI)            ${web}/docs`);
  log(`  Temporal Web UI               ${temporalUi ?? '(external Temporal; set TEMPORAL_WEB_URL)'}`);
  log('Press Ctrl-C to stop everything.');
} catch (err) {
  console.error(err);
  await stopAll(1);
}
