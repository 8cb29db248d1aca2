/**
 * `node src/setup-temporal.ts`: prepares the Temporal namespace at TEMPORAL_ADDRESS /
 * TEMPORAL_NAMESPACE for Yanbao: registers the namespace when the server lacks it (closed workflows
 * kept for TEMPORAL_RETENTION, default 30 days) and Yanbao's custom search attributes. Every
 * deployment runs it before the worker and the web server (scripts/start, scripts/cluster,
 * docker-compose's temporal-setup job): a workflow that sets an unregistered attribute fails to
 * start. Safe to run any number of times.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from './config.ts';
import { ensureNamespace } from './temporal/namespace.ts';
import { ensureSearchAttributes } from './temporal/search-attributes.ts';

const { temporal } = loadConfig();
const connection = await Connection.connect({ address: temporal.address });
try {
  if (await ensureNamespace(connection, temporal.namespace, process.env.TEMPORAL_RETENTION || '30 days'))
    console.log(`temporal namespace ${temporal.namespace}: registered`);
  const added = await ensureSearchAttributes(connection, temporal.namespace);
  console.log(
    `temporal namespace ${temporal.namespace}: ${added.length > 0 ? `registered ${added.join(', ')}` : 'search attributes already registered'}`,
  );
} finally {
  await connection.close();
}
