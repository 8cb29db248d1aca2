/**
 * Manufacturer sales statistics (patent module 10): orders, revenue,
 * cancellations, refunds and claims by day, week or month, by plan and by
 * main product, claim figures, and attach rates of per-unit QR codes.
 *
 * Where the numbers come from:
 * - `order_stats_daily` holds one row per China-time day, manufacturer and
 *   plan. StatsRollupWorkflow recomputes recent days from the source tables
 *   with one set-based `insert … select … group by … on conflict do update`
 *   (rollUpOrderStats below), every minute through a Temporal Schedule, and
 *   can rebuild everything for a backfill.
 * - Every figure is dated by the moment its event happened, so recomputing the
 *   last few days catches everything new: an order on the day it was paid
 *   (paid_at), a cancellation on the day it was completed (refunded), a refund on
 *   the day the money went back (refund.created_at, cancellation refunds only:
 *   a late payment refunded for an expired order was never revenue), a claim
 *   on the day it was filed, and an approved claim with its repair cost on the
 *   day the repair was recorded (a claim counts as approved once its repair
 *   cost is on record — the same rule the claim cap and the pro-rated refund
 *   use).
 * - Today's orders and revenue are computed live on every read (the roll-up's
 *   own SQL, for one manufacturer and one day), so a sale shows the moment it
 *   is recorded; everything else, today's cancellations, refunds and claims
 *   included, comes from the roll-up (see dailyRows). A read costs an index
 *   range scan of the roll-up plus the manufacturer's most recent orders,
 *   whatever the order history.
 *
 * purchase_order has no index on paid_at (entities are fixed this round), so
 * orders paid in a window are found through (manufacturer_id, created_at):
 * an order is recorded as paid at most paymentTimeout + latePaymentWindow
 * after it was created (the longest a PurchaseWorkflow waits for a capture),
 * plus a day of margin for retries and outages.
 */
import type { Readable } from 'node:stream';
import type { EntityManager } from '@mikro-orm/postgresql';
import {
  Client,
  type ConnectionLike,
  ScheduleAlreadyRunning,
  type ScheduleOptionsStartWorkflowAction,
  ScheduleOverlapPolicy,
} from '@temporalio/client';
import type { StatsRollupInput, StatsRollupWorkflow } from '../../workflows/stats-rollup.workflow.ts';
import type { AppConfig } from '../config.ts';
import {
  addDays,
  addMonths,
  chinaDate,
  chinaDateTime,
  compareDates,
  daysBetween,
} from '../domain/coverage.ts';
import { durationToMs } from '../domain/duration.ts';
import { MainProduct, Plan } from '../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../domain/errors.ts';
import { yanbaoDataConverter } from '../temporal/payload-codec.ts';
import { type CsvCell, csvStream, csvText } from './csv.ts';

export const GRANULARITIES = ['day', 'week', 'month'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

/** The longest range one dashboard request may cover (five years of days). */
export const MAX_RANGE_DAYS = 1827;

export const STATS_ROLLUP_SCHEDULE_ID = 'stats-rollup';

// ——— a tiny SQL builder: values become bound parameters, fragments nest ———

class Sql {
  readonly text: string;
  readonly params: unknown[];
  constructor(text: string, params: unknown[]) {
    this.text = text;
    this.params = params;
  }
}

/** sql`… ${value} …`: values are bound (MikroORM quotes them), nested sql`` fragments are spliced in. */
function sql(strings: TemplateStringsArray, ...values: unknown[]): Sql {
  let text = strings[0] ?? '';
  const params: unknown[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      text += value.text;
      params.push(...value.params);
    } else {
      text += '?';
      params.push(value);
    }
    text += strings[i + 1] ?? '';
  });
  return new Sql(text, params);
}

/** Trusted SQL text (column names and expressions written here, never user input). */
const raw = (text: string) => new Sql(text, []);
const EMPTY = raw('');

async function query<T>(em: EntityManager, statement: Sql): Promise<T[]> {
  return em.execute<T[]>(statement.text, statement.params);
}

// ——— days and instants ———

/** The instant a China-time day begins (UTC+8, no daylight saving). */
export const chinaDayStart = (day: string) => new Date(`${day}T00:00:00+08:00`);

