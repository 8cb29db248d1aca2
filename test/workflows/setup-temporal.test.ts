/**
 * `node src/setup-temporal.ts` registers Yanbao's search attributes on any Temporal server, here a
 * namespace of the integration tier's dev server that has none of them, and the namespace itself
 * when the server lacks it (a real server starts with none); runs concurrently and again are not
 * errors.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import Long from 'long';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes.ts';

const run = promisify(execFile);
const { IndexedValueType } = proto.temporal.api.enums.v1;

describe('setup-temporal', () => {
  const address = inject('temporalAddress');
  const namespace = `setup-${randomBytes(4).toString('hex')}`;
  let connection: Connection;

  beforeAll(async () => {
    connection = await Connection.connect({ address });
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: { seconds: Long.fromNumber(86_400) },
    });
  });
  afterAll(() => connection?.close());

  const setup = (target = namespace) =>
    run(process.execPath, ['src/setup-temporal.ts'], {
      env: { ...process.env, NODE_ENV: 'test', TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: target },
    });

  it('registers the search attributes on a namespace without them, and running again changes nothing', async () => {
    const before = await connection.operatorService.listSearchAttributes({ namespace });
    for (const key of ALL_SEARCH_ATTRIBUTES) expect(before.customAttributes?.[key.name]).toBeUndefined();

    // Two deployments' setup jobs at once, then a third: each exits 0.
    const [first, second] = await Promise.all([setup(), setup()]);
    expect(`${first.stdout}${second.stdout}`).toContain('registered');
    expect((await setup()).stdout).toContain('already registered');

    const after = await connection.operatorService.listSearchAttributes({ namespace });
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(after.customAttributes?.[key.name], key.name).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
  });

  it('registers a namespace the server lacks, with its retention, then its search attributes', async () => {
    const fresh = `setup-new-${randomBytes(4).toString('hex')}`;
    const [first, second] = await Promise.all([setup(fresh), setup(fresh)]);
    expect(`${first.stdout}${second.stdout}`).toContain(`temporal namespace ${fresh}: registered\n`);
    const { config } = await connection.workflowService.describeNamespace({ namespace: fresh });
    expect(Number(config?.workflowExecutionRetentionTtl?.seconds)).toBe(30 * 86_400);
    const after = await connection.operatorService.listSearchAttributes({ namespace: fresh });
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(after.customAttributes?.[key.name], key.name).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
  });
});
