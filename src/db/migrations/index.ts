import { Migration20261125145831 } from './Migration20261125145831.ts';

/** Every migration, oldest first. `npm run migration:create` writes new ones; list them here. */
export const MIGRATIONS = [{ name: 'Migration20261125145831', class: Migration20261125145831 }];
