/**
 * The real system for integration tests: a private database, a Temporal
 * client and worker on the shared dev server (own task queue per file), and
 * the Fastify app with the test's configuration.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type AppConfig, loadConfig } from '../../src/config.ts';
import {
  createNotifier,
  type NotificationSink,
  type Notifier,
  type OutgoingMessage,
} from '../../src/notifications/notifier.ts';
import { createPaymentProviders } from '../../src/payments/index.ts';
import type { PaymentProviders } from '../../src/payments/provider.ts';
import { yanbaoDataConverter } from '../../src/temporal/payload-codec.ts';
import { createYanbaoWorker } from '../../src/temporal/worker-factory.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface Harness {
  config: AppConfig;
  db: TestDatabase;
  client: Client;
  app: FastifyInstance;
  worker: Worker;
  /** Settles when the worker has stopped (after worker.shutdown()). */
  workerRun: Promise<void>;
  payments: PaymentProviders;
  notifications: Notifier;
  /** Every message the notifier delivered, in order (none when the test brought its own sink). */
  delivered: OutgoingMessage[];
  close(): Promise<void>;
}

/** A port nobody listens on right now, so the public URL can be known before the app starts. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, 'localhost', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * With `listen`, the app serves real HTTP on localhost and the public base URL
 * points there: payment callbacks and browsers reach it like in production.
 */
export async function startHarness(
  overrides: Partial<AppConfig> = {},
  options: { listen?: boolean; sink?: NotificationSink } = {},
): Promise<Harness> {
  const port = options.listen ? await freePort() : null;
  const db = await createTestDatabase(inject('templateDatabase'));
  const address = inject('temporalAddress');
  const base = loadConfig();
  const config: AppConfig = {
    ...base,
    env: 'test',
    databaseUrl: db.url,
    publicBaseUrl: port ? `http://localhost:${port}` : 'https://yanbao.test',
    temporal: { ...base.temporal, address, taskQueue: `test-${randomBytes(4).toString('hex')}` },
    ...overrides,
  };
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: yanbaoDataConverter(config.payloadKeys),
  });
  const nativeConnection = await NativeConnection.connect({ address });
  const delivered: OutgoingMessage[] = [];
  const payments = createPaymentProviders({ orm: db.orm, config });
  // The development sink, recording instead of logging, so tests can read what was sent.
  const recording: NotificationSink = {
    async send(message) {
      delivered.push(message);
      return { provider: 'log', providerMessageId: null };
    },
  };
  const notifications = createNotifier(options.sink ?? recording, config);
  const worker = await createYanbaoWorker(nativeConnection, {
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    deps: { orm: db.orm, config, payments, notifications },
  });
  const running = worker.run();
  const app = await buildApp(
    { config, orm: db.orm, temporal: client, payments, notifications },
    { logger: false },
  );
  await app.ready();
  if (port) await app.listen({ host: 'localhost', port });
  return {
    config,
    db,
    client,
    app,
    worker,
    workerRun: running,
    payments,
    notifications,
    delivered,
    async close() {
      await app.close();
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await db.drop();
    },
  };
}
