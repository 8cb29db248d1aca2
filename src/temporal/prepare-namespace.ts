import { setTimeout as sleep } from 'node:timers/promises';
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import { durationToMs } from '../domain/duration.ts';
import { ensureSearchAttributes } from './search-attributes.ts';
import { msToTimestamp } from './timestamps.ts';

/**
 * How long a namespace this step creates keeps closed workflows' histories unless TEMPORAL_RETENTION
 * says otherwise (Yanbao's own records live in PostgreSQL). Change it later with
 * `temporal operator namespace update --retention`.
 */
export const NEW_NAMESPACE_RETENTION = '30 days';

/** gRPC status codes of describeNamespace / registerNamespace. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
/** How long a namespace registered a moment ago may take to reach the server's namespace cache. */
const VISIBLE_WITHIN_MS = 30_000;

/**
 * Prepares a Temporal namespace for Yanbao, idempotently: registers it when missing (a fresh
 * Temporal server has only its system namespace) and registers Yanbao's search attributes, which
 * a workflow needs before it starts. `node src/setup-temporal.ts` and scripts/start both run it.
 */
export async function prepareNamespace(
  connection: Connection,
  namespace: string,
  retention: string = NEW_NAMESPACE_RETENTION,
): Promise<{ created: boolean; addedSearchAttributes: string[] }> {
  const created = await ensureNamespace(connection, namespace, retention);
  await untilUsable(connection, namespace);
  return { created, addedSearchAttributes: await ensureSearchAttributes(connection, namespace) };
}

/** Registers the namespace unless it exists; true when this call created it. */
async function ensureNamespace(
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
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTimestamp(durationToMs(retention)),
    });
    return true;
  } catch (err) {
    // Another deployment step registered it between the two calls.
    if (isGrpcServiceError(err) && err.code === ALREADY_EXISTS) return false;
    throw err;
  }
}

/**
 * Waits until the namespace answers namespace-scoped calls: registration is read back from the
 * database at once, but other calls answer "not found" until the server's namespace cache has it.
 */
async function untilUsable(connection: Connection, namespace: string): Promise<void> {
  const deadline = Date.now() + VISIBLE_WITHIN_MS;
  for (;;) {
    try {
      await connection.operatorService.listSearchAttributes({ namespace });
      return;
    } catch (err) {
      if (!(isGrpcServiceError(err) && err.code === NOT_FOUND) || Date.now() > deadline) throw err;
      await sleep(250);
    }
  }
}
