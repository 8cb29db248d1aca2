/**
 * Issue 5, P3: clause matching for a plan draft with 100,000 library clauses
 * and 10,000 published plans, p95 under 25 ms. This script seeds that library
 * into a scratch database (migrated and seeded like production, then grown
 * set-based with generate_series), and times what the plan-creation
 * workflow's matching step costs, as a function call on the real database:
 *
 *   after   matchDraft (src/services/clause-matching.ts): candidates picked in
 *           SQL through clause_match_index and the stored match_lexemes;
 *   before  the in-memory approach it replaced (test/helpers/matching-reference.ts):
 *           every case and active clause of the category loaded and scored.
 *
 * Both run in the same process on the same database, drafts interleaved, and
 * their answers are compared draft by draft (they must be identical). The
 * "after" percentiles come from --iterations runs alone that follow: right
 * after a "before" (a whole category allocated in this process) an "after" pays
 * for the collection of that garbage, so those are printed apart.
 *
 *   node bench/clause-matching.ts [--clauses=100000] [--plans=10000] [--scales=1,0.1,0.01]
 *                                 [--drafts=100] [--iterations=300] [--baseline-iterations=20]
 *
 * or BENCH_CLAUSES / BENCH_PLANS / BENCH_SCALES / BENCH_DRAFTS / BENCH_ITERATIONS /
 * BENCH_BASELINE_ITERATIONS; PostgreSQL from BENCH_DATABASE_ADMIN_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres). No Temporal needed.
 *
 * The library and the drafts are described in test/helpers/clause-library.ts
 * (the integration test grows a smaller one the same way).
 */
import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { ensureDatabase } from '../src/db/database.ts';
import { openOrm } from '../src/db/orm.config.ts';
import { migrateAndSeed } from '../src/db/prepare.ts';
import { PRODUCT_CATEGORIES } from '../src/domain/catalog.ts';
import type { DraftProfile } from '../src/domain/matching.ts';
import type { MatchingResult } from '../src/domain/plan-draft.ts';
import { matchDraft } from '../src/services/clause-matching.ts';
import { growClauseLibrary, makeDrafts } from '../test/helpers/clause-library.ts';
import { matchInMemory } from '../test/helpers/matching-reference.ts';
import {
  CpuMeter,
  fixed,
  machineFacts,
  numberListOption,
  numberOption,
  percentile,
  printFacts,
  printTable,
} from './measure.ts';
import { ADMIN_DATABASE_URL, databaseUrl, dropDatabase } from './support.ts';

const CLAUSES = Math.max(100, Math.round(numberOption('clauses', 'BENCH_CLAUSES', 100_000)));
const PLANS = Math.max(10, Math.round(numberOption('plans', 'BENCH_PLANS', 10_000)));
const SCALES = numberListOption('scales', 'BENCH_SCALES', [1], (s) => s > 0 && s <= 10);
const DRAFTS = Math.max(1, Math.round(numberOption('drafts', 'BENCH_DRAFTS', 100)));
const ITERATIONS = Math.max(10, Math.round(numberOption('iterations', 'BENCH_ITERATIONS', 300)));
const BASELINE_ITERATIONS = Math.max(
  1,
  Math.round(numberOption('baseline-iterations', 'BENCH_BASELINE_ITERATIONS', 20)),
);
const TARGET_P95_MS = 25;
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

interface Figures {
  clauses: number;
  activeInCategory: number;
  plans: number;
  seedSeconds: number;
  /** CPU ms per "after" matching: this process, and the database's backends. */
  cpuPerDraft: { node: number; postgres: number };
  /** "After" run alone: the judged figures. */
  after: number[];
  /** "After" interleaved with "before", which allocates a whole category in this process just before. */
  afterBeside: number[];
  before: number[];
  compared: number;
  identical: number;
}

const summary = (times: number[]) => [percentile(times, 50), percentile(times, 95), percentile(times, 99)];

