/**
 * Issue 14 §5: the navigation's to-do counts and the service desk's searches must stay cheap over a large
 * claim table. This seeds claims into a scratch database (set-based, foreign keys not enforced while
 * loading: only the claim table is read) and times what the API runs (todoCounts and deskQueueQuery
 * in src/services/claim-view.ts, a page and its total), then the same calls with index scans disabled as the baseline.
 *
 *   node bench/claim-desk.ts [--claims=1000000] [--rounds=5]
 *
 * The data: 90 % of the claims belong to the manufacturer measured, filed over the last 730 days; 3 % of
 * them are waiting (submitted or accepted), a third of those past their SLA; phones spread so any last
 * four digits match about 100 claims.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import pg from 'pg';
import { loadConfig } from '../src/config.ts';
import { openOrm } from '../src/db/orm.config.ts';
import { migrateAndSeed } from '../src/db/prepare.ts';
import { type DeskSearch, deskQueueQuery, todoCounts } from '../src/services/claim-view.ts';
import { fixed, numberOption, percentile, printTable } from './measure.ts';
import { ADMIN_DATABASE_URL, databaseUrl, dropDatabase } from './support.ts';

const CLAIMS = Math.max(10_000, Math.round(numberOption('claims', 'BENCH_CLAIMS', 1_000_000)));
const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 5)));
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const name = `yanbao_bench_claims_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
await admin.connect();
await admin.query(`create database "${name}"`);
await admin.end();
// One connection, so the baseline's SET applies to every query.
const orm = await openOrm(databaseUrl(name), { pool: { min: 1, max: 1 } });
try {
  await migrateAndSeed(orm);
  const manufacturerId = randomUUID();
  const otherId = randomUUID();
  log(`seeding ${CLAIMS} claims`);
  const em = orm.em.fork() as EntityManager;
  await em.getConnection().execute('set session_replication_role = replica');
  await em.getConnection().execute(
    `insert into claim (id, created_at, updated_at, claim_number, order_id, manufacturer_id, fault_description,
                        fault_date, contact_phone, coverage_type, status, workflow_id, decided_at)
     select gen_random_uuid(), at, at, 'CL' || upper(lpad(to_hex(i), 16, '0')), gen_random_uuid(),
            case when i % 10 = 0 then ?::uuid else ?::uuid end, 'fault', at::date,
            '+86139' || lpad((i % 100000000)::text, 8, '0'), 'screen',
            case when i % 100 < 2 then 'submitted' when i % 100 < 3 then 'accepted'
                 when i % 100 < 10 then 'rejected' else 'closed' end,
            'claim-' || i,
            case when i % 100 < 2 then null else at + interval '1 day' end
       from (select i, now() - (i % 730) * interval '1 day' - (i % 86400) * interval '1 second' as at
               from generate_series(1, ?) as i) s`,
    [otherId, manufacturerId, CLAIMS],
  );
  await em.getConnection().execute('set session_replication_role = origin');
  await em.getConnection().execute('analyze claim');
  const sla = loadConfig({}).claims;
  const member = { manufacturerId, userId: randomUUID(), reviews: true };
  const page = async (search: DeskSearch) =>
    (await deskQueueQuery(orm.em.fork(), manufacturerId, sla, search, new Date())).query.getResultAndCount();
  const cases: [string, () => Promise<unknown>][] = [
    ['to-do counts', () => todoCounts(orm.em.fork(), sla, member)],
    ['overdue page', () => page({ overdue: true, limit: 50, offset: 0 })],
    ['submitted page', () => page({ status: 'submitted', limit: 50, offset: 0 })],
    ['phone last 4', () => page({ q: '4321', limit: 50, offset: 0 })],
    ['claim number', () => page({ q: 'CL0000000000000100', limit: 50, offset: 0 })],
  ];
  const time = async (work: () => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now();
      await work();
      samples.push(performance.now() - started);
    }
    return percentile(samples, 50);
  };
  const rows: string[][] = [];
  for (const [label, work] of cases) {
    await work();
    const indexed = await time(work);
    await orm.em.getConnection().execute('set enable_indexscan = off');
    await orm.em.getConnection().execute('set enable_bitmapscan = off');
    await orm.em.getConnection().execute('set enable_indexonlyscan = off');
    const baseline = await time(work);
    await orm.em.getConnection().execute('reset all');
    rows.push([label, fixed(indexed, 1), fixed(baseline, 1), fixed(baseline / indexed, 0)]);
  }
  printTable(['query', 'median ms (indexes)', 'median ms (no index scans)', 'ratio'], rows);
} finally {
  await orm.close();
  await dropDatabase(name);
}
