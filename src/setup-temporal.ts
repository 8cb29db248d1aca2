/**
 * `node src/setup-temporal.ts`: prepares the Temporal namespace at TEMPORAL_ADDRESS /
 * TEMPORAL_NAMESPACE for Yanbao by registering its custom search attributes. Every deployment runs
 * it before the worker and the web server (scripts/start, docker-compose's temporal-setup job): a
 * workflow that sets an unregistered attribute fails to start. Safe to run any number of times.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from './config.ts';
import { ensureSearchAttributes } from './temporal/search-attributes.ts';

const { temporal } = loadConfig();
const connection = await Connection.connect({ address: temporal.address });
try {
  const added = await ensureSearchAttributes(connection, temporal.namespace);
  console.log(
    `temporal namespace ${temporal.namespace}: ${added.length > 0 ? `registered ${added.join(', ')}` : 'search attributes already registered'}`,
  );
} finally {
  await connection.close();
}
