/** HTTP server entry: builds the app, listens, and closes gracefully on SIGINT/SIGTERM. */
import { Client, Connection } from '@temporalio/client';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openOrm } from './db/orm.config.ts';
import { configuredNotifier } from './notifications/index.ts';
import { startTracing } from './observability/tracing.ts';
import { createPaymentProviders } from './payments/index.ts';
import { yanbaoDataConverter } from './temporal/payload-codec.ts';
import { webConnectionOptions } from './temporal/web-connection.ts';

const config = loadConfig();
// OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; null (nothing installed) otherwise.
const tracing = await startTracing('yanbao-web');
const orm = await openOrm(config.databaseUrl);
// Gives up on an unreachable Temporal within seconds, so requests answer 503 instead of waiting.
const connection = await Connection.connect(webConnectionOptions(config.temporal.address));
const temporal = new Client({
  connection,
  namespace: config.temporal.namespace,
  dataConverter: yanbaoDataConverter(config.payloadKeys),
  interceptors: { workflow: tracing?.clientInterceptors ?? [] },
});
const notifications = configuredNotifier(config, (line) => console.log(line));
const app = await buildApp(
  {
    config,
    orm,
    temporal,
    payments: createPaymentProviders({ orm, config }),
    notifications: notifications.notifier,
    tracing,
  },
  {
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
    // Slow or stalled clients must not hold sockets forever.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    keepAliveTimeout: 5_000,
  },
);

/** Under the 30 s an orchestrator usually waits after SIGTERM before SIGKILL. */
const SHUTDOWN_DEADLINE_MS = 25_000;
let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  // app.close() refuses new connections and waits for the requests in progress to be answered.
  app.log.info(`${signal}: finishing the requests in progress, then closing`);
  // A request stuck on a hung dependency must not keep the process from stopping.
  setTimeout(() => {
    app.log.error(`requests still in progress ${SHUTDOWN_DEADLINE_MS / 1000} s after ${signal}; exiting`);
    process.exit(1);
  }, SHUTDOWN_DEADLINE_MS).unref();
  await app.close();
  notifications.close();
  await connection.close();
  await orm.close();
  await tracing?.shutdown();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
