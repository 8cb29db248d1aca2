import { type Connection, isGrpcServiceError } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

/** gRPC's ALREADY_EXISTS: another deployment step registered the attribute first. */
const ALREADY_EXISTS = 6;

/**
 * Registers Yanbao's custom search attributes on the namespace, idempotently: existing ones are left
 * alone, and each missing one is added on its own so that a concurrent run adding the same
 * attribute ("already exists") is not an error. Returns the names it added.
 */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = ALL_SEARCH_ATTRIBUTES.filter((key) => !customAttributes?.[key.name]);
  const added: string[] = [];
  for (const key of missing) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: {
          [key.name]: proto.temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
        },
      });
      added.push(key.name);
    } catch (err) {
      if (!(isGrpcServiceError(err) && err.code === ALREADY_EXISTS)) throw err;
    }
  }
  return added;
}
