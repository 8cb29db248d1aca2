/** Migrates the database at DATABASE_URL and seeds the clause library (used by docker-compose). */
import { loadConfig } from './config.ts';
import { ensureDatabase } from './db/database.ts';
import { openOrm } from './db/orm.config.ts';
import { migrateAndSeed } from './db/prepare.ts';

const config = loadConfig();
await ensureDatabase(config.databaseUrl);
const orm = await openOrm(config.databaseUrl, { pool: { min: 0, max: 1 } });
const library = await migrateAndSeed(orm);
await orm.close();
console.log(`migrated; library holds ${library.clauses} clauses and ${library.cases} cases`);
