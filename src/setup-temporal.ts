/**
 * `node src/setup-temporal.ts`: prepares the Temporal namespace at TEMPORAL_ADDRESS /
 * TEMPORAL_NAMESPACE for Yanbao: registers it when missing (closed workflows kept for
 * TEMPORAL_RETENTION, default 30 days) and registers Yanbao's custom search
 * attributes (a workflow that sets an unregistered attribute fails to start). Every deployment runs
 * it before the worker and the web server (scripts/start does the same through prepareNamespace;
 * scripts/cluster runs this file, docker-compose as its temporal-setup job). Safe to run again and
 * several at once.
 */
import { Connection } from '@temporalio/client';
import { loadConfig } from './config.ts';
import { isPositiveDuration } from './domain/duration.ts';
import { prepareNamespace } from './temporal/prepare-namespace.ts';

const { temporal } = loadConfig();
const retention = process.env.TEMPORAL_RETENTION || undefined;
// Checked before connecting, so a typo is named instead of failing inside namespace registration.
if (retention !== undefined && !isPositiveDuration(retention))
  throw new Error(`TEMPORAL_RETENTION must be a positive duration such as "30 days", not "${retention}"`);
const connection = await Connection.connect({ address: temporal.address });
try {
  const { created, addedSearchAttributes } = await prepareNamespace(
    connection,
    temporal.namespace,
    retention,
  );
  console.log(
    [
      `temporal namespace ${temporal.namespace}:`,
      created ? 'created;' : 'exists;',
      addedSearchAttributes.length > 0
        ? `registered ${addedSearchAttributes.join(', ')}`
        : 'search attributes already registered',
    ].join(' '),
  );
} finally {
  await connection.close();
}
