import type { MikroORM } from '@mikro-orm/postgresql';
import { seedLibrary } from './seed/seed-library.ts';

/** Brings a database to the current schema and seeds the library. Safe to run on every start. */
export async function migrateAndSeed(orm: MikroORM): Promise<{ clauses: number; cases: number }> {
  await orm.getMigrator().up();
  return seedLibrary(orm.em.fork());
}