/** The China-time day of a timestamptz column, in SQL. */
const chinaDay = (column: string) => raw(`((${column} at time zone 'UTC') + interval '8 hours')::date`);

/** How long after its creation an order can still be recorded as paid (see the header). */
export function paidWithinMs(config: Pick<AppConfig, 'purchase'>): number {
  return (
    durationToMs(config.purchase.paymentTimeout) +
    durationToMs(config.purchase.latePaymentWindow) +
    86_400_000
  );
}

/** The Monday of the ISO week a day lies in (1970-01-05 was a Monday). */
export function weekStart(day: string): string {
  const offset = ((daysBetween('1970-01-05', day) % 7) + 7) % 7;
  return addDays(day, -offset);
}

export function periodStart(day: string, granularity: Granularity): string {
  if (granularity === 'week') return weekStart(day);
  if (granularity === 'month') return `${day.slice(0, 7)}-01`;
  return day;
}

/** Every period from the one holding `from` to the one holding `to`, so charts get a continuous axis. */
export function periodsBetween(from: string, to: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  const last = periodStart(to, granularity);
  for (let p = periodStart(from, granularity); compareDates(p, last) <= 0; ) {
    periods.push(p);
    p = granularity === 'day' ? addDays(p, 1) : granularity === 'week' ? addDays(p, 7) : addMonths(p, 1);
  }
  return periods;
}

// ——— the facts: what happened on which day, from the source tables ———

export const MEASURES = [
  'orders',
  'revenueFen',
  'cancellations',
  'refundsFen',
  'claims',
  'approvedClaims',
  'claimCostFen',
] as const;
export type Measure = (typeof MEASURES)[number];
export type Measures = Record<Measure, number>;

const COLUMN: Record<Measure, string> = {
  orders: 'orders',
  revenueFen: 'revenue_fen',
  cancellations: 'cancellations',
  refundsFen: 'refunds_fen',
  claims: 'claims',
  approvedClaims: 'approved_claims',
  claimCostFen: 'claim_cost_fen',
};
const COLUMNS = MEASURES.map((m) => COLUMN[m]).join(', ');
/** sum(orders)::bigint as orders, … over a relation aliased `alias`. */
const sums = (alias: string) =>
  raw(MEASURES.map((m) => `sum(${alias}.${COLUMN[m]})::bigint as ${COLUMN[m]}`).join(', '));

interface FactsWindow {
  /** First day (China time), or null for everything before `toDay`. */
  fromDay: string | null;
  /** Last day, inclusive. */
  toDay: string;
  /** One manufacturer, or null for all of them (the roll-up). */
  manufacturerId: string | null;
  paidWithinMs: number;
  /** 'orders': only orders and revenue (what the dashboard reads live for today). Default: every measure. */
  only?: 'orders';
}

/** SQL conditions on a timestamptz expression and a manufacturer column for a window of days. */
function windowConditions(w: FactsWindow) {
  const fromTs = w.fromDay ? chinaDayStart(w.fromDay) : null;
  const toTs = chinaDayStart(addDays(w.toDay, 1)).toISOString();
  const inWindow = (expression: string) =>
    fromTs
      ? sql`${raw(expression)} >= ${fromTs.toISOString()}::timestamptz and ${raw(expression)} < ${toTs}::timestamptz`
      : sql`${raw(expression)} < ${toTs}::timestamptz`;
  const ofManufacturer = (column: string) =>
    w.manufacturerId ? sql` and ${raw(column)} = ${w.manufacturerId}::uuid` : EMPTY;
  return { fromTs, inWindow, ofManufacturer };
}

/**
 * `from` relation `o` of the orders paid in the window (manufacturer_id, plan_id,
 * serial_number, paid_at, amount_fen). With a lower bound, each manufacturer's
 * orders are reached through (manufacturer_id, created_at); a rebuild of
 * everything scans the table once.
 */
