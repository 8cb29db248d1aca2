/**
 * The migrated, seeded template database every test file clones its own
 * database from (createTestDatabase). The integration tier's globalSetup
 * makes one next to Temporal; this file is also a globalSetup on its own, for
 * the services tier, which needs PostgreSQL and no Temporal.
 */
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { ensureDatabase } from '../../src/db/database.ts';
import { openOrm } from '../../src/db/orm.config.ts';
import { migrateAndSeed } from '../../src/db/prepare.ts';
import { ADMIN_DATABASE_URL, databaseUrl } from './database.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

/** Creates, migrates and seeds the template; answers how to drop it. */
export async function createTemplateDatabase(name: string): Promise<() => Promise<void>> {
  const drop = async () => {
    const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
    await admin.connect();
    await admin.query(`drop database if exists "${name}" with (force)`);
    await admin.end();
  };
  try {
    await ensureDatabase(databaseUrl(name));
    const orm = await openOrm(databaseUrl(name));
    await migrateAndSeed(orm);
    await orm.close();
  } catch (err) {
    await drop();
    throw err;
  }
  return drop;
}

export default async function setup(project: TestProject) {
  // Its own name: the integration tier's template may exist at the same time in the same process.
  const name = `yanbao_test_template_services_${process.pid}`;
  const drop = await createTemplateDatabase(name);
  project.provide('templateDatabase', name);
  return drop;
}
