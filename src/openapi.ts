/**
 * The API's OpenAPI document without a database, Temporal or a listening server: the app is built
 * on lazy connections that are never used, so scripts and tests can read what /docs/json serves.
 */
import { MikroORM } from '@mikro-orm/postgresql';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { loadConfig } from './config.ts';
import { ormOptions } from './db/orm.config.ts';
import { configuredNotifier } from './notifications/index.ts';
import { createPaymentProviders } from './payments/index.ts';

export type OpenApiDocument = Exclude<ReturnType<FastifyInstance['swagger']>, string>;

export async function openApiDocument(): Promise<OpenApiDocument> {
  // The development configuration, whatever the environment says: the same routes every time.
  const config = loadConfig({ env: 'development', payments: { real: null, sandbox: 'on' } });
  const orm = MikroORM.initSync(ormOptions(config.databaseUrl));
  const temporal = new Client({ connection: Connection.lazy({ address: config.temporal.address }) });
  const notifications = configuredNotifier(config, () => {});
  const payments = createPaymentProviders({ orm, config });
  const app = await buildApp(
    { config, orm, temporal, payments, notifications: notifications.notifier },
    { logger: false },
  );
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
    notifications.close();
    await temporal.connection.close();
    await orm.close();
  }
}
