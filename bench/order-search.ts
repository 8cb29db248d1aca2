/**
 * Issue 14 §1: the manufacturer's order list and searches must stay fast over
 * a million orders. This script seeds that volume into a scratch database and
 * explains every filter and search with EXPLAIN (ANALYZE), using the very
 * query the API runs (orderSearchQuery / cancellationSearchQuery in
 * src/services/order-search.ts), and checks each plan reads purchase_order
 * (and cancellation) through an index, never a sequential scan.
 *
 * Baseline, same run, same data: the same query with index and bitmap scans
 * disabled (SET LOCAL enable_indexscan/enable_bitmapscan/enable_indexonlyscan
 * = off), i.e. what it costs without the indexes; and, for scale, a lookup by
 * primary key.
 *
 *   node bench/order-search.ts [--orders=1000000] [--rounds=5] [--baseline-rounds=2]
 *
 * or BENCH_ORDERS / BENCH_ROUNDS / BENCH_BASELINE_ROUNDS. TEMPORAL_CLI_PATH must
 * point at the Temporal CLI (the plans are published through the real workflow).
 *
 * The data (generate_series, set-based): 90 % of the orders belong to the
 * manufacturer searched, on two plans of two products, paid over the last 730
 * days; the rest to a second manufacturer. 8 %
 * never paid, 3 % cancelled (with a cancellation row), 0.5 % ended. Names are
 * one of 20 common surnames and a numbered given name; serials and order
 * numbers unique; phones spread so any last 4 digits match about 100 orders.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { addDays, chinaDate } from '../src/domain/coverage.ts';
import {
  type CancellationSearch,
  cancellationSearchQuery,
  encodeCursor,
  type OrderSearch,
  orderSearchQuery,
} from '../src/services/order-search.ts';
import { fixed, machineFacts, numberOption, percentile, printFacts, printTable } from './measure.ts';
import { type BenchPlan, publishBenchPlan, startBenchSystem, stopOnSignals } from './support.ts';

const ORDERS = Math.max(10_000, Math.round(numberOption('orders', 'BENCH_ORDERS', 1_000_000)));
const ROUNDS = Math.max(1, Math.round(numberOption('rounds', 'BENCH_ROUNDS', 5)));
const BASELINE_ROUNDS = Math.max(1, Math.round(numberOption('baseline-rounds', 'BENCH_BASELINE_ROUNDS', 2)));
const DAYS = 730;
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** A second plan of the same manufacturer on a second product: copies of the product, draft, plan and version rows. */
async function clonePlan(orm: MikroORM, plan: BenchPlan): Promise<{ planId: string; productId: string }> {
  const [productId, draftId, planId, versionId] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
  const code = randomBytes(8).toString('hex').slice(0, 10);
  await orm.em.fork().transactional(async (tx) => {
    for (const [text, params] of [
      ['create temp table p on commit drop as select * from main_product where id = ?', [plan.productId]],
      ["update p set id = ?, model = model || '-PRO'", [productId]],
      ['insert into main_product select * from p', []],
      [
        'create temp table d on commit drop as select * from plan_draft where id = (select draft_id from plan where id = ?)',
        [plan.planId],
      ],
      ["update d set id = ?, product_id = ?, workflow_id = workflow_id || '-2'", [draftId, productId]],
      ['insert into plan_draft select * from d', []],
      ['create temp table pl on commit drop as select * from plan where id = ?', [plan.planId]],
      ['update pl set id = ?, draft_id = ?, product_id = ?, code = ?', [planId, draftId, productId, code]],
      ['insert into plan select * from pl', []],
      ['create temp table v on commit drop as select * from plan_version where plan_id = ?', [plan.planId]],
      ['update v set id = ?, plan_id = ?', [versionId, planId]],
      ['insert into plan_version select * from v', []],
    ] as [string, unknown[]][])
      await tx.execute(text, params);
  });
  return { planId, productId };
}

