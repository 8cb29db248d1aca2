import { setTimeout as sleep } from 'node:timers/promises';
import { type Connection, isGrpcServiceError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * gRPC UNAVAILABLE: with SQL visibility the server answers "Generated search attributes mapping
 * unavailable" when a concurrent run took the column it had picked for an attribute; listing again
 * shows what that run registered.
 */
const UNAVAILABLE = 14;
const ATTEMPTS = 5;

/**
 * Registers Yanbao's custom search attributes on the namespace; safe to run again and from several
 * deployment steps at once. Existing attributes are left alone and the missing ones are added in
 * one request (adding them one by one let concurrent runs interleave and map one attribute to two
 * columns). Fails when an attribute exists with another type. Returns the names this run added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const added: string[] = [];
  for (let attempt = 1; ; attempt++) {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const wrongType = ALL_SEARCH_ATTRIBUTES.filter(
      (key) => customAttributes?.[key.name] && customAttributes[key.name] !== indexedType(key.type),
    ).map((key) => `${key.name} (expected ${key.type})`);
    if (wrongType.length > 0)
      throw new Error(
        `namespace ${namespace} has search attributes of another type: ${wrongType.join(', ')}`,
      );
    const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !customAttributes?.[key.name]);
    if (missing.length === 0) break;
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(missing.map((key) => [key.name, indexedType(key.type)])),
      });
      added.push(...missing.map((key) => key.name));
    } catch (err) {
      if (!(isGrpcServiceError(err) && err.code === UNAVAILABLE) || attempt === ATTEMPTS) throw err;
      await sleep(100 * attempt);
    }
  }
  await removeDuplicateColumns(connection, namespace);
  return added;
}

function indexedType(type: (typeof ALL_SEARCH_ATTRIBUTES)[number]['type']) {
  return IndexedValueType[`INDEXED_VALUE_TYPE_${type}`];
}

/**
 * SQL visibility stores each custom attribute in a pre-allocated column, named in the namespace's
 * column → attribute map. Two runs that add the same attribute at the same moment can each map it
 * to a different column; every run then keeps the first column by name and unmaps the others, so
 * all runs converge on one column (before any workflow has written to either: this runs at setup).
 */
async function removeDuplicateColumns(connection: Connection, namespace: string): Promise<void> {
  const { config } = await connection.workflowService.describeNamespace({ namespace });
  const columns = config?.customSearchAttributeAliases ?? {};
  const ours = new Set(ALL_SEARCH_ATTRIBUTES.map((key) => key.name));
  const kept = new Set<string>();
  const unmap: Record<string, string> = {};
  for (const column of Object.keys(columns).sort()) {
    const name = columns[column] ?? '';
    if (!ours.has(name)) continue;
    if (kept.has(name)) unmap[column] = '';
    else kept.add(name);
  }
  if (Object.keys(unmap).length > 0)
    await connection.workflowService.updateNamespace({
      namespace,
      config: { customSearchAttributeAliases: unmap },
    });
}
