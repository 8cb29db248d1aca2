/** /health and /ready against the real PostgreSQL and Temporal; /ready refuses when migrations are behind or the database is gone. */
import { randomUUID } from 'node:crypto';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { openOrm } from '../../src/db/orm.config.ts';
import { isOutage } from '../../src/domain/errors.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe('health and readiness', () => {
  it('/health answers ok without auth, never cached', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('/ready answers ok when PostgreSQL, Temporal and the migrations are all fine', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/ready' });
    expect(res.json()).toEqual({
      status: 'ok',
      checks: { database: { ok: true }, temporal: { ok: true }, migrations: { ok: true } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
  });

  it('/ready answers 503 with Retry-After naming the migrations when one is not applied', async () => {
    const conn = h.db.orm.em.fork().getConnection();
    const [last] = await conn.execute<{ name: string }[]>(
      'select name from mikro_orm_migrations order by id desc limit 1',
    );
    await conn.execute('delete from mikro_orm_migrations where name = ?', [last?.name]);
    try {
      const res = await h.app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      const body = res.json();
      expect(body.status).toBe('unavailable');
      expect(body.checks.migrations.ok).toBe(false);
      expect(body.checks.migrations.message).toContain(String(last?.name).replace(/\.ts$/, ''));
      expect(body.checks.database).toEqual({ ok: true });
    } finally {
      await conn.execute('insert into mikro_orm_migrations (name) values (?)', [last?.name]);
    }
  });

  it('/ready answers 503 naming the database when PostgreSQL is unreachable', async () => {
    const orm = await openOrm('postgres://postgres@127.0.0.1:1/nowhere', {
      connect: false,
      pool: { min: 0, max: 1 },
    });
    const app = await buildApp({ ...h.app.deps, orm }, { logger: false });
    try {
      const res = await app.inject({ method: 'GET', url: '/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().checks.database.ok).toBe(false);
      expect(res.json().checks.temporal).toEqual({ ok: true });
    } finally {
      await app.close();
      await orm.close();
    }
  });
});

describe('outages map to 503, never 500', () => {
  it('isOutage recognises a refused PostgreSQL connection and an unreachable Temporal, not a plain bug', async () => {
    const orm = await openOrm('postgres://postgres@127.0.0.1:1/nowhere', {
      connect: false,
      pool: { min: 0, max: 1 },
    });
    const pgError = await orm.em
      .fork()
      .getConnection()
      .execute('select 1')
      .catch((e: unknown) => e);
    await orm.close();
    expect(isOutage(pgError)).toBe(true);
    const client = new Client({ connection: Connection.lazy({ address: '127.0.0.1:1' }) });
    const temporalError = await client.connection
      .withDeadline(Date.now() + 1_000, () => client.workflowService.getSystemInfo({}))
      .catch((e: unknown) => e);
    expect(isOutage(temporalError)).toBe(true);
    expect(isOutage(new Error('boom'))).toBe(false);
    expect(isOutage(new TypeError("cannot read properties of undefined (reading 'x')"))).toBe(false);
  });

  it('isOutage recognises a connection lost at BEGIN or COMMIT, as knex words it', async () => {
    // A TCP hop to PostgreSQL that can drop every connection, or only the one sending BEGIN or COMMIT.
    const target = new URL(h.db.url);
    const sockets = new Set<Socket>();
    let dropOn: 'BEGIN' | 'COMMIT' | null = null;
    const proxy = createServer((client) => {
      const server = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, server]) {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.on('close', () => sockets.delete(socket));
      }
      server.pipe(client);
      client.on('data', (chunk: Buffer) => {
        if (dropOn && chunk.includes(dropOn)) for (const socket of sockets) socket.destroy();
        else server.write(chunk);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxied = new URL(h.db.url);
    proxied.host = `127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const orm = await openOrm(proxied.toString(), { pool: { min: 0, max: 1 } });
    try {
      const failures: unknown[] = [];
      // The connection drops while COMMIT is on its way…
      dropOn = 'COMMIT';
      failures.push(
        await orm.em
          .fork()
          .transactional((tx) => tx.execute('select 1'))
          .catch((e: unknown) => e),
      );
      // …or earlier, and COMMIT is sent on a client that already knows its connection is gone.
      dropOn = null;
      failures.push(
        await orm.em
          .fork()
          .transactional(async (tx) => {
            await tx.execute('select 1');
            for (const socket of sockets) socket.destroy();
            await new Promise((resolve) => setTimeout(resolve, 200));
          })
          .catch((e: unknown) => e),
      );
      // …or at BEGIN: knex ends the transaction, and the callback's first query finds it complete.
      dropOn = 'BEGIN';
      failures.push(
        await orm.em
          .fork()
          .transactional((tx) => tx.execute('select 1'))
          .catch((e: unknown) => e),
      );
      expect(failures.map((e) => (e instanceof Error ? e.message : String(e)))).toEqual([
        'COMMIT; - Connection terminated unexpectedly',
        'COMMIT; - Client has encountered a connection error and is not queryable',
        'Transaction query already complete, run with DEBUG=knex:tx for more info',
      ]);
      for (const failure of failures) expect(isOutage(failure)).toBe(true);
    } finally {
      await orm.close(true).catch(() => {});
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  it('isOutage recognises an Update refused because the workflow task failed (its worker died mid-task)', async () => {
    // A workflow type no worker knows: the worker fails its first task, as a killed worker's task times out.
    const workflowId = `not-ready-${randomUUID()}`;
    const handle = await h.client.workflow.start('NoSuchWorkflow', {
      workflowId,
      taskQueue: h.config.temporal.taskQueue,
    });
    try {
      const history = async () => (await handle.fetchHistory()).events ?? [];
      for (let tries = 0; tries < 100; tries++) {
        if ((await history()).some((e) => e.workflowTaskFailedEventAttributes)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const refused = await h.client.workflow
        .executeUpdateWithStart('register', {
          startWorkflowOperation: new WithStartWorkflowOperation('NoSuchWorkflow', {
            workflowId,
            taskQueue: h.config.temporal.taskQueue,
            workflowIdConflictPolicy: 'USE_EXISTING',
          }),
        })
        .catch((e: unknown) => e);
      expect(String(refused)).toContain('Workflow Task in failed state');
      expect(isOutage(refused)).toBe(true);
    } finally {
      await handle.terminate();
    }
  });

  it('the error handler answers an outage with 503 service_unavailable and Retry-After', async () => {
    const app = await buildApp(h.app.deps, { logger: false });
    app.get('/boom', async () => {
      await h.db.orm.em.fork().getConnection().execute('select pg_terminate_backend(pg_backend_pid())');
    });
    try {
      const res = await app.inject({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error).toBe('service_unavailable');
    } finally {
      await app.close();
    }
  });
});