/** Orders g = from…to of one manufacturer, spread over the last DAYS days (millisecond timestamps, as the app writes). */
async function seedOrders(em: EntityManager, plans: { planId: string }[], from: number, to: number) {
  await em.execute(
    `create temp table if not exists bench_plan (k int, plan_id uuid, version_id uuid, product_id uuid, price_fen int)`,
  );
  await em.execute('truncate bench_plan');
  for (const [k, p] of plans.entries())
    await em.execute(
      `insert into bench_plan select ?, p.id, v.id, p.product_id, v.price_fen from plan p join plan_version v on v.plan_id = p.id where p.id = ?`,
      [k, p.planId],
    );
  await em.execute(`
    insert into purchase_order (id, created_at, updated_at, order_number, idempotency_key, manufacturer_id, plan_id,
      plan_version_id, product_id, consumer_name, consumer_phone, serial_number, product_purchase_date,
      product_retail_price_fen, product_currency, product_base_warranty_months, product_serial_pattern,
      payment_provider, amount_fen, currency, status, coverage_start, coverage_end, paid_at, expired_at,
      cancelled_at, ended_at)
    select gen_random_uuid(), t.created, t.created, 'YB' || upper(substr(md5(g::text), 1, 14)), md5('a' || g) || md5('b' || g),
           pl.manufacturer_id, p.plan_id, p.version_id, p.product_id,
           substr('${SURNAMES}', (g % 20)::int + 1, 1) || '客' || (g % 5000),
           '+86139' || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0'),
           'XH' || lpad(g::text, 10, '0'), (t.created at time zone 'UTC')::date - 10,
           mp.retail_price_fen, mp.currency, mp.base_warranty_months, mp.serial_pattern, 'sandbox', p.price_fen, 'CNY',
           s.status,
           case when s.status <> 'expired' then (t.created at time zone 'UTC')::date + 355 end,
           case when s.status <> 'expired' then (t.created at time zone 'UTC')::date + 1085 end,
           case when s.status <> 'expired' then date_trunc('milliseconds', t.created + (g % 300) * interval '1 second') end,
           case when s.status = 'expired' then t.created + interval '15 minutes' end,
           case when s.status = 'cancelled' then t.created + interval '2 days' end,
           case when s.status = 'ended' then t.created + interval '60 days' end
      from generate_series(${from}, ${to}) g
     cross join lateral (select date_trunc('milliseconds', now() - interval '3 days' - ${DAYS} * interval '1 day' * random()) as created) t
     cross join lateral (select case when g % 100 < 8 then 'expired' when g % 100 < 11 then 'cancelled'
                                     when g % 1000 < 115 then 'ended' else 'active' end as status) s
      join bench_plan p on p.k = g % ${plans.length}
      join plan pl on pl.id = p.plan_id
      join main_product mp on mp.id = p.product_id`);
  await em.execute(
    `
    insert into cancellation (id, created_at, updated_at, order_id, workflow_id, within_cooling_off, approved_claims_fen, refund_fen, status, refunded_at)
    select gen_random_uuid(), o.cancelled_at - interval '1 minute', o.cancelled_at, o.id, 'cancellation-' || o.order_number,
           true, 0, o.amount_fen, case when o.serial_number like '%00' then 'requested' else 'refunded' end, o.cancelled_at
      from purchase_order o
     where o.status = 'cancelled' and o.serial_number between ? and ?`,
    [`XH${String(from).padStart(10, '0')}`, `XH${String(to).padStart(10, '0')}`],
  );
}

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Every node of a plan, depth first. */
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

async function explain(em: EntityManager, query: string, indexesOff: boolean, params: unknown[] = []) {
  return em.transactional(async (tx) => {
    if (indexesOff)
      for (const setting of ['enable_indexscan', 'enable_bitmapscan', 'enable_indexonlyscan'])
        await tx.execute(`set local ${setting} = off`);
    const [row] = await tx.execute<{ 'QUERY PLAN': { Plan: PlanNode; 'Execution Time': number }[] }[]>(
      `explain (analyze, format json) ${query}`,
      params,
    );
    const result = row?.['QUERY PLAN'][0];
    if (!result) throw new Error('no plan');
    return { ms: result['Execution Time'], nodes: nodesOf(result.Plan) };
  });
}

