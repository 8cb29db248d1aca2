/**
 * A manufacturer's order list and cancellation list (issue 14 §1): filters,
 * searches and keyset pagination, tenant-scoped, each query an index range
 * scan over a million orders (bench/order-search.ts measures them).
 *
 * The order list holds the orders that were paid (active, cancelled, ended):
 * a registration never paid is not a sale (statistics and the CSV export agree),
 * and keeping to paid orders lets one key, (paid_at, id), serve both the order
 * and the paid-date filter. Pages go newest first; the cursor is the last row's
 * key, so a page never repeats or skips a row whatever is paid meanwhile.
 *
 * Searches: order number and serial number (case-insensitive) exactly, the
 * phone as a full number or its last four digits, the holder's name by its
 * start (case-insensitive). Chinese names are two or three characters, so a
 * trigram index cannot serve them (a two-character pattern has no trigram);
 * a prefix of the name is a btree range instead (the indexes are in
 * Migration20261205110000 and declared on the entities).
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { addDays } from '../domain/coverage.ts';
import type { CANCELLATION_STATUSES } from '../domain/entities/cancellation.entity.ts';
import { Cancellation, MainProduct, Order, Plan, PlanVersion } from '../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../domain/errors.ts';
import { normalizeMobile } from '../domain/phone.ts';
import { isUuid } from '../domain/uuid.ts';
import { chinaDayStart } from './statistics.ts';

/** The statuses a paid order can have. */
export const LISTED_ORDER_STATUSES = ['active', 'cancelled', 'ended'] as const;

export interface Page {
  limit: number;
  /** The previous page's nextCursor. */
  cursor?: string | undefined;
}

export interface OrderSearch extends Page {
  manufacturerId: string;
  planId?: string | undefined;
  productId?: string | undefined;
  status?: (typeof LISTED_ORDER_STATUSES)[number] | undefined;
  /** China-time days, both included. */
  paidFrom?: string | undefined;
  paidTo?: string | undefined;
  orderNumber?: string | undefined;
  serialNumber?: string | undefined;
  /** A mobile number, or its last four digits. */
  phone?: string | undefined;
  /** The start of the holder's name. */
  name?: string | undefined;
}

export interface CancellationSearch extends Page {
  manufacturerId: string;
  status?: (typeof CANCELLATION_STATUSES)[number] | undefined;
  /** China-time days the cancellation was requested, both included. */
  requestedFrom?: string | undefined;
  requestedTo?: string | undefined;
}

// ——— the cursor: the last row's (timestamp, id), opaque to clients ———

interface Key {
  at: Date;
  id: string;
}

export const encodeCursor = (key: Key) =>
  Buffer.from(JSON.stringify([key.at.toISOString(), key.id])).toString('base64url');

/** The key a cursor holds; a cursor this API did not make is a 400 on the field. */
export function decodeCursor(cursor: string): Key {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = null;
  }
  if (Array.isArray(value) && value.length === 2) {
    const [at, id] = value as unknown[];
    const date = typeof at === 'string' ? new Date(at) : null;
    if (
      date &&
      !Number.isNaN(date.getTime()) &&
      date.toISOString() === at &&
      typeof id === 'string' &&
      isUuid(id)
    )
      return { at: date, id };
  }
  throw invalid([fieldProblem('querystring.cursor', 'notCursor')]);
}

function dateRange(from: string | undefined, to: string | undefined, field: string) {
  if (from && to && from > to)
    throw invalid([
      fieldProblem(`querystring.${field}From`, 'afterRangeEnd', { other: `querystring.${field}To` }),
    ]);
  return {
    ...(from ? { $gte: chinaDayStart(from) } : {}),
    ...(to ? { $lt: chinaDayStart(addDays(to, 1)) } : {}),
  };
}

