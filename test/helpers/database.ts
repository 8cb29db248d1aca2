import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { ensureDatabase } from '../../src/db/database.ts';
import { openOrm } from '../../src/db/orm.config.ts';
import { migrateAndSeed } from '../../src/db/prepare.ts';

/** Tests use the machine's real PostgreSQL server; each test file gets its own database. */
export const ADMIN_DATABASE_URL =
  process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function databaseUrl(name: string): string {
  const url = new URL(ADMIN_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * The migrated, seeded database each test file's database is cloned from
 * (a globalSetup makes it once per run); `drop` removes it at the end. Each
 * tier names its own, since one run may set up several tiers at once.
 */
export async function createTemplateDatabase(tier: string): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `yanbao_test_template_${tier}_${process.pid}`;
  const drop = () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => {});
  try {
    await ensureDatabase(databaseUrl(name));
    const orm = await openOrm(databaseUrl(name));
    await migrateAndSeed(orm);
    await orm.close();
  } catch (err) {
    await drop();
    throw err;
  }
  return { name, drop };
}

export interface TestDatabase {
  url: string;
  orm: MikroORM;
  drop(): Promise<void>;
}

/** A fresh database cloned from the migrated, seeded template. */
export async function createTestDatabase(template: string): Promise<TestDatabase> {
  const name = `yanbao_test_${randomBytes(6).toString('hex')}`;
  // Two files cloning at the same instant can collide on the template; try again briefly.
  for (let attempt = 1; ; attempt++) {
    try {
      await admin((c) => c.query(`create database "${name}" template "${template}"`));
      break;
    } catch (err) {
      if (attempt >= 10 || !String(err).includes('is being accessed by other users')) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
  const url = databaseUrl(name);
  const orm = await openOrm(url, { pool: { min: 0, max: 5 } });
  return {
    url,
    orm,
    async drop() {
      await orm.close();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`));
    },
  };
}

/** Rows and a cheap content checksum of one table, to prove a request changed nothing. */
export interface TableState {
  rows: number;
  checksum: string;
}

/**
 * Every table of the public schema (or the ones named) as row count plus the
 * sum of hashtext over each row's text: any insert, delete or changed value
 * shows up as a different state.
 */
export async function snapshotTables(
  orm: MikroORM,
  only?: readonly string[],
): Promise<Record<string, TableState>> {
  const em = orm.em.fork();
  const tables: string[] =
    only?.slice() ??
    (
      await em.execute<{ name: string }[]>(
        `select table_name as name from information_schema.tables
          where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
      )
    ).map((t) => t.name);
  const state: Record<string, TableState> = {};
  for (const table of tables) {
    const [row] = await em.execute<{ rows: number; checksum: string }[]>(
      `select count(*)::int as rows, coalesce(sum(hashtext(t::text)::bigint), 0)::text as checksum from "${table}" t`,
    );
    state[table] = { rows: row?.rows ?? 0, checksum: row?.checksum ?? '0' };
  }
  return state;
}

/** The tables whose state differs between two snapshots, with before → after. */
export function changedTables(
  before: Record<string, TableState>,
  after: Record<string, TableState>,
): Record<string, { before?: TableState; after?: TableState }> {
  const changed: Record<string, { before?: TableState; after?: TableState }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const [b, a] = [before[table], after[table]];
    if (b?.rows !== a?.rows || b?.checksum !== a?.checksum) changed[table] = { before: b, after: a };
  }
  return changed;
}