async function main() {
  printFacts('Machine', machineFacts());
  const system = await startBenchSystem();
  stopOnSignals(system);
  try {
    const { orm } = system;
    const seller = await publishBenchPlan(system);
    const other = await publishBenchPlan(system);
    const second = await clonePlan(orm, seller);
    const em = orm.em.fork();
    const own = Math.round(ORDERS * 0.9);
    const seeded = await timed(async () => {
      await seedOrders(em, [{ planId: seller.planId }, second], 1, own);
      await seedOrders(em, [{ planId: other.planId }], own + 1, ORDERS);
      await em.execute('vacuum analyze purchase_order, cancellation');
    });
    log(`seeded ${ORDERS.toLocaleString('en')} orders in ${fixed(seeded.ms / 1000)} s`);
    const [facts] = await em.execute<Record<string, string>[]>(`
      select (select count(*) from purchase_order) as orders,
             (select count(*) from purchase_order where paid_at is not null) as paid,
             (select count(*) from cancellation) as cancellations,
             pg_size_pretty(pg_total_relation_size('purchase_order')) as "purchase_order with indexes"`);
    printFacts(
      'Data',
      Object.entries(facts ?? {}).map(([k, v]) => [k, String(v)]),
    );

    const [{ manufacturer_id: manufacturerId } = { manufacturer_id: '' }] = await em.execute<
      { manufacturer_id: string }[]
    >('select manufacturer_id from plan where id = ?', [seller.planId]);
    // Real values to search for: an order in the middle of the list (paid about a year ago).
    const [middle] = await em.execute<
      {
        id: string;
        paid_at: string | Date;
        order_number: string;
        serial_number: string;
        consumer_phone: string;
        consumer_name: string;
      }[]
    >(
      `select id, paid_at, order_number, serial_number, consumer_phone, consumer_name from purchase_order
        where manufacturer_id = ? and paid_at is not null order by paid_at desc, id desc offset ? limit 1`,
      [manufacturerId, Math.round(own * 0.45)],
    );
    if (!middle) throw new Error('no orders seeded');
    const yearAgo = chinaDate(new Date(Date.now() - 365 * 86_400_000));
    const base: OrderSearch = { manufacturerId, limit: 50 };
    const orderQueries: [string, OrderSearch][] = [
      ['first page, no filter', base],
      [
        'a page half-way down (cursor)',
        { ...base, cursor: encodeCursor({ at: new Date(middle.paid_at), id: middle.id }) },
      ],
      ['plan', { ...base, planId: second.planId }],
      ['product', { ...base, productId: second.productId }],
      ['status ended (0.5 %)', { ...base, status: 'ended' }],
      ['status cancelled', { ...base, status: 'cancelled' }],
      ['paid in one month a year ago', { ...base, paidFrom: yearAgo, paidTo: addDays(yearAgo, 30) }],
      [
        'plan + status + paid month',
        { ...base, planId: second.planId, status: 'active', paidFrom: yearAgo, paidTo: addDays(yearAgo, 30) },
      ],
      ['order number', { ...base, orderNumber: middle.order_number }],
      ['serial number (lower case)', { ...base, serialNumber: middle.serial_number.toLowerCase() }],
      ['phone, full number', { ...base, phone: middle.consumer_phone }],
      ['phone, last 4 digits', { ...base, phone: middle.consumer_phone.slice(-4) }],
      ['name, in full', { ...base, name: middle.consumer_name }],
      ['name, surname only (5 %)', { ...base, name: middle.consumer_name.slice(0, 1) }],
    ];
    const cancellationBase: CancellationSearch = { manufacturerId, limit: 50 };
    const cancellationQueries: [string, CancellationSearch][] = [
      ['cancellations, first page', cancellationBase],
      ['cancellations, requested (rare)', { ...cancellationBase, status: 'requested' }],
      [
        'cancellations, one month a year ago',
        { ...cancellationBase, requestedFrom: yearAgo, requestedTo: addDays(yearAgo, 30) },
      ],
    ];
    const scenarios: [string, string, string][] = [
      ...orderQueries.map(
        ([name, q]) =>
          [name, orderSearchQuery(em, q).getFormattedQuery(), 'purchase_order'] as [string, string, string],
      ),
      ...cancellationQueries.map(
        ([name, q]) =>
          [name, cancellationSearchQuery(em, q).getFormattedQuery(), 'cancellation'] as [
            string,
            string,
            string,
          ],
      ),
    ];

    const pk = [];
    for (let i = 0; i < ROUNDS + 1; i++)
      pk.push((await explain(em, 'select * from purchase_order where id = ?', false, [middle.id])).ms);
    const pkMs = percentile(pk.slice(1), 50);

    const rows: (string | number)[][] = [];
    let unindexed = 0;
    for (const [name, query, table] of scenarios) {
      const times: number[] = [];
      let nodes: PlanNode[] = [];
      for (let i = 0; i < ROUNDS + 1; i++) {
        const run = await explain(em, query, false);
        if (i > 0) times.push(run.ms);
        nodes = run.nodes;
      }
      const baseline: number[] = [];
      for (let i = 0; i < BASELINE_ROUNDS; i++) baseline.push((await explain(em, query, true)).ms);
      const seq = nodes.some((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table);
      const indexes = [
        ...new Set(
          nodes.filter((n) => n['Index Name'] && n['Relation Name'] === table).map((n) => n['Index Name']),
        ),
      ];
      const indexed = !seq && indexes.length > 0;
      if (!indexed) unindexed++;
      const ms = percentile(times, 50);
      const without = percentile(baseline, 50);
      rows.push([
        name,
        fixed(ms, 2),
        fixed(without, 1),
        `${fixed(without / ms, 0)}×`,
        fixed(ms / pkMs, 1),
        indexed ? `yes: ${indexes.join(', ')}` : 'NO (sequential scan)',
      ]);
    }
    console.log(
      `\nEXPLAIN (ANALYZE) execution time, ms (median of ${ROUNDS}; baseline: index scans off, median of ${BASELINE_ROUNDS}); primary-key lookup ${fixed(pkMs, 3)} ms`,
    );
    printTable(
      ['query (page of 50)', 'with indexes', 'indexes off', 'speed-up', '× pk lookup', 'index used'],
      rows,
    );
    console.log(
      `\nResult: ${scenarios.length - unindexed} of ${scenarios.length} queries read through an index${unindexed ? ` — ${unindexed} DO NOT` : ''}.`,
    );
    if (unindexed) process.exitCode = 1;
  } finally {
    await system.stop();
  }
}

await main();