/** LIKE's wildcards taken literally (backslash is PostgreSQL's default LIKE escape). */
const likePrefix = (text: string) => `${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const LAST_FOUR = /^\d{4}$/;

/** The phone search as a condition on the order: a full number exactly, or the last four digits. */
function phoneCondition(phone: string): { full: string } | { lastFour: string } {
  const trimmed = phone.trim();
  if (LAST_FOUR.test(trimmed)) return { lastFour: trimmed };
  const full = normalizeMobile(trimmed);
  if (!full) throw invalid([fieldProblem('querystring.phone', 'phoneOrLast4')]);
  return { full };
}

/** A plan or product of another manufacturer is not found, as everywhere else. */
async function checkOwnership(em: EntityManager, q: OrderSearch): Promise<void> {
  if (q.planId && !(await em.count(Plan, { id: q.planId, manufacturer: q.manufacturerId })))
    throw notFound('plan');
  if (q.productId && !(await em.count(MainProduct, { id: q.productId, manufacturer: q.manufacturerId })))
    throw notFound('mainProduct');
}

/**
 * The order list's query, one page plus one row (to tell whether there is a next page). Built
 * here and nowhere else, so the benchmark explains exactly what the API runs.
 */
export function orderSearchQuery(em: EntityManager, q: OrderSearch) {
  const qb = em
    .createQueryBuilder(Order, 'o')
    .select('*')
    .where({ manufacturer: q.manufacturerId, paidAt: { $ne: null } });
  if (q.planId) qb.andWhere({ plan: q.planId });
  if (q.productId) qb.andWhere({ product: q.productId });
  if (q.status) qb.andWhere({ status: q.status });
  if (q.paidFrom || q.paidTo) qb.andWhere({ paidAt: dateRange(q.paidFrom, q.paidTo, 'paid') });
  if (q.orderNumber) qb.andWhere({ orderNumber: q.orderNumber });
  if (q.serialNumber) qb.andWhere('lower(o.serial_number) = lower(?)', [q.serialNumber.trim()]);
  if (q.phone) {
    const phone = phoneCondition(q.phone);
    if ('full' in phone) qb.andWhere({ consumerPhone: phone.full });
    else qb.andWhere('right(o.consumer_phone, 4) = ?', [phone.lastFour]);
  }
  if (q.name) qb.andWhere('lower(o.consumer_name) like lower(?)', [likePrefix(q.name.trim())]);
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    // A row comparison, so the index range starts at the cursor instead of being filtered to it.
    qb.andWhere('(o.paid_at, o.id) < (?, ?)', [after.at, after.id]);
  }
  return qb.orderBy({ paidAt: 'desc', id: 'desc' }).limit(q.limit + 1);
}

function page<T>(rows: T[], limit: number, keyOf: (row: T) => Key) {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}

/**
 * A page of the manufacturer's paid orders, newest first, each with the number of the plan
 * version it bought, and the cursor of the next page (null on the last).
 */
export async function searchOrders(em: EntityManager, q: OrderSearch) {
  await checkOwnership(em, q);
  const rows = await orderSearchQuery(em, q).getResultList();
  const { items, nextCursor } = page(rows, q.limit, (o) => ({ at: o.paidAt as Date, id: o.id }));
  // One primary-key lookup for the page's few versions, not a join on every candidate row.
  const versions = await em.find(
    PlanVersion,
    { id: { $in: [...new Set(items.map((o) => o.planVersion))] } },
    { fields: ['version'] },
  );
  const versionOf = new Map(versions.map((v) => [v.id, v.version]));
  return {
    items: items.map((order) => ({ order, planVersion: versionOf.get(order.planVersion) as number })),
    nextCursor,
  };
}

/** The cancellation list's query: newest request first, keyset over (created_at, id). */
export function cancellationSearchQuery(em: EntityManager, q: CancellationSearch) {
  const qb = em
    .createQueryBuilder(Cancellation, 'c')
    .select('*')
    .join('c.order', 'o')
    .where({ order: { manufacturer: q.manufacturerId } });
  if (q.status) qb.andWhere({ status: q.status });
  if (q.requestedFrom || q.requestedTo)
    qb.andWhere({ createdAt: dateRange(q.requestedFrom, q.requestedTo, 'requested') });
  if (q.cursor) {
    const after = decodeCursor(q.cursor);
    qb.andWhere('(c.created_at, c.id) < (?, ?)', [after.at, after.id]);
  }
  return qb.orderBy({ createdAt: 'desc', id: 'desc' }).limit(q.limit + 1);
}

/** A page of the manufacturer's cancellations with their orders, newest first. */
export async function searchCancellations(em: EntityManager, q: CancellationSearch) {
  const rows = await cancellationSearchQuery(em, q).getResultList();
  const { items, nextCursor } = page(rows, q.limit, (c) => ({ at: c.createdAt, id: c.id }));
  const orders = await em.find(Order, { id: { $in: items.map((c) => c.order) } });
  const byId = new Map(orders.map((o) => [o.id, o]));
  return {
    items: items.map((cancellation) => ({ cancellation, order: byId.get(cancellation.order) as Order })),
    nextCursor,
  };
}
