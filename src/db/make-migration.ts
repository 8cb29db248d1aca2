/**
 * Developer tool: writes a migration for the difference between the entities
 * and the committed migrations. Runs them on a scratch database first, then
 * asks the MikroORM migrator for the diff. Usage: npm run migration:create
 */
import pg from 'pg';
import { ensureDatabase } from './database.ts';
import { openOrm } from './orm.config.ts';

const base = process.env.DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const scratch = new URL(base);
scratch.pathname = `/yanbao_migration_scratch_${process.pid}`;
await ensureDatabase(scratch.toString());
const orm = await openOrm(scratch.toString());
try {
  const migrator = orm.getMigrator();
  await migrator.up();
  const result = await migrator.createMigration();
  console.log(
    result.fileName ? `wrote ${result.fileName}; add it to src/db/migrations/index.ts` : 'no changes',
  );
} finally {
  await orm.close();
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`drop database if exists "${scratch.pathname.slice(1)}"`);
  await admin.end();
}
