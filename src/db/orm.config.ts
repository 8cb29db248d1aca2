import { Migrator } from '@mikro-orm/migrations';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { ALL_ENTITIES } from '../domain/entities/index.ts';
import { MIGRATIONS } from './migrations/index.ts';

/** One ORM configuration for the server, the worker, the seed and the tests. */
export function ormOptions(databaseUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl: databaseUrl,
    entities: ALL_ENTITIES,
    extensions: [Migrator],
    // Migrations are listed explicitly (no file globbing), so they load the same in every runtime.
    migrations: {
      migrationsList: MIGRATIONS,
      path: new URL('./migrations', import.meta.url).pathname,
      emit: 'ts',
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      silent: true,
    },
    pool: { min: 0, max: Number(process.env.DATABASE_POOL_MAX ?? 10) },
    // Every request and activity forks its own EntityManager; the global one must never be used.
    allowGlobalContext: false,
    ...overrides,
  });
}

export function openOrm(databaseUrl: string, overrides: Partial<Options> = {}): Promise<MikroORM> {
  return MikroORM.init(ormOptions(databaseUrl, overrides));
}