function paidOrders(w: FactsWindow): Sql {
  const { fromTs, inWindow, ofManufacturer } = windowConditions(w);
  const paid = sql`${inWindow('o.paid_at')} and o.status in ('active', 'cancelled', 'ended')`;
  return fromTs
    ? sql`manufacturer m cross join lateral (
          select o.manufacturer_id, o.plan_id, o.serial_number, o.paid_at, o.amount_fen from purchase_order o
           where o.manufacturer_id = m.id
             and o.created_at >= ${new Date(fromTs.getTime() - w.paidWithinMs).toISOString()}::timestamptz
             and ${paid}) o
         where true${ofManufacturer('m.id')}`
    : sql`purchase_order o where ${paid}${ofManufacturer('o.manufacturer_id')}`;
}

/**
 * One row per (manufacturer, plan, day, kind of event) in the window, with
 * the measure columns; several rows for the same day and plan add up.
 */
function facts(w: FactsWindow): Sql {
  const { inWindow, ofManufacturer } = windowConditions(w);
  // Orders and revenue on the day they were paid.
  const orders = sql`
    select o.manufacturer_id, o.plan_id, ${chinaDay('o.paid_at')} as day,
           count(*) as orders, sum(o.amount_fen) as revenue_fen, 0 as cancellations, 0 as refunds_fen,
           0 as claims, 0 as approved_claims, 0 as claim_cost_fen
      from ${paidOrders(w)}
     group by 1, 2, 3`;
  if (w.only === 'orders') return orders;
  return sql`${orders}
    union all
    select o.manufacturer_id, o.plan_id, ${chinaDay('c.refunded_at')}, 0, 0, count(*), 0, 0, 0, 0
      from cancellation c join purchase_order o on o.id = c.order_id
     where c.status = 'refunded' and ${inWindow('c.refunded_at')}${ofManufacturer('o.manufacturer_id')}
     group by 1, 2, 3
    union all
    select o.manufacturer_id, o.plan_id, ${chinaDay('r.created_at')}, 0, 0, 0, sum(r.amount_fen), 0, 0, 0
      from refund r
      join payment pay on pay.id = r.payment_id
      join purchase_order o on o.id = pay.order_id
     where r.reason = 'cancellation' and ${inWindow('r.created_at')}${ofManufacturer('o.manufacturer_id')}
     group by 1, 2, 3
    union all
    select cl.manufacturer_id, o.plan_id, ${chinaDay('cl.created_at')}, 0, 0, 0, 0, count(*), 0, 0
      from claim cl join purchase_order o on o.id = cl.order_id
     where ${inWindow('cl.created_at')}${ofManufacturer('cl.manufacturer_id')}
     group by 1, 2, 3
    union all
    select cl.manufacturer_id, o.plan_id, ${chinaDay('cl.repaired_at')}, 0, 0, 0, 0, 0, count(*), sum(cl.repair_cost_fen)
      from claim cl join purchase_order o on o.id = cl.order_id
     where cl.repair_cost_fen is not null and cl.status in ('repaired', 'closed')
       and ${inWindow('cl.repaired_at')}${ofManufacturer('cl.manufacturer_id')}
     group by 1, 2, 3`;
}

// ——— the roll-up ———

export interface RollupWindow {
  /** First day to recompute (China time); null: from the first event on record. */
  from: string | null;
  /** Last day to recompute, inclusive. */
  to: string;
}

export interface RollupOutcome {
  /** The first day recomputed (for a full rebuild: the first day with any figure, or `to`). */
  from: string;
  to: string;
  /** Roll-up rows inserted or changed (unchanged rows are not rewritten). */
  changedRows: number;
  ms: number;
}

/**
 * Recomputes every roll-up row of the window from the source tables in one
 * statement: facts grouped per day, manufacturer and plan, upserted; rows of
 * the window that no longer have any facts are set to zero. Idempotent: a
 * second run over the same data changes nothing. Runs are serialised by an
 * advisory lock, so a backfill and the schedule never interleave.
 */
