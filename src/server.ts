/** HTTP server entry: builds the app, listens, and closes gracefully on SIGINT/SIGTERM. */
import { Client, Connection } from '@temporalio/client';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { openOrm } from './db/orm.config.ts';
import { logSink } from './notifications/notifier.ts';
import { startTracing } from './observability/tracing.ts';
import { createPaymentProviders } from './payments/index.ts';
import { yanbaoDataConverter } from './temporal/payload-codec.ts';

const config = loadConfig();
// OTLP traces when OTEL_EXPORTER_OTLP_ENDPOINT is set; null (nothing installed) otherwise.
const tracing = await startTracing('yanbao-web');
const orm = await openOrm(config.databaseUrl);
const connection = await Connection.connect({ address: config.temporal.address });
const temporal = new Client({
  connection,
  namespace: config.temporal.namespace,
  dataConverter: yanbaoDataConverter(config.payloadKeys),
  interceptors: { workflow: tracing?.clientInterceptors ?? [] },
});
const app = await buildApp(
  {
    config,
    orm,
    temporal,
    payments: createPaymentProviders({ orm, config }),
    notifications: logSink((line) => console.log(line)),
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

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info(`${signal}: closing`);
  await app.close();
  await connection.close();
  await orm.close();
  await tracing?.shutdown();
  process.exit(0);
}
process.once('SIGINT', () => void shutdown('SIGINT'));
process.once('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ host: config.host, port: config.port });
