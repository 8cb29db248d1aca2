/**
 * The real system for integration tests: a private database, a Temporal
 * client and worker on the shared dev server (own task queue per file), and
 * the Fastify app with the test's configuration.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { inject } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { type AppConfig, loadConfig } from '../../src/config.ts';
import type { OutgoingMessage } from '../../src/notifications/notifier.ts';
import { createYanbaoWorker } from '../../src/temporal/worker-factory.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface Harness {
  config: AppConfig;
  db: TestDatabase;
  client: Client;
  app: FastifyInstance;
  worker: Worker;
  /** Every message the notifier delivered, in order. */
  delivered: OutgoingMessage[];
  close(): Promise<void>;
}

export async function startHarness(overrides: Partial<AppConfig> = {}): Promise<Harness> {
  const db = await createTestDatabase(inject('templateDatabase'));
  const address = inject('temporalAddress');
  const base = loadConfig();
  const config: AppConfig = {
    ...base,
    env: 'test',
    databaseUrl: db.url,
    publicBaseUrl: 'https://yanbao.test',
    temporal: { ...base.temporal, address, taskQueue: `test-${randomBytes(4).toString('hex')}` },
    ...overrides,
  };
  const connection = await Connection.connect({ address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const nativeConnection = await NativeConnection.connect({ address });
  const delivered: OutgoingMessage[] = [];
  const worker = await createYanbaoWorker(nativeConnection, {
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: { codePath: inject('workflowBundlePath') },
    deps: {
      orm: db.orm,
      publicBaseUrl: config.publicBaseUrl,
      notifications: {
        async send(message) {
          delivered.push(message);
        },
      },
    },
  });
  const running = worker.run();
  const app = await buildApp({ config, orm: db.orm, temporal: client }, { logger: false });
  await app.ready();
  return {
    config,
    db,
    client,
    app,
    worker,
    delivered,
    async close() {
      await app.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await db.drop();
    },
  };
}