export async function rollUpOrderStats(
  em: EntityManager,
  window: RollupWindow & { paidWithinMs: number },
): Promise<RollupOutcome> {
  const started = performance.now();
  const inWindow = window.from
    ? sql`day >= ${window.from}::date and day <= ${window.to}::date`
    : sql`day <= ${window.to}::date`;
  const assignments = MEASURES.map((m) => `${COLUMN[m]} = excluded.${COLUMN[m]}`).join(', ');
  const statement = sql`
    with upserted as (
      insert into order_stats_daily as s (day, manufacturer_id, plan_id, product_id, ${raw(COLUMNS)}, updated_at)
      select f.day, f.manufacturer_id, f.plan_id, p.product_id, ${sums('f')}, now()
        from (${facts({ fromDay: window.from, toDay: window.to, manufacturerId: null, paidWithinMs: window.paidWithinMs })}
              union all
              select manufacturer_id, plan_id, day, 0, 0, 0, 0, 0, 0, 0 from order_stats_daily where ${inWindow}) f
        join plan p on p.id = f.plan_id
       group by f.day, f.manufacturer_id, f.plan_id, p.product_id
      on conflict (day, manufacturer_id, plan_id) do update
         set product_id = excluded.product_id, ${raw(assignments)}, updated_at = excluded.updated_at
       where (${raw(MEASURES.map((m) => `s.${COLUMN[m]}`).join(', '))}, s.product_id)
             is distinct from (${raw(MEASURES.map((m) => `excluded.${COLUMN[m]}`).join(', '))}, excluded.product_id)
      returning 1
    )
    select count(*)::int as changed from upserted`;
  // Units sold in the window become attached (see attachRates); a unit already marked keeps its mark.
  const markAttached = sql`
    update unit_code u set attached_at = o.paid_at
      from ${paidOrders({ fromDay: window.from, toDay: window.to, manufacturerId: null, paidWithinMs: window.paidWithinMs })}
       and u.plan_id = o.plan_id and u.serial_number = o.serial_number and u.attached_at is null`;
  const changedRows = await em.transactional(async (tx) => {
    await tx.execute('select pg_advisory_xact_lock(hashtext(?))', ['order_stats_daily roll-up']);
    const [row] = await query<{ changed: number }>(tx, statement);
    await query(tx, markAttached);
    return row?.changed ?? 0;
  });
  let from = window.from;
  if (!from) {
    const [first] = await query<{ day: string | null }>(
      em,
      sql`select min(day)::text as day from order_stats_daily`,
    );
    from = first?.day ?? window.to;
  }
  return { from, to: window.to, changedRows, ms: Math.round(performance.now() - started) };
}

/**
 * Creates the Temporal Schedule that runs the roll-up every `stats.rollupEvery`
 * (one run at a time; missed runs are not replayed, the next run catches up),
 * or brings an existing one up to date with the configuration. Its first run
 * rebuilds everything, so deploying on an existing database backfills it.
 */
export async function ensureStatsRollupSchedule(
  connection: ConnectionLike,
  config: Pick<AppConfig, 'stats' | 'temporal' | 'payloadKeys'>,
  scheduleId = STATS_ROLLUP_SCHEDULE_ID,
): Promise<'created' | 'updated'> {
  const client = new Client({
    connection,
    namespace: config.temporal.namespace,
    dataConverter: yanbaoDataConverter(config.payloadKeys),
  });
  const input: StatsRollupInput = { recentDays: config.stats.rollupDays, rebuildOnFirstRun: true };
  const spec = { intervals: [{ every: config.stats.rollupEvery }] };
  const action: ScheduleOptionsStartWorkflowAction<typeof StatsRollupWorkflow> = {
    type: 'startWorkflow',
    workflowType: 'StatsRollupWorkflow',
    workflowId: scheduleId,
    taskQueue: config.temporal.taskQueue,
    args: [input],
  };
  const policies = { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' as const };
  try {
    await client.schedule.create({ scheduleId, spec, action, policies });
    return 'created';
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
    await client.schedule
      .getHandle(scheduleId)
      .update((previous) => ({ ...previous, spec, action, policies: { ...previous.policies, ...policies } }));
    return 'updated';
  }
}

// ——— reading: the dashboard ———

export interface StatisticsQuery {
  manufacturerId: string;
  /** First and last day (China time), inclusive. */
  from: string;
  to: string;
  granularity: Granularity;
  planId?: string | undefined;
  productId?: string | undefined;
}

/** Without `from`/`to`: the last 30 days up to today (China time). */
const DEFAULT_DAYS = 30;

/**
 * A dashboard request's query with its defaults, for one manufacturer; a range that runs backwards
 * or is too long is refused (400), a plan or product of another manufacturer answers 404.
 */
export async function statisticsQuery(
  em: EntityManager,
  manufacturerId: string,
  query: {
    from?: string | undefined;
    to?: string | undefined;
    granularity?: Granularity | undefined;
    planId?: string | undefined;
    productId?: string | undefined;
  },
): Promise<StatisticsQuery> {
  const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_DAYS - 1) : chinaDate(new Date()));
  const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
  if (compareDates(from, to) > 0) throw invalid([fieldProblem('querystring.from', 'fromAfterTo')]);
  if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
    throw invalid([fieldProblem('querystring.from', 'rangeTooLong', { max: MAX_RANGE_DAYS })]);
  if (query.planId && !(await em.count(Plan, { id: query.planId, manufacturer: manufacturerId })))
    throw notFound('plan');
  if (
    query.productId &&
    !(await em.count(MainProduct, { id: query.productId, manufacturer: manufacturerId }))
  )
    throw notFound('mainProduct');
  return {
    manufacturerId,
    from,
    to,
    granularity: query.granularity ?? 'day',
    planId: query.planId,
    productId: query.productId,
  };
}

