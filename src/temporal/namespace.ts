import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';

/** gRPC's NOT_FOUND and ALREADY_EXISTS. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;

/**
 * Registers the namespace when the Temporal server does not have it yet (a real server starts with
 * none; the dev server and the old auto-setup image created "default" themselves), and returns once
 * the server serves it. Idempotent, also against a concurrent run. Returns whether it registered it.
 */
export async function ensureNamespace(
  connection: Connection,
  namespace: string,
  retention: string,
): Promise<boolean> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return false;
  } catch (err) {
    if (!(isGrpcServiceError(err) && err.code === NOT_FOUND)) throw err;
  }
  let registered = true;
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retention),
    });
  } catch (err) {
    if (!(isGrpcServiceError(err) && err.code === ALREADY_EXISTS)) throw err;
    registered = false;
  }
  await untilServed(connection, namespace);
  return registered;
}

/**
 * Waits until the server's services know the new namespace: they read namespaces from a cache
 * refreshed every couple of seconds (system.namespaceCacheRefreshInterval), and until then answer
 * NOT_FOUND, also to the search-attribute registration that follows.
 */
async function untilServed(connection: Connection, namespace: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return;
    } catch (err) {
      if (!(isGrpcServiceError(err) && err.code === NOT_FOUND) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}