/** One fresh database at one size: seed, warm up, time both approaches, compare their answers. */
async function runAt(clauses: number, plans: number, drop: { name: string | null }): Promise<Figures> {
  const name = `yanbao_bench_p3_${process.pid}_${randomBytes(4).toString('hex')}`;
  drop.name = name;
  log(`${name}: ${clauses.toLocaleString()} clauses, ${plans.toLocaleString()} plans`);
  await ensureDatabase(databaseUrl(name));
  const orm = await openOrm(databaseUrl(name), { pool: { min: 1, max: 4 } });
  try {
    const seedStarted = performance.now();
    await migrateAndSeed(orm);
    await growClauseLibrary(orm, clauses, plans);
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    const [counts] = await orm.em.fork().execute<{ clauses: string; plans: string; per_category: string }[]>(
      `select (select count(*) from clause) as clauses, (select count(*) from plan_case) as plans,
              (select count(*) / ${PRODUCT_CATEGORIES.length} from clause, unnest(categories)
                where status = 'active') as per_category`,
    );
    log(`seeded in ${fixed(seedSeconds)} s`);

    const drafts = makeDrafts(DRAFTS);
    const after = (draft: DraftProfile) => timed(() => matchDraft(orm.em.fork(), draft));
    const before = (draft: DraftProfile) => timed(() => matchInMemory(orm.em.fork(), draft));
    // Warm-up: connections, plans, caches; JIT of both code paths.
    for (const draft of drafts.slice(0, 10)) await after(draft);
    for (const draft of drafts.slice(0, 2)) await before(draft);

    const afterTimes: number[] = [];
    const afterBesideTimes: number[] = [];
    const beforeTimes: number[] = [];
    let identical = 0;
    const mismatches: string[] = [];
    // Interleaved, so drift on a shared machine hits both; answers compared draft by draft.
    for (let i = 0; i < BASELINE_ITERATIONS; i++) {
      const draft = drafts[i % drafts.length] as DraftProfile;
      const reference = await before(draft);
      const fast = await after(draft);
      beforeTimes.push(reference.ms);
      afterBesideTimes.push(fast.ms);
      if (isDeepStrictEqual(reference.value, fast.value)) identical++;
      else if (mismatches.length < 3) mismatches.push(describeMismatch(draft, reference.value, fast.value));
    }
    // The rest, "after" only, with the CPU it costs here and in PostgreSQL: on a busy machine the
    // wall-clock times include waiting for a core, the CPU times do not.
    const backends = new CpuMeter(async () =>
      (
        await orm.em
          .fork()
          .execute<{ pid: number }[]>('select pid from pg_stat_activity where datname = current_database()')
      ).map((r) => r.pid),
    );
    await backends.begin();
    const nodeCpuBefore = process.cpuUsage();
    const alone = ITERATIONS;
    for (let i = BASELINE_ITERATIONS; i < BASELINE_ITERATIONS + alone; i++)
      afterTimes.push((await after(drafts[i % drafts.length] as DraftProfile)).ms);
    const nodeCpu = process.cpuUsage(nodeCpuBefore);
    const cpuPerDraft = {
      node: (nodeCpu.user + nodeCpu.system) / 1000 / Math.max(1, alone),
      postgres: (await backends.end()) / Math.max(1, alone),
    };
    for (const m of mismatches) log(`MISMATCH ${m}`);

    return {
      clauses: Number(counts?.clauses),
      activeInCategory: Number(counts?.per_category),
      plans: Number(counts?.plans),
      seedSeconds,
      cpuPerDraft,
      after: afterTimes,
      afterBeside: afterBesideTimes,
      before: beforeTimes,
      compared: BASELINE_ITERATIONS,
      identical,
    };
  } finally {
    await orm.close();
    await dropDatabase(name);
    drop.name = null;
  }
}

function describeMismatch(draft: DraftProfile, reference: MatchingResult, fast: MatchingResult): string {
  const keys = (r: MatchingResult) => r.clauses.map((c) => `${c.key}:${c.score}`).join(',');
  return `${draft.category} "${draft.text}"\n  before ${keys(reference)}\n  after  ${keys(fast)}`;
}

const drop: { name: string | null } = { name: null };
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    log(`${signal}: dropping the scratch database`);
    void (drop.name ? dropDatabase(drop.name) : Promise.resolve()).finally(() => process.exit(130));
  });

const results: { scale: number; figures: Figures }[] = [];
for (const scale of [...SCALES].sort((a, b) => b - a)) {
  const figures = await runAt(Math.round(CLAUSES * scale), Math.round(PLANS * scale), drop);
  results.push({ scale, figures });
}

printFacts('Machine', [
  ...machineFacts(),
  ['PostgreSQL', ADMIN_DATABASE_URL.replace(/\/\/[^@]*@/, '//')],
  ['drafts', `${DRAFTS} generated (seeded PRNG), used round-robin`],
  [
    'iterations',
    `${BASELINE_ITERATIONS} before, each followed by one after (answers compared); then ${ITERATIONS} after alone (the after percentiles)`,
  ],
]);

console.log(
  `\nClause matching per draft, ms (after = matchDraft in SQL, before = load the category and score in memory)`,
);
printTable(
  [
    'scale',
    'clauses',
    'active per category',
    'plans',
    'after p50',
    'p95',
    'p99',
    'after p95 beside before',
    'before p50',
    'p95',
    'p99',
    'p50 speed-up',
    'identical',
    `p95 < ${TARGET_P95_MS} ms`,
  ],
  results.map(({ scale, figures: f }) => {
    const [a50, a95, a99] = summary(f.after) as [number, number, number];
    const [b50, b95, b99] = summary(f.before) as [number, number, number];
    return [
      `${scale}×`,
      f.clauses.toLocaleString(),
      f.activeInCategory.toLocaleString(),
      f.plans.toLocaleString(),
      fixed(a50),
      fixed(a95),
      fixed(a99),
      fixed(percentile(f.afterBeside, 95)),
      fixed(b50),
      fixed(b95),
      fixed(b99),
      `${fixed(b50 / a50)}×`,
      `${f.identical}/${f.compared}`,
      a95 < TARGET_P95_MS ? 'yes' : 'NO',
    ];
  }),
);
console.log(
  '\nCPU per draft (after, the iterations run alone) and seeding (set-based inserts, then vacuum analyze)',
);
printTable(
  ['scale', 'node ms', 'PostgreSQL ms', 'seed s'],
  results.map(({ scale, figures: f }) => [
    `${scale}×`,
    fixed(f.cpuPerDraft.node),
    fixed(f.cpuPerDraft.postgres),
    fixed(f.seedSeconds),
  ]),
);
if (results.some(({ figures: f }) => f.identical !== f.compared)) process.exitCode = 1;