export interface ReadOptions {
  paidWithinMs: number;
  /** The moment "today" is taken from (tests and benchmarks pin it). */
  now?: Date;
  /**
   * 'rollup' (default): the roll-up for past days, live facts for today.
   * 'source': every day straight from the source tables — the benchmark's baseline.
   */
  strategy?: 'rollup' | 'source';
}

export interface Derived {
  /** Revenue minus cancellation refunds. */
  netRevenueFen: number;
  /** Claims filed ÷ orders paid in the same period; null without orders. */
  claimsRate: number | null;
  /** Repair cost ÷ approved claims, rounded to the fen; null without approved claims. */
  averageRepairCostFen: number | null;
}

export type Figures = Measures & Derived;

export interface PlanFigures extends Figures {
  planId: string;
  code: string;
  nameZh: string;
  nameEn: string;
  productId: string;
  status: string;
}

export interface ProductFigures extends Figures {
  productId: string;
  brand: string;
  name: string;
  model: string;
}

export interface StatisticsView {
  from: string;
  to: string;
  granularity: Granularity;
  /** The China-time day computed live (earlier days come from the roll-up). */
  today: string;
  currency: 'CNY';
  generatedAt: string;
  totals: Figures;
  series: (Measures & { period: string; claimsRate: number | null })[];
  byPlan: PlanFigures[];
  byProduct: ProductFigures[];
}

const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1e6) / 1e6 : null);

/** Integer division rounded half up: money stays integer arithmetic. */
const roundedDiv = (total: number, count: number) =>
  count > 0 ? Math.floor((2 * total + count) / (2 * count)) : null;

export function derive(m: Measures): Figures {
  return {
    ...m,
    netRevenueFen: m.revenueFen - m.refundsFen,
    claimsRate: ratio(m.claims, m.orders),
    averageRepairCostFen: roundedDiv(m.claimCostFen, m.approvedClaims),
  };
}

const zero = (): Measures => ({
  orders: 0,
  revenueFen: 0,
  cancellations: 0,
  refundsFen: 0,
  claims: 0,
  approvedClaims: 0,
  claimCostFen: 0,
});

type MeasureRow = Record<string, string | number | null>;
const measuresOf = (row: MeasureRow): Measures =>
  Object.fromEntries(MEASURES.map((m) => [m, Number(row[COLUMN[m]] ?? 0)])) as Measures;

/**
 * The daily rows (day, plan_id, product_id, measures) of a manufacturer for
 * the query. Days before today come from the roll-up. Today's orders and
 * revenue are computed live (an index range scan of the manufacturer's recent
 * orders); today's cancellations, refunds and claims come from the roll-up
 * too, at most one schedule interval old: cancellation, refund and claim have
 * no index on their dates, so reading them live would scan those tables,
 * platform-wide, on every request.
 */
