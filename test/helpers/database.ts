import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { openOrm } from '../../src/db/orm.config.ts';

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
