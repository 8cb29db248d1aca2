/**
 * `scripts/cluster`: runs the production topology on this machine (see cluster.ts) until Ctrl-C.
 *
 *   DATABASE_URL          the app's database (default postgres://postgres@127.0.0.1:5432/yanbao_cluster);
 *                         Temporal's go beside it as <name>_temporal and <name>_temporal_visibility
 *   CLUSTER_PUBLIC_HOST   the address the HTTPS load balancer listens on (default: this machine's
 *                         first non-loopback IPv4 address); CLUSTER_PUBLIC_PORT (default 8443)
 *   COOKIE_SECRET, LINK_SECRET, PAYLOAD_KEYS, SANDBOX_SIGNING_SECRET: from the environment, else
 *                         generated once into .data/cluster/secrets.env
 *   ALIPAY_*              real payments; without them the staging sandbox (SANDBOX_PAYMENTS=staging)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { publicAddress, startCluster } from './cluster.ts';
import { loadOrCreateSecrets } from './secrets.ts';
import { temporalServerBuildFromEnv } from './temporal-server.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DATA = path.join(ROOT, '.data/cluster');

function log(line: string) {
  console.log(`\x1b[1m[cluster]\x1b[0m ${line}`);
}

const publicHost = process.env.CLUSTER_PUBLIC_HOST || publicAddress();
if (!publicHost) {
  console.error(
    'no non-loopback address found: set CLUSTER_PUBLIC_HOST to the address QR codes should point at',
  );
  process.exit(2);
}
const secretsFile = path.join(DATA, 'secrets.env');
const { secrets, fromFile, generated } = await loadOrCreateSecrets(secretsFile);
if (generated.length > 0)
  log(`generated ${generated.join(', ')} into ${path.relative(ROOT, secretsFile)} (mode 0600; keep it)`);
if (fromFile.length > 0) log(`${fromFile.join(', ')} from ${path.relative(ROOT, secretsFile)}`);

const started = Date.now();
try {
  const cluster = await startCluster({
    databaseUrl: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/yanbao_cluster',
    publicHost,
    publicPort: Number(process.env.CLUSTER_PUBLIC_PORT || 8443),
    secrets,
    build: temporalServerBuildFromEnv(),
    logDir: path.join(DATA, 'logs'),
    log,
  });
  const web = cluster.publicBaseUrl;
  log(`production topology up in ${((Date.now() - started) / 1000).toFixed(1)} s:`);
  log(`  web UI (manufacturer portal)  ${web}/portal/`);
  log(`  API docs (OpenAPI)            ${web}/docs`);
  log(`  readiness                     ${web}/ready`);
  log(`  TLS certificate (self-signed) ${cluster.certificate.certPath} (curl --cacert …)`);
  log(`  Temporal server (gRPC)        ${cluster.temporalAddress}, namespace ${cluster.namespace}`);
  log(
    `  processes: ${[cluster.temporal, ...cluster.workers, ...cluster.webs].map((s) => `${s.spec.name} (pid ${s.pid})`).join(', ')}`,
  );
  log(
    `  payments: ${cluster.appEnv.SANDBOX_PAYMENTS === 'staging' ? 'staging sandbox (no real money)' : 'Alipay'}`,
  );
  log(`  logs in ${path.relative(ROOT, path.join(DATA, 'logs'))}/`);
  log('Press Ctrl-C to stop everything.');
  // Ctrl-C and SIGTERM stop every child (src/cluster/processes.ts); the load balancer ends with this process.
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
}