function dailyRows(q: StatisticsQuery, options: ReadOptions): Sql {
  const today = chinaDate(options.now ?? new Date());
  const filters = (plan: string, product: string) =>
    sql`${q.planId ? sql` and ${raw(plan)} = ${q.planId}::uuid` : EMPTY}${
      q.productId ? sql` and ${raw(product)} = ${q.productId}::uuid` : EMPTY
    }`;
  const live = (fromDay: string, toDay: string, only?: 'orders') => sql`
    select f.day, f.plan_id, p.product_id, ${raw(MEASURES.map((m) => `f.${COLUMN[m]}`).join(', '))}
      from (${facts({ fromDay, toDay, manufacturerId: q.manufacturerId, paidWithinMs: options.paidWithinMs, only })}) f
      join plan p on p.id = f.plan_id
     where true${filters('f.plan_id', 'p.product_id')}`;
  if (options.strategy === 'source') return live(q.from, q.to);

  const todayInRange = compareDates(q.from, today) <= 0 && compareDates(today, q.to) <= 0;
  // Today's roll-up row without its orders and revenue, which come live below.
  const liveColumns = MEASURES.map((m) =>
    m === 'orders' || m === 'revenueFen'
      ? sql`case when day = ${today}::date then 0 else ${raw(COLUMN[m])} end as ${raw(COLUMN[m])}`
      : raw(COLUMN[m]),
  ).reduce((all, column) => sql`${all}, ${column}`);
  const rolledUp = sql`
    select day, plan_id, product_id, ${todayInRange ? liveColumns : raw(COLUMNS)} from order_stats_daily
     where manufacturer_id = ${q.manufacturerId}::uuid and day >= ${q.from}::date and day <= ${q.to}::date${filters('plan_id', 'product_id')}`;
  return todayInRange ? sql`${rolledUp} union all ${live(today, today, 'orders')}` : rolledUp;
}

interface GroupedRow extends MeasureRow {
  kind: number;
  period: string | null;
  plan_id: string | null;
  product_id: string | null;
}

/** The dashboard: totals, a series by period, figures by plan and by product. */
export async function manufacturerStatistics(
  em: EntityManager,
  q: StatisticsQuery,
  options: ReadOptions,
): Promise<StatisticsView> {
  const today = chinaDate(options.now ?? new Date());
  const planFilter = sql`${q.planId ? sql` and p.id = ${q.planId}::uuid` : EMPTY}${
    q.productId ? sql` and p.product_id = ${q.productId}::uuid` : EMPTY
  }`;
  // grouping(): 3 → by period, 4 → by plan, 6 → by product, 7 → the total.
  const grouped = sql`
    select grouping(r.period, r.plan_id, r.product_id) as kind, r.period::text as period, r.plan_id, r.product_id, ${sums('r')}
      from (select date_trunc(${q.granularity}, d.day::timestamp)::date as period, d.* from (${dailyRows(q, options)}) d) r
     group by grouping sets ((r.period), (r.plan_id, r.product_id), (r.product_id), ())`;
  const plans = sql`
    select p.id, p.code, p.name_zh, p.name_en, p.product_id, p.status from plan p
     where p.manufacturer_id = ${q.manufacturerId}::uuid${planFilter}
     order by p.created_at`;
  const products = sql`
    select mp.id, mp.brand, mp.name, mp.model from main_product mp
     where mp.manufacturer_id = ${q.manufacturerId}::uuid
       and exists (select 1 from plan p where p.product_id = mp.id${planFilter})
     order by mp.created_at`;
  // Connection.execute takes its own pooled connection per statement, so the four run side by side.
  const connection = em.getConnection();
  const run = <T>(statement: Sql) => connection.execute<T[]>(statement.text, statement.params);
  const [groups, planRows, productRows] = await Promise.all([
    run<GroupedRow>(grouped),
    run<{ id: string; code: string; name_zh: string; name_en: string; product_id: string; status: string }>(
      plans,
    ),
    run<{ id: string; brand: string; name: string; model: string }>(products),
  ]);

  const byPeriod = new Map<string, Measures>();
  const byPlanId = new Map<string, Measures>();
  const byProductId = new Map<string, Measures>();
  let totals = zero();
  for (const row of groups) {
    const kind = Number(row.kind);
    if (kind === 3 && row.period) byPeriod.set(row.period, measuresOf(row));
    else if (kind === 4 && row.plan_id) byPlanId.set(row.plan_id, measuresOf(row));
    else if (kind === 6 && row.product_id) byProductId.set(row.product_id, measuresOf(row));
    else if (kind === 7) totals = measuresOf(row);
  }

  const series = periodsBetween(q.from, q.to, q.granularity).map((period) => {
    const m = byPeriod.get(period) ?? zero();
    return { period, ...m, claimsRate: ratio(m.claims, m.orders) };
  });
  const byRevenue = (a: Figures & { code?: string }, b: Figures & { code?: string }) =>
    b.revenueFen - a.revenueFen || b.orders - a.orders;
  const byPlan: PlanFigures[] = planRows
    .map((p) => ({
      planId: p.id,
      code: p.code,
      nameZh: p.name_zh,
      nameEn: p.name_en,
      productId: p.product_id,
      status: p.status,
      ...derive(byPlanId.get(p.id) ?? zero()),
    }))
    .sort(byRevenue);
  const byProduct: ProductFigures[] = productRows
    .map((p) => ({
      productId: p.id,
      brand: p.brand,
      name: p.name,
      model: p.model,
      ...derive(byProductId.get(p.id) ?? zero()),
    }))
    .sort(byRevenue);

  return {
    from: q.from,
    to: q.to,
    granularity: q.granularity,
    today,
    currency: 'CNY',
    generatedAt: (options.now ?? new Date()).toISOString(),
    totals: derive(totals),
    series,
    byPlan,
    byProduct,
  };
}

