/**
 * The Temporal setup step every deployment runs (`node src/setup-temporal.ts`, prepareNamespace in
 * scripts/start), against namespaces of the integration tier's dev server, which like a production
 * server keeps custom search attributes in SQL visibility's pre-allocated columns: it creates a
 * missing namespace, completes a namespace that has some of the attributes, and runs repeated and
 * concurrent without errors and without mapping one attribute to two columns.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { durationToMs } from '../../src/domain/duration.ts';
import { NEW_NAMESPACE_RETENTION } from '../../src/temporal/prepare-namespace.ts';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes.ts';
import { msToTimestamp } from '../../src/temporal/timestamps.ts';
import { ALL_SEARCH_ATTRIBUTES, ORDER_NUMBER, PLAN_ID } from '../../workflows/search-attributes.ts';

const run = promisify(execFile);
const { IndexedValueType } = proto.temporal.api.enums.v1;
const NAMES = ALL_SEARCH_ATTRIBUTES.map((key) => key.name).sort();

describe('setup-temporal', () => {
  const address = inject('temporalAddress');
  let connection: Connection;
  const freshName = () => `setup-${randomBytes(4).toString('hex')}`;
  async function registeredNamespace(): Promise<string> {
    const namespace = freshName();
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTimestamp(durationToMs('1 day')),
    });
    return namespace;
  }
  /** Yanbao's attributes → the SQL visibility columns each is mapped to. */
  async function columnsOf(namespace: string): Promise<Record<string, string[]>> {
    const { config } = await connection.workflowService.describeNamespace({ namespace });
    const columns: Record<string, string[]> = {};
    for (const [column, name] of Object.entries(config?.customSearchAttributeAliases ?? {}))
      if (NAMES.includes(name)) columns[name] = [...(columns[name] ?? []), column];
    return columns;
  }
  async function expectAllRegisteredOnce(namespace: string) {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    for (const key of ALL_SEARCH_ATTRIBUTES)
      expect(customAttributes?.[key.name], key.name).toBe(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    const columns = await columnsOf(namespace);
    expect(Object.keys(columns).sort()).toEqual(NAMES);
    for (const name of NAMES) expect(columns[name], `${name} → ${columns[name]}`).toHaveLength(1);
  }
  const setup = (namespace: string) =>
    run(process.execPath, ['src/setup-temporal.ts'], {
      env: { ...process.env, NODE_ENV: 'test', TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: namespace },
    });

  beforeAll(async () => {
    connection = await Connection.connect({ address });
  });
  afterAll(() => connection?.close());

  it('creates a missing namespace with its attributes, and running again changes nothing', async () => {
    const namespace = freshName();
    // Two deployments' setup jobs at once on a server without the namespace, then a third.
    const outputs = await Promise.all([setup(namespace), setup(namespace)]);
    expect(outputs.map((o) => o.stdout).join('')).toContain('created');
    expect((await setup(namespace)).stdout).toContain(
      `temporal namespace ${namespace}: exists; search attributes already registered`,
    );

    const { config } = await connection.workflowService.describeNamespace({ namespace });
    expect(config?.workflowExecutionRetentionTtl?.seconds?.toNumber()).toBe(
      msToTimestamp(durationToMs(NEW_NAMESPACE_RETENTION)).seconds?.toNumber(),
    );
    await expectAllRegisteredOnce(namespace);
  });

  it('lets concurrent runs on a namespace without the attributes all succeed, each attribute in one column', async () => {
    // Adding attributes one by one mapped an attribute to two columns in most of these rounds.
    for (let round = 0; round < 4; round++) {
      const namespace = await registeredNamespace();
      const added = await Promise.all([1, 2, 3].map(() => ensureSearchAttributes(connection, namespace)));
      expect([...new Set(added.flat())].sort()).toEqual(NAMES);
      await expectAllRegisteredOnce(namespace);
    }
  });

  it('adds only the missing attributes to a namespace that has some, leaving the others’ columns', async () => {
    const namespace = await registeredNamespace();
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: {
        [PLAN_ID.name]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        [ORDER_NUMBER.name]: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      },
    });
    const before = await columnsOf(namespace);

    const added = await ensureSearchAttributes(connection, namespace);

    expect(added.sort()).toEqual(NAMES.filter((name) => name !== PLAN_ID.name && name !== ORDER_NUMBER.name));
    await expectAllRegisteredOnce(namespace);
    const after = await columnsOf(namespace);
    expect(after[PLAN_ID.name]).toEqual(before[PLAN_ID.name]);
    expect(after[ORDER_NUMBER.name]).toEqual(before[ORDER_NUMBER.name]);
  });

  it('keeps one column of an attribute that a concurrent run mapped to two', async () => {
    const namespace = await registeredNamespace();
    await ensureSearchAttributes(connection, namespace);
    const taken = new Set(Object.values(await columnsOf(namespace)).flat());
    const free = Array.from({ length: 10 }, (_, i) => `Keyword${String(i + 1).padStart(2, '0')}`).find(
      (column) => !taken.has(column),
    );
    if (!free) throw new Error('no free keyword column');
    await connection.workflowService.updateNamespace({
      namespace,
      config: { customSearchAttributeAliases: { [free]: PLAN_ID.name } },
    });
    const doubled = (await columnsOf(namespace))[PLAN_ID.name] ?? [];
    expect(doubled).toHaveLength(2);

    expect(await ensureSearchAttributes(connection, namespace)).toEqual([]);

    await expectAllRegisteredOnce(namespace);
    expect((await columnsOf(namespace))[PLAN_ID.name]).toEqual([doubled.sort()[0]]);
  });

  it('refuses a namespace where an attribute exists with another type, naming it', async () => {
    const namespace = await registeredNamespace();
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: { [ORDER_NUMBER.name]: IndexedValueType.INDEXED_VALUE_TYPE_TEXT },
    });
    await expect(ensureSearchAttributes(connection, namespace)).rejects.toThrow(
      `${ORDER_NUMBER.name} (expected KEYWORD)`,
    );
  });
});
