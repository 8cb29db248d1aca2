import { Migration20261125145831 } from './Migration20261125145831.ts';
import { Migration20261125152740 } from './Migration20261125152740.ts';
import { Migration20261125160602 } from './Migration20261125160602.ts';
import { Migration20261125175120 } from './Migration20261125175120.ts';
import { Migration20261125180056 } from './Migration20261125180056.ts';
import { Migration20261125220000 } from './Migration20261125220000.ts';
import { Migration20261126010000 } from './Migration20261126010000.ts';
import { Migration20261203110000 } from './Migration20261203110000.ts';
import { Migration20261203130000 } from './Migration20261203130000.ts';
import { Migration20261203140000 } from './Migration20261203140000.ts';
import { Migration20261203150000 } from './Migration20261203150000.ts';
import { Migration20261203160000 } from './Migration20261203160000.ts';
import { Migration20261204100000 } from './Migration20261204100000.ts';
import { Migration20261205100000 } from './Migration20261205100000.ts';
import { Migration20261205110000 } from './Migration20261205110000.ts';
import { Migration20261206100000 } from './Migration20261206100000.ts';
import { Migration20261206110000 } from './Migration20261206110000.ts';
import { Migration20261206120000 } from './Migration20261206120000.ts';

/** Every migration, oldest first. `npm run migration:create` writes new ones; list them here. */
export const MIGRATIONS = [
  { name: 'Migration20261125145831', class: Migration20261125145831 },
  { name: 'Migration20261125152740', class: Migration20261125152740 },
  { name: 'Migration20261125160602', class: Migration20261125160602 },
  { name: 'Migration20261125175120', class: Migration20261125175120 },
  { name: 'Migration20261125180056', class: Migration20261125180056 },
  { name: 'Migration20261125220000', class: Migration20261125220000 },
  { name: 'Migration20261126010000', class: Migration20261126010000 },
  { name: 'Migration20261203110000', class: Migration20261203110000 },
  { name: 'Migration20261203130000', class: Migration20261203130000 },
  { name: 'Migration20261203140000', class: Migration20261203140000 },
  { name: 'Migration20261203150000', class: Migration20261203150000 },
  { name: 'Migration20261203160000', class: Migration20261203160000 },
  { name: 'Migration20261204100000', class: Migration20261204100000 },
  { name: 'Migration20261205100000', class: Migration20261205100000 },
  { name: 'Migration20261205110000', class: Migration20261205110000 },
  { name: 'Migration20261206100000', class: Migration20261206100000 },
  { name: 'Migration20261206110000', class: Migration20261206110000 },
  { name: 'Migration20261206120000', class: Migration20261206120000 },
];