export interface AttachRate {
  planId: string;
  /** Units with a per-unit QR code for the plan. */
  unitsIssued: number;
  /** Of those, units with an active, cancelled or ended order for the plan. */
  attachedUnits: number;
  /** attachedUnits ÷ unitsIssued. */
  attachRate: number | null;
}

/**
 * Attach rates of the manufacturer's plans that have per-unit QR codes (all
 * time, so not part of the period figures): a count over the plans' unit
 * codes, each marked `attached_at` once an order for it is paid — by the
 * roll-up for orders paid in its window (so at most one schedule interval
 * behind, like today's cancellations), and by markAttachedUnitsOfBatch for
 * units sold before their code was issued.
 */
export async function attachRates(
  em: EntityManager,
  q: Pick<StatisticsQuery, 'manufacturerId' | 'planId' | 'productId'>,
): Promise<AttachRate[]> {
  const rows = await query<{ plan_id: string; units: number; attached: number }>(
    em,
    sql`
    select u.plan_id, count(*)::int as units, count(u.attached_at)::int as attached from unit_code u
     where u.plan_id in (select p.id from plan p where p.manufacturer_id = ${q.manufacturerId}::uuid${
       q.planId ? sql` and p.id = ${q.planId}::uuid` : EMPTY
     }${q.productId ? sql` and p.product_id = ${q.productId}::uuid` : EMPTY})
     group by u.plan_id
     order by u.plan_id`,
  );
  return rows.map((r) => ({
    planId: r.plan_id,
    unitsIssued: Number(r.units),
    attachedUnits: Number(r.attached),
    attachRate: ratio(Number(r.attached), Number(r.units)),
  }));
}

/** Marks the batch's units that already had a paid order when their codes were issued. */
export async function markAttachedUnitsOfBatch(em: EntityManager, batchId: string): Promise<void> {
  await query(
    em,
    sql`
    update unit_code u set attached_at = o.paid_at
      from purchase_order o
     where u.batch_id = ${batchId}::uuid and u.attached_at is null
       and o.plan_id = u.plan_id and o.serial_number = u.serial_number
       and o.status in ('active', 'cancelled', 'ended')`,
  );
}

// ——— CSV exports ———

export const DAILY_CSV_HEADER = [
  'day',
  'plan_id',
  'plan_code',
  'plan_name_zh',
  'plan_name_en',
  'product_id',
  'product_brand',
  'product_model',
  'currency',
  ...MEASURES.map((m) => COLUMN[m]),
];

