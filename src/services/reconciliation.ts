/**
 * The auditor's reconciliation of money with orders: every captured payment
 * belongs to exactly one order that was recorded (active, cancelled or ended)
 * and is captured in the provider's own ledger too; every refund belongs to a
 * cancelled order, to a payment that came too late, or was made at the
 * provider; every row that does not fit is flagged with the reason.
 *
 * One SQL statement builds the ledger, so the rules run where the rows are and
 * the report pages and exports without loading everything into memory.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from '../domain/coverage.ts';
import { fieldProblem, invalid } from '../domain/errors.ts';
import type { PaymentProviders, ProviderPaymentStatus } from '../payments/provider.ts';
import { csvStream } from './csv.ts';

/** Results that explain a row; every other result flags it. */
export const EXPLAINED_RESULTS = [
  'matched',
  'late_payment_refunded',
  'second_payment_refunded',
  'cancellation_refunded',
  'cancellation_in_progress',
  'provider_refund_recorded',
] as const;
export const FLAGGED_RESULTS = [
  'captured_without_order',
  'duplicate_capture',
  'amount_mismatch',
  'refund_without_matching_state',
  'refund_exceeds_payment',
  'refund_amount_mismatch',
  'order_without_captured_payment',
  'cancellation_refund_missing',
  'capture_not_recorded',
  'provider_not_captured',
  'provider_amount_mismatch',
  'provider_refund_order_active',
] as const;
export const RECONCILIATION_RESULTS = [...EXPLAINED_RESULTS, ...FLAGGED_RESULTS] as const;
export type ReconciliationResult = (typeof RECONCILIATION_RESULTS)[number];
export const LEDGER_KINDS = ['payment', 'refund', 'order', 'event'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

/** A provider's capture notification older than this with no captured payment is flagged (younger ones are in flight). */
export const CAPTURE_GRACE_MINUTES = 5;

const PAID = `('active', 'cancelled', 'ended')`;
const EXPLAINED_SQL = `(${EXPLAINED_RESULTS.map((r) => `'${r}'`).join(', ')})`;

/**
 * Rows of the ledger:
 * - payment: each captured payment (captured, or refunded after capture), compared with the
 *   provider's own record of it where there is one to compare with: the sandbox's ledger always
 *   (in SQL), Alipay's and WeChat Pay's queries for the payments handed in (the first `?`, a JSON array);
 * - refund: each refund;
 * - order: a recorded order with no payment paying for it, or a cancellation whose refund is missing;
 * - event: a provider's capture notification that never became a captured payment.
 * A payment "pays for" its order unless it was sent back as a late payment.
 */
const LEDGER_SQL = `
with provider_record as (
  select 'sandbox'::text as provider, sp.id::text as provider_payment_id,
    case sp.status when 'paid' then 'captured' when 'refunded' then 'refunded' when 'closed' then 'closed'
      else 'pending' end as status,
    sp.amount_fen
  from sandbox_payment sp
  union all
  select x.provider, x.provider_payment_id, x.status, x.amount_fen
  from jsonb_to_recordset(?::jsonb) as x(provider text, provider_payment_id text, status text, amount_fen int)
),
refunded as (
  select payment_id, sum(amount_fen) as total from refund group by payment_id
),
captured as (
  select p.id, p.order_id, p.provider, p.provider_payment_id, p.amount_fen, p.currency,
    coalesce(p.captured_at, p.updated_at) as at,
    exists (select 1 from refund r where r.payment_id = p.id and r.reason = 'late_payment') as late_refunded
  from payment p
  where p.captured_at is not null or p.status in ('captured', 'refunded')
),
paying as (
  select order_id, count(*)::int as n from captured where not late_refunded group by order_id
),
ledger as (
  select 'payment' as kind, c.id as ref_id, c.at, c.order_id, c.provider::text as provider, c.provider_payment_id,
    (select e.provider_event_id from payment_event e
      where e.order_number = o.order_number and e.provider = c.provider
        and e.provider_payment_id = c.provider_payment_id and e.kind = 'captured'
      order by e.created_at limit 1)::text as reference,
    null::text as reason, c.amount_fen, c.currency::text as currency,
    case when c.provider = 'sandbox' or pr.provider is not null then coalesce(pr.status, 'unknown') end
      as provider_status,
    case
      when c.late_refunded then case
        when o.status = 'expired' then 'late_payment_refunded'
        when o.status in ${PAID} and coalesce(s.n, 0) >= 1 then 'second_payment_refunded'
        else 'refund_without_matching_state' end
      when o.status not in ${PAID} then 'captured_without_order'
      when s.n > 1 then 'duplicate_capture'
      when c.amount_fen <> o.amount_fen or c.currency <> o.currency then 'amount_mismatch'
      -- Recorded as paid, but the provider's own ledger says otherwise (a fully refunded Alipay
      -- trade reads closed, which fits a payment refunded in full).
      when (c.provider = 'sandbox' or pr.provider is not null) and (pr.status is null
        or pr.status = 'pending' or (pr.status = 'closed' and coalesce(rt.total, 0) < c.amount_fen))
        then 'provider_not_captured'
      when pr.amount_fen <> c.amount_fen then 'provider_amount_mismatch'
      else 'matched'
    end as result
  from captured c
  join purchase_order o on o.id = c.order_id
  left join paying s on s.order_id = c.order_id
  left join refunded rt on rt.payment_id = c.id
  left join provider_record pr on pr.provider = c.provider::text and pr.provider_payment_id = c.provider_payment_id
  union all
  select 'refund', r.id, r.created_at, p.order_id, p.provider::text, p.provider_payment_id,
    r.provider_refund_id::text, r.reason::text, r.amount_fen, r.currency::text, null,
    case
      when r.amount_fen > p.amount_fen or r.currency <> p.currency then 'refund_exceeds_payment'
      -- Refunded at the provider (its console): settled once the order is cancelled, or while part is refunded.
      when r.reason = 'provider_console' then case
        when o.status = 'cancelled' or (o.status in ('active', 'ended') and rt.total < p.amount_fen)
          then 'provider_refund_recorded'
        else 'provider_refund_order_active' end
      when r.reason = 'late_payment' and o.status = 'expired' then 'late_payment_refunded'
      when r.reason = 'late_payment' and o.status in ${PAID} and coalesce(s.n, 0) >= 1 then 'second_payment_refunded'
      when r.reason = 'cancellation' and cn.id is not null and o.status in ('cancelled', 'active') then case
        when cn.refund_fen <> r.amount_fen then 'refund_amount_mismatch'
        when o.status = 'cancelled' then 'cancellation_refunded'
        -- refunded, the order not yet marked cancelled: the CancellationWorkflow is between its steps
        when cn.status = 'requested' then 'cancellation_in_progress'
        else 'refund_without_matching_state' end
      else 'refund_without_matching_state'
    end
  from refund r
  join payment p on p.id = r.payment_id
  join purchase_order o on o.id = p.order_id
  join refunded rt on rt.payment_id = p.id
  left join paying s on s.order_id = o.id
  left join cancellation cn on cn.order_id = o.id
  union all
  select 'order', o.id, coalesce(o.paid_at, o.created_at), o.id, o.payment_provider::text, null, null, null,
    o.amount_fen, o.currency::text, null, 'order_without_captured_payment'
  from purchase_order o
  left join paying s on s.order_id = o.id
  where o.status in ${PAID} and s.n is null
  union all
  select 'order', o.id, coalesce(o.cancelled_at, cn.created_at), o.id, o.payment_provider::text, null, null, null,
    cn.refund_fen, o.currency::text, null, 'cancellation_refund_missing'
  from purchase_order o
  join cancellation cn on cn.order_id = o.id
  where o.status = 'cancelled' and cn.refund_fen > 0 and not exists (
    select 1 from refund r join payment p on p.id = r.payment_id
    where p.order_id = o.id and r.reason = 'cancellation')
  union all
  select 'event', e.id, e.created_at, o.id, e.provider::text, e.provider_payment_id, e.provider_event_id::text, null,
    e.amount_fen, e.currency::text, null, 'capture_not_recorded'
  from payment_event e
  left join purchase_order o on o.order_number = e.order_number
  left join payment p on p.provider = e.provider and p.provider_payment_id = e.provider_payment_id
  where e.kind = 'captured' and e.created_at < now() - interval '${CAPTURE_GRACE_MINUTES} minutes'
    and (p.id is null or not (p.captured_at is not null or p.status in ('captured', 'refunded')))
)
select l.kind, l.ref_id, l.at, l.provider, l.provider_payment_id, l.reference, l.reason, l.amount_fen, l.currency,
  l.provider_status, l.result, l.result not in ${EXPLAINED_SQL} as flagged,
  o.order_number, o.status::text as order_status, o.manufacturer_id, m.name as manufacturer_name
from ledger l
left join purchase_order o on o.id = l.order_id
left join manufacturer m on m.id = o.manufacturer_id`;

export interface ReconciliationFilter {
  from?: Date;
  to?: Date;
  manufacturerId?: string;
  flaggedOnly?: boolean;
  /**
   * Payments looked up at providers whose ledger is not in our database (Alipay; see
   * providerRecordsFor); status null: the provider has no record of it.
   */
  providerRecords?: ProviderRecordRow[];
}

export interface ProviderRecordRow {
  provider: string;
  providerPaymentId: string;
  status: ProviderPaymentStatus | null;
  amountFen: number | null;
}

export interface ReconciliationRow {
  kind: LedgerKind;
  id: string;
  at: string;
  orderNumber: string | null;
  orderStatus: string | null;
  manufacturerId: string | null;
  manufacturerName: string | null;
  provider: string | null;
  providerPaymentId: string | null;
  /** The provider's event id of a capture, or its refund id of a refund. */
  reference: string | null;
  /** A refund's reason (late_payment, cancellation, provider_console). */
  reason: string | null;
  amountFen: number;
  currency: string;
  /** A payment's status in the provider's own ledger (`unknown`: it has none); null when not compared. */
  providerStatus: string | null;
  result: ReconciliationResult;
  flagged: boolean;
}

interface RawRow {
  kind: LedgerKind;
  ref_id: string;
  at: Date | string;
  provider: string | null;
  provider_payment_id: string | null;
  reference: string | null;
  reason: string | null;
  amount_fen: number | string;
  currency: string;
  provider_status: string | null;
  result: ReconciliationResult;
  flagged: boolean;
  order_number: string | null;
  order_status: string | null;
  manufacturer_id: string | null;
  manufacturer_name: string | null;
}

/**
 * The filter as SQL over the ledger's rows, with its bound values (never spliced into the text),
 * the ledger's own first: the provider records.
 */
function where(filter: ReconciliationFilter): { sql: string; params: unknown[] } {
  const conditions: string[] = [];
  const params: unknown[] = [
    JSON.stringify(
      (filter.providerRecords ?? []).map((r) => ({
        provider: r.provider,
        provider_payment_id: r.providerPaymentId,
        status: r.status,
        amount_fen: r.amountFen,
      })),
    ),
  ];
  if (filter.from) {
    conditions.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    conditions.push('at < ?');
    params.push(filter.to);
  }
  if (filter.manufacturerId) {
    conditions.push('manufacturer_id = ?');
    params.push(filter.manufacturerId);
  }
  if (filter.flaggedOnly) conditions.push('flagged');
  return { sql: conditions.length ? `where ${conditions.join(' and ')}` : '', params };
}

const toRow = (raw: RawRow): ReconciliationRow => ({
  kind: raw.kind,
  id: raw.ref_id,
  at: new Date(raw.at).toISOString(),
  orderNumber: raw.order_number,
  orderStatus: raw.order_status,
  manufacturerId: raw.manufacturer_id,
  manufacturerName: raw.manufacturer_name,
  provider: raw.provider,
  providerPaymentId: raw.provider_payment_id,
  reference: raw.reference,
  reason: raw.reason,
  amountFen: Number(raw.amount_fen),
  currency: raw.currency,
  providerStatus: raw.provider_status,
  result: raw.result,
  flagged: raw.flagged,
});

/** One page of the ledger, newest money movement first; flagged rows and totals come from reconciliationSummary. */
export async function reconciliationPage(
  em: EntityManager,
  filter: ReconciliationFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: ReconciliationRow[]; total: number }> {
  const { sql, params } = where(filter);
  const rows: (RawRow & { total: number | string })[] = await em.execute(
    `select *, count(*) over () as total from (${LEDGER_SQL}) ledger ${sql}
     order by at desc, kind, ref_id limit ? offset ?`,
    [...params, page.limit, page.offset],
  );
  if (rows.length === 0 && page.offset > 0) {
    const [counted] = await em.execute(`select count(*) as total from (${LEDGER_SQL}) ledger ${sql}`, params);
    return { rows: [], total: Number(counted?.total ?? 0) };
  }
  return { rows: rows.map(toRow), total: Number(rows[0]?.total ?? 0) };
}

export interface ReconciliationSummary {
  /** Per currency: money captured, refunded and kept. */
  totals: { currency: string; capturedFen: number; refundedFen: number; netFen: number }[];
  payments: number;
  refunds: number;
  flagged: number;
  byResult: {
    kind: LedgerKind;
    result: ReconciliationResult;
    flagged: boolean;
    count: number;
    amountFen: number;
  }[];
}

export async function reconciliationSummary(
  em: EntityManager,
  filter: ReconciliationFilter,
): Promise<ReconciliationSummary> {
  const { sql, params } = where({ ...filter, flaggedOnly: false });
  const groups: {
    kind: LedgerKind;
    result: ReconciliationResult;
    flagged: boolean;
    currency: string;
    n: number | string;
    amount: number | string;
  }[] = await em.execute(
    `select kind, result, flagged, currency, count(*) as n, coalesce(sum(amount_fen), 0) as amount
     from (${LEDGER_SQL}) ledger ${sql} group by kind, result, flagged, currency order by kind, result, currency`,
    params,
  );
  const totals = new Map<
    string,
    { currency: string; capturedFen: number; refundedFen: number; netFen: number }
  >();
  const byResult = new Map<string, ReconciliationSummary['byResult'][number]>();
  let payments = 0;
  let refunds = 0;
  let flagged = 0;
  for (const g of groups) {
    const count = Number(g.n);
    const amount = Number(g.amount);
    const total = totals.get(g.currency) ?? {
      currency: g.currency,
      capturedFen: 0,
      refundedFen: 0,
      netFen: 0,
    };
    if (g.kind === 'payment') {
      payments += count;
      total.capturedFen += amount;
    }
    if (g.kind === 'refund') {
      refunds += count;
      total.refundedFen += amount;
    }
    total.netFen = total.capturedFen - total.refundedFen;
    if (g.kind === 'payment' || g.kind === 'refund') totals.set(g.currency, total);
    if (g.flagged) flagged += count;
    const key = `${g.kind}:${g.result}`;
    const entry = byResult.get(key) ?? {
      kind: g.kind,
      result: g.result,
      flagged: g.flagged,
      count: 0,
      amountFen: 0,
    };
    entry.count += count;
    entry.amountFen += amount;
    byResult.set(key, entry);
  }
  return { totals: [...totals.values()], payments, refunds, flagged, byResult: [...byResult.values()] };
}

/** Every row of the report in chunks, for exports that must not hold the whole ledger in memory. */
export async function* reconciliationRows(
  em: EntityManager,
  filter: ReconciliationFilter,
  chunk = 2000,
): AsyncGenerator<ReconciliationRow> {
  const { sql, params } = where(filter);
  for (let offset = 0; ; offset += chunk) {
    const rows: RawRow[] = await em.execute(
      `select * from (${LEDGER_SQL}) ledger ${sql} order by at desc, kind, ref_id limit ? offset ?`,
      [...params, chunk, offset],
    );
    for (const row of rows) yield toRow(row);
    if (rows.length < chunk) return;
  }
}

/** Providers whose ledger is only reachable through their API are asked about at most this many payments per report. */
export const PROVIDER_LOOKUP_LIMIT = 200;
const LOOKUP_CONCURRENCY = 4;

/** Providers whose ledger is theirs alone: each payment is compared with their query's answer. */
const EXTERNAL_LEDGERS = ['alipay', 'wechatpay'] as const;
type ExternalLedger = (typeof EXTERNAL_LEDGERS)[number];

/**
 * The provider's own record of each captured payment of a provider without a ledger in our
 * database (Alipay's trade query, WeChat Pay's transaction query), for a report of one day at most: the calls are bounded by the
 * day's payments (and PROVIDER_LOOKUP_LIMIT). A lookup that fails leaves its payment uncompared.
 */
export async function providerRecordsFor(
  em: EntityManager,
  payments: PaymentProviders,
  filter: ReconciliationFilter,
): Promise<ProviderRecordRow[]> {
  const queried = EXTERNAL_LEDGERS.filter((name) => payments[name]);
  if (queried.length === 0 || !filter.from || !filter.to) return [];
  if (filter.to.getTime() - filter.from.getTime() > 86_400_000) return [];
  const rows: { provider: ExternalLedger; provider_payment_id: string }[] = await em.execute(
    `select p.provider, p.provider_payment_id from payment p join purchase_order o on o.id = p.order_id
     where p.provider in (${queried.map(() => '?').join(', ')}) and (p.captured_at is not null or p.status in ('captured', 'refunded'))
       and coalesce(p.captured_at, p.updated_at) >= ? and coalesce(p.captured_at, p.updated_at) < ?
       ${filter.manufacturerId ? 'and o.manufacturer_id = ?' : ''}
     order by p.provider, p.provider_payment_id limit ?`,
    [
      ...queried,
      filter.from,
      filter.to,
      ...(filter.manufacturerId ? [filter.manufacturerId] : []),
      PROVIDER_LOOKUP_LIMIT,
    ],
  );
  const records: ProviderRecordRow[] = [];
  const queue = [...rows];
  const lookUp = async () => {
    for (let row = queue.shift(); row !== undefined; row = queue.shift()) {
      const id = row.provider_payment_id;
      const record = await payments[row.provider]?.paymentRecord(id).catch(() => undefined);
      if (record === undefined) continue;
      records.push({
        provider: row.provider,
        providerPaymentId: id,
        status: record?.status ?? null,
        amountFen: record?.amountFen ?? null,
      });
    }
  };
  await Promise.all(Array.from({ length: LOOKUP_CONCURRENCY }, lookUp));
  return records;
}

export const CSV_COLUMNS: (keyof ReconciliationRow)[] = [
  'at',
  'kind',
  'result',
  'flagged',
  'orderNumber',
  'orderStatus',
  'manufacturerId',
  'manufacturerName',
  'provider',
  'providerPaymentId',
  'reference',
  'reason',
  'amountFen',
  'currency',
  'providerStatus',
  'id',
];

/** The report's filter as asked for: China-time days, both inclusive. */
export interface ReconciliationDays {
  from?: string;
  to?: string;
  manufacturerId?: string;
  flaggedOnly?: boolean;
}

/**
 * China-time days (inclusive) → the instants of the ledger filter, with the
 * providers' own records of the report's payments that only their APIs hold.
 */
async function reconciliationFilter(
  em: EntityManager,
  payments: PaymentProviders,
  days: ReconciliationDays,
): Promise<ReconciliationFilter> {
  if (days.from && days.to && days.from > days.to)
    throw invalid([fieldProblem('querystring.to', 'toBeforeFrom')]);
  const filter: ReconciliationFilter = {
    ...(days.from ? { from: new Date(`${days.from}T00:00:00+08:00`) } : {}),
    ...(days.to ? { to: new Date(`${addDays(days.to, 1)}T00:00:00+08:00`) } : {}),
    ...(days.manufacturerId ? { manufacturerId: days.manufacturerId } : {}),
    ...(days.flaggedOnly ? { flaggedOnly: true } : {}),
  };
  return { ...filter, providerRecords: await providerRecordsFor(em, payments, filter) };
}

/** The summary of the days asked for and one page of their rows. */
export async function reconciliationReport(
  em: EntityManager,
  payments: PaymentProviders,
  days: ReconciliationDays,
  page: { limit: number; offset: number },
) {
  const filter = await reconciliationFilter(em, payments, days);
  const [summary, rows] = await Promise.all([
    reconciliationSummary(em, filter),
    reconciliationPage(em.fork(), filter, page),
  ]);
  return { summary, rows: rows.rows, total: rows.total };
}

/** Every row of the days asked for as a CSV stream (CSV_COLUMNS). */
export async function reconciliationCsv(
  em: EntityManager,
  payments: PaymentProviders,
  days: ReconciliationDays,
) {
  const filter = await reconciliationFilter(em, payments, days);
  async function* records() {
    for await (const row of reconciliationRows(em, filter)) yield CSV_COLUMNS.map((c) => row[c]);
  }
  return csvStream(CSV_COLUMNS, records());
}
