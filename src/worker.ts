/**
 * Temporal worker entry: runs every workflow and activity of Yanbao until SIGINT/SIGTERM.
 * Configuration comes from the environment only (src/config.ts, DATABASE_POOL_MAX and the
 * WORKER_* options of workerOptionsFromEnv), so several processes can poll one task queue.
 */
import { NativeConnection } from '@temporalio/worker';
import { loadConfig } from './config.ts';
import { openOrm } from './db/orm.config.ts';
import { configuredNotifier } from './notifications/index.ts';
import { startOutboxRelay } from './notifications/notifier.ts';
import { startTracing } from './observability/tracing.ts';
import { installWorkerRuntime } from './observability/worker-runtime.ts';
import { createPaymentProviders } from './payments/index.ts';
import { ensureStatsRollupSchedule } from './services/statistics.ts';
import { createYanbaoWorker, workerOptionsFromEnv } from './temporal/worker-factory.ts';

const config = loadConfig();
// Before the first connection: logs as JSON lines, and the SDK's Prometheus exporter if WORKER_METRICS_ADDRESS is set.
installWorkerRuntime();
// OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; null (nothing installed) otherwise.
const tracing = await startTracing('yanbao-worker');
const orm = await openOrm(config.databaseUrl);
const connection = await NativeConnection.connect({ address: config.temporal.address });
const notifications = configuredNotifier(config, (line) => console.log(line));
const worker = await createYanbaoWorker(connection, {
  namespace: config.temporal.namespace,
  taskQueue: config.temporal.taskQueue,
  deps: {
    orm,
    config,
    notifications: notifications.notifier,
    payments: createPaymentProviders({ orm, config }),
  },
  // On SIGTERM, running activity attempts get this long to finish before they are cancelled (default 0);
  // under the 30 s an orchestrator usually waits before SIGKILL.
  shutdownGraceTime: '25 seconds',
  tracing,
  ...workerOptionsFromEnv(),
});
// The sales roll-up behind the manufacturers' dashboards runs on a schedule kept in line with the config.
await ensureStatsRollupSchedule(connection, config).catch((err) =>
  console.error('stats roll-up schedule:', err),
);
// Messages whose first delivery failed are retried from here, with backoff.
const relay = startOutboxRelay(orm, notifications.notifier, {
  error: (details, message) => console.error(message, details),
});
console.log(`worker polling task queue ${config.temporal.taskQueue} on ${config.temporal.address}`);
try {
  // Worker.run() shuts down gracefully on SIGINT/SIGTERM by default.
  await worker.run();
} finally {
  await relay.stop();
  notifications.close();
  await connection.close();
  await orm.close();
  await tracing?.shutdown();
}