/** The rows behind the dashboard: one line per day and plan with any figure, for the query's range. */
export async function dailyRowsCsv(
  em: EntityManager,
  q: StatisticsQuery,
  options: ReadOptions,
): Promise<string> {
  const statement = sql`
    select d.day::text as day, d.plan_id, p.code, p.name_zh, p.name_en, d.product_id, mp.brand, mp.model, ${sums('d')}
      from (${dailyRows(q, options)}) d
      join plan p on p.id = d.plan_id
      join main_product mp on mp.id = d.product_id
     group by d.day, d.plan_id, p.code, p.name_zh, p.name_en, d.product_id, mp.brand, mp.model
    having ${raw(MEASURES.map((m) => `sum(d.${COLUMN[m]}) <> 0`).join(' or '))}
     order by d.day, p.code`;
  const rows = await query<MeasureRow & Record<string, string>>(em, statement);
  return csvText(
    DAILY_CSV_HEADER,
    rows.map((r) => {
      const m = measuresOf(r);
      return [
        r.day,
        r.plan_id,
        r.code,
        r.name_zh,
        r.name_en,
        r.product_id,
        r.brand,
        r.model,
        'CNY',
        ...MEASURES.map((k) => m[k]),
      ];
    }),
  );
}

export const ORDERS_CSV_HEADER = [
  'order_number',
  'paid_at_china',
  'status',
  'plan_code',
  'product_model',
  'serial_number',
  'amount_fen',
  'currency',
  'coverage_start',
  'coverage_end',
  'cancelled_at_china',
  'ended_at_china',
];

const ORDERS_PAGE = 2000;

/**
 * The orders paid in the range, streamed page by page (keyset over the
 * manufacturer's (created_at, id) index), so a year of orders never sits in
 * memory. No consumer names or phone numbers leave through this file.
 */
export function ordersCsv(em: EntityManager, q: StatisticsQuery, options: ReadOptions): Readable {
  const fromTs = chinaDayStart(q.from);
  const toTs = chinaDayStart(addDays(q.to, 1));
  const createdFrom = new Date(fromTs.getTime() - options.paidWithinMs).toISOString();
  const connection = em.getConnection();
  const when = (at: Date | null) => (at ? chinaDateTime(new Date(at)) : null);
  async function* records(): AsyncGenerator<CsvCell[]> {
    let after: { createdAt: string; id: string } | null = null;
    for (;;) {
      const statement: Sql = sql`
        select o.id, o.created_at::text as created_at, o.order_number, o.paid_at, o.status, p.code, mp.model, o.serial_number,
               o.amount_fen, o.currency, o.coverage_start::text as coverage_start,
               o.coverage_end::text as coverage_end, o.cancelled_at, o.ended_at
          from purchase_order o
          join plan p on p.id = o.plan_id
          join main_product mp on mp.id = o.product_id
         where o.manufacturer_id = ${q.manufacturerId}::uuid
           and o.created_at >= ${createdFrom}::timestamptz and o.created_at < ${toTs.toISOString()}::timestamptz
           and o.paid_at >= ${fromTs.toISOString()}::timestamptz and o.paid_at < ${toTs.toISOString()}::timestamptz
           and o.status in ('active', 'cancelled', 'ended')
           ${q.planId ? sql`and o.plan_id = ${q.planId}::uuid` : EMPTY}
           ${q.productId ? sql`and o.product_id = ${q.productId}::uuid` : EMPTY}
           ${after ? sql`and (o.created_at, o.id) > (${after.createdAt}::timestamptz, ${after.id}::uuid)` : EMPTY}
         order by o.created_at, o.id
         limit ${ORDERS_PAGE}`;
      const rows = await connection.execute<
        {
          id: string;
          /** Text, so the keyset keeps PostgreSQL's microseconds. */
          created_at: string;
          order_number: string;
          paid_at: Date;
          status: string;
          code: string;
          model: string;
          serial_number: string;
          amount_fen: number;
          currency: string;
          coverage_start: string | null;
          coverage_end: string | null;
          cancelled_at: Date | null;
          ended_at: Date | null;
        }[]
      >(statement.text, statement.params);
      for (const o of rows) {
        yield [
          o.order_number,
          when(o.paid_at),
          o.status,
          o.code,
          o.model,
          o.serial_number,
          o.amount_fen,
          o.currency,
          o.coverage_start,
          o.coverage_end,
          when(o.cancelled_at),
          when(o.ended_at),
        ];
      }
      const last = rows.at(-1);
      if (!last || rows.length < ORDERS_PAGE) return;
      after = { createdAt: last.created_at, id: last.id };
    }
  }
  return csvStream(ORDERS_CSV_HEADER, records());
}
