/**
 * The clause library's text search (`GET /clauses?q=`, the editors' picker and
 * the admin's list) on the P3 library: 100,000 clauses (test/helpers/clause-library.ts).
 * Times one page of 30 and its total, as the routes ask for them, on the real
 * database:
 *
 *   after     findClauses (src/services/clause-library.ts): candidates narrowed through
 *             clause_search_index (trigrams) or the Chinese bigram tokens of
 *             clause_match_index, then checked column by column;
 *   baseline  the same column-by-column ILIKE without the narrowing: what the
 *             search cost before the indexes, every active clause read.
 *
 * Both run in the same process, alternating, and must give the same total and
 * the same page for every query.
 *
 *   node bench/clause-search.ts [--clauses=100000] [--rounds=5]
 *
 * or BENCH_CLAUSES / BENCH_ROUNDS; PostgreSQL from BENCH_DATABASE_ADMIN_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres). No Temporal needed.
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ensureDatabase } from '../src/db/database.ts';
import { openOrm } from '../src/db/orm.config.ts';
import { migrateAndSeed } from '../src/db/prepare.ts';
import { Clause } from '../src/domain/entities/index.ts';
import { findClauses } from '../src/services/clause-library.ts';
import { growClauseLibrary } from '../test/helpers/clause-library.ts';
import { fixed, machineFacts, numberOption, percentile, printFacts, printTable } from './measure.ts';
import { ADMIN_DATABASE_URL, databaseUrl, dropDatabase } from './support.ts';

const CLAUSES = Math.max(100, Math.round(numberOption('clauses', 'BENCH_CLAUSES', 100_000)));
const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 5)));
const PAGE = 30;
/** Chinese and English, common and rare, a single letter, and text that is nowhere. */
const QUERIES = ['屏幕', '电池', '意外', '压缩机', 'screen', 'water', 'compressor', 'e', '不存在的条款'];
const CATEGORIES = [undefined, 'smartphone'] as const;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const name = `yanbao_bench_search_${process.pid}_${randomBytes(4).toString('hex')}`;
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: dropping the scratch database`);
    void dropDatabase(name).finally(() => process.exit(130));
  });

await ensureDatabase(databaseUrl(name));
const orm = await openOrm(databaseUrl(name), { pool: { min: 1, max: 4 } });
const rows: (string | number)[][] = [];
const ratios: number[] = [];
const afterAll: number[] = [];
try {
  log(`${name}: ${CLAUSES.toLocaleString()} clauses`);
  const seedStarted = performance.now();
  await migrateAndSeed(orm);
  await growClauseLibrary(orm, CLAUSES, Math.round(CLAUSES / 10));
  log(`seeded in ${fixed((performance.now() - seedStarted) / 1000)} s`);

  const baseline = (q: string, category: (typeof CATEGORIES)[number]) => {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    return orm.em.fork().findAndCount(
      Clause,
      {
        status: 'active',
        ...(category ? { categories: { $contains: [category] } } : {}),
        $or: (['titleZh', 'titleEn', 'bodyZh', 'bodyEn'] as const).map((c) => ({ [c]: { $ilike: pattern } })),
      },
      { orderBy: { coverageType: 'asc', key: 'asc' }, limit: PAGE, offset: 0 },
    );
  };
  const after = (q: string, category: (typeof CATEGORIES)[number]) =>
    findClauses(orm.em.fork(), { q, category, limit: PAGE, offset: 0 }, 'active', { alsoKey: false });
  const timed = async <T>(work: () => Promise<T>) => {
    const started = performance.now();
    const value = await work();
    return { ms: performance.now() - started, value };
  };
  const answer = ([items, total]: [{ id: string }[], number]) => ({ total, ids: items.map((c) => c.id) });

  for (const q of QUERIES) {
    for (const category of CATEGORIES) {
      await after(q, category); // warm-up: plans and caches
      const before: number[] = [];
      const now: number[] = [];
      let total = 0;
      for (let round = 0; round < ROUNDS; round++) {
        const b = await timed(() => baseline(q, category));
        const a = await timed(() => after(q, category));
        if (!isDeepStrictEqual(answer(b.value), answer(a.value)))
          throw new Error(`"${q}" (${category ?? 'all'}): the answers differ`);
        before.push(b.ms);
        now.push(a.ms);
        total = a.value[1];
      }
      const ratio = percentile(before, 50) / percentile(now, 50);
      ratios.push(ratio);
      afterAll.push(...now);
      rows.push([
        q,
        category ?? 'all',
        total.toLocaleString(),
        fixed(percentile(before, 50)),
        fixed(percentile(now, 50)),
        `${fixed(ratio)}×`,
      ]);
    }
  }
} finally {
  await orm.close();
  await dropDatabase(name);
}

printFacts('Machine', [
  ...machineFacts(),
  ['PostgreSQL', ADMIN_DATABASE_URL.replace(/\/\/[^@]*@/, '//')],
  ['library', `${CLAUSES.toLocaleString()} clauses; a page of ${PAGE} and its total per request`],
  ['rounds', `${ROUNDS} per query, baseline and after alternating; medians`],
]);
console.log('\nClause search per request, ms (baseline = the column-by-column ILIKE without the indexes)');
printTable(['q', 'category', 'matches', 'baseline p50', 'after p50', 'speed-up'], rows);
console.log(
  `\nMedian speed-up ${fixed(percentile(ratios, 50))}× (lowest ${fixed(Math.min(...ratios))}×); ` +
    `after, all requests: p50 ${fixed(percentile(afterAll, 50))} ms, p95 ${fixed(percentile(afterAll, 95))} ms`,
);
