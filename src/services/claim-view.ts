/**
 * Repair requests as the consumer sees them (with the order link's token) and
 * as the manufacturer's service desk sees them (the queue and one claim with
 * its order, the claim cap, photos and the live state of its workflow).
 * The routes' response schemas (routes/api/claims.ts) describe these shapes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { remainingCapFen, slaCutoffs } from '../domain/claim-rules.ts';
import type { ClaimStatus } from '../domain/entities/claim.entity.ts';
import { Claim, ClaimPhoto, MainProduct, Order, Plan, PlanDraft } from '../domain/entities/index.ts';
import { normalizeMobile } from '../domain/phone.ts';
import { approvedRepairFen, type ClaimDeps, claimProgress } from './claims.ts';

type PhotoRow = Pick<ClaimPhoto, 'id' | 'claim' | 'fileName' | 'contentType' | 'sizeBytes'>;

/** Photo facts without their content, for lists. */
export const photosOf = (em: EntityManager, claimIds: string[]): Promise<PhotoRow[]> =>
  claimIds.length === 0
    ? Promise.resolve([])
    : em.find(
        ClaimPhoto,
        { claim: { $in: claimIds } },
        { fields: ['id', 'claim', 'fileName', 'contentType', 'sizeBytes'], orderBy: { createdAt: 'asc' } },
      );

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A claim as its consumer sees it; photo URLs carry the order link's token. */
export function consumerClaimView(claim: Claim, order: Order, photos: PhotoRow[], token: string) {
  return {
    claimNumber: claim.claimNumber,
    status: claim.status,
    coverageType: claim.coverageType,
    faultDate: claim.faultDate,
    faultDescription: claim.faultDescription,
    contactPhone: claim.contactPhone,
    decisionReason: claim.decisionReason ?? null,
    outcome: claim.outcome ?? null,
    repairCostFen: claim.repairCostFen ?? null,
    parts: claim.parts ?? null,
    currency: order.currency,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: iso(claim.decidedAt),
    repairedAt: iso(claim.repairedAt),
    closedAt: iso(claim.closedAt),
    photos: photos
      .filter((p) => p.claim === claim.id)
      .map((p) => ({
        id: p.id,
        fileName: p.fileName,
        contentType: p.contentType,
        sizeBytes: p.sizeBytes,
        url: `/api/v1/public/orders/${order.orderNumber}/claims/${claim.claimNumber}/photos/${p.id}?t=${encodeURIComponent(token)}`,
      })),
  };
}

/** The claims of an order, newest first, with their photos' facts. */
export async function claimsOfOrder(em: EntityManager, order: Order) {
  const claims = await em.find(Claim, { order: order.id }, { orderBy: { createdAt: 'desc' } });
  return {
    claims,
    photos: await photosOf(
      em,
      claims.map((c) => c.id),
    ),
  };
}

const productName = (p: MainProduct | undefined) => (p ? `${p.brand} ${p.name} ${p.model}` : '—');

function deskSummary(claim: Claim, order: Order, product: MainProduct | undefined, photoCount: number) {
  return {
    claimNumber: claim.claimNumber,
    status: claim.status,
    orderNumber: order.orderNumber,
    product: productName(product),
    coverageType: claim.coverageType,
    faultDate: claim.faultDate,
    faultDescription: claim.faultDescription,
    photoCount,
    slaRemindersSent: claim.slaRemindersSent,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: iso(claim.decidedAt),
    repairedAt: iso(claim.repairedAt),
    closedAt: iso(claim.closedAt),
  };
}

export interface DeskSearch {
  status?: ClaimStatus | undefined;
  /** Only the claims waiting longer than their SLA (submitted or accepted). */
  overdue?: boolean | undefined;
  /** A claim number or serial number (exactly, any case), a mobile number, or its last four digits. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

const LAST_FOUR = /^\d{4}$/;

/**
 * The service desk's search as conditions on claim `c`, the way the order search reads its terms
 * (src/services/order-search.ts): four digits are a phone's last four, a mobile number a whole phone,
 * anything else a claim number or the serial number of the claim's order. Each is an index lookup
 * (claim_desk_phone_last4, the claim number's unique index, purchase_order_serial_search then claim.order_id).
 */
async function deskSearchCondition(
  em: EntityManager,
  manufacturerId: string,
  q: string,
): Promise<{ sql: string; params: unknown[] }> {
  const text = q.trim();
  if (LAST_FOUR.test(text)) return { sql: 'right(c.contact_phone, 4) = ?', params: [text] };
  const phone = normalizeMobile(text);
  // The last four first, so the phone index serves a whole number too.
  if (phone)
    return { sql: 'right(c.contact_phone, 4) = ? and c.contact_phone = ?', params: [phone.slice(-4), phone] };
  const orders = await em
    .createQueryBuilder(Order, 'o')
    .select('id')
    .where({ manufacturer: manufacturerId })
    .andWhere('lower(o.serial_number) = lower(?)', [text])
    .execute<{ id: string }[]>();
  const orderIds = orders.map((o) => o.id);
  return orderIds.length > 0
    ? { sql: '(c.claim_number = ? or c.order_id in (?))', params: [text.toUpperCase(), orderIds] }
    : { sql: 'c.claim_number = ?', params: [text.toUpperCase()] };
}

/** The desk's claims over their SLA at `now` (slaCutoffs), as a condition on claim `c`. */
function overdueCondition(sla: ClaimSla, now: Date) {
  const cutoff = slaCutoffs(sla, now);
  return {
    $or: [
      { status: 'submitted' as const, createdAt: { $lt: cutoff.submitted } },
      { status: 'accepted' as const, decidedAt: { $lt: cutoff.accepted } },
    ],
  };
}

type ClaimSla = AppConfig['claims'];

/**
 * The desk queue's query, one page: open claims oldest first (a queue), finished ones newest first; filtered
 * by status and by being over the SLA, and searched (deskSearchCondition). Built here and nowhere else, so
 * the benchmark (bench/claim-desk.ts) times exactly what the API runs.
 */
export async function deskQueueQuery(
  em: EntityManager,
  manufacturerId: string,
  sla: ClaimSla,
  { status, overdue, q, limit, offset }: DeskSearch,
  now: Date,
) {
  const open = status === 'submitted' || status === 'accepted' || status === 'repaired' || overdue === true;
  const qb = em
    .createQueryBuilder(Claim, 'c')
    .select('*')
    .where({ manufacturer: manufacturerId, ...(status ? { status } : {}) });
  if (overdue) qb.andWhere(overdueCondition(sla, now));
  if (q?.trim()) {
    const search = await deskSearchCondition(em, manufacturerId, q);
    qb.andWhere(search.sql, search.params);
  }
  // Wrapped: a query builder is thenable, so an async function returning it would run it.
  return {
    query: qb
      .orderBy({ createdAt: open ? 'asc' : 'desc', id: 'asc' })
      .limit(limit)
      .offset(offset),
  };
}

/** A page of the service desk's queue (deskQueueQuery) and its total; each item says whether it is overdue. */
export async function deskQueue(
  em: EntityManager,
  manufacturerId: string,
  sla: ClaimSla,
  search: DeskSearch,
  now = new Date(),
) {
  const { query } = await deskQueueQuery(em, manufacturerId, sla, search, now);
  const [claims, total] = await query.getResultAndCount();
  const orders = new Map(
    (await em.find(Order, { id: { $in: claims.map((c) => c.order) } })).map((o) => [o.id, o]),
  );
  const products = new Map(
    (await em.find(MainProduct, { id: { $in: [...orders.values()].map((o) => o.product) } })).map((p) => [
      p.id,
      p,
    ]),
  );
  const photoCounts = new Map<string, number>();
  for (const photo of await photosOf(
    em,
    claims.map((c) => c.id),
  ))
    photoCounts.set(photo.claim, (photoCounts.get(photo.claim) ?? 0) + 1);
  const cutoff = slaCutoffs(sla, now);
  return {
    items: claims.map((claim) => {
      const order = orders.get(claim.order) as Order;
      return {
        ...deskSummary(claim, order, products.get(order.product), photoCounts.get(claim.id) ?? 0),
        overdue:
          (claim.status === 'submitted' && claim.createdAt < cutoff.submitted) ||
          (claim.status === 'accepted' && claim.decidedAt != null && claim.decidedAt < cutoff.accepted),
      };
    }),
    total,
  };
}

/**
 * The navigation's to-do counts (issue 14 §5): drafts waiting for this user's review (null for those who do
 * not review), claims waiting for the desk (submitted or accepted), and those over their SLA. Each is a count
 * over an index: plan_draft (manufacturer_id, status), claim_desk_waiting and claim_desk_decided.
 */
export async function todoCounts(
  em: EntityManager,
  sla: ClaimSla,
  member: { manufacturerId: string; userId: string; reviews: boolean },
  now = new Date(),
) {
  const manufacturer = member.manufacturerId;
  const [draftsToReview, claimsWaiting, claimsOverSla] = await Promise.all([
    member.reviews
      ? em.count(PlanDraft, {
          manufacturer,
          status: 'awaiting_review',
          // Nobody reviews their own submission.
          submittedBy: { $ne: member.userId },
        })
      : null,
    em.count(Claim, { manufacturer, status: { $in: ['submitted', 'accepted'] } }),
    em.count(Claim, { manufacturer, ...overdueCondition(sla, now) }),
  ]);
  return { draftsToReview, claimsWaiting, claimsOverSla };
}

/** One claim for the service desk; the workflow's live state is null when Temporal cannot say. */
export async function deskDetail({ em, client }: ClaimDeps, claim: Claim) {
  const order = await em.findOneOrFail(Order, { id: claim.order });
  const [product, plan, photos, approvedFen, workflow] = await Promise.all([
    em.findOneOrFail(MainProduct, { id: order.product }),
    em.findOneOrFail(Plan, { id: order.plan }),
    photosOf(em, [claim.id]),
    approvedRepairFen(em, order.id),
    claimProgress(client, claim.claimNumber).catch(() => null),
  ]);
  return {
    ...deskSummary(claim, order, product, photos.length),
    contactPhone: claim.contactPhone,
    decisionReason: claim.decisionReason ?? null,
    repairCostFen: claim.repairCostFen ?? null,
    parts: claim.parts ?? null,
    outcome: claim.outcome ?? null,
    currency: order.currency,
    order: {
      orderNumber: order.orderNumber,
      status: order.status,
      consumerName: order.consumerName,
      serialNumber: order.serialNumber,
      coverageStart: order.coverageStart ?? null,
      coverageEnd: order.coverageEnd ?? null,
      planNameZh: plan.nameZh,
      planNameEn: plan.nameEn,
    },
    // The retail price the order was sold under, frozen on it.
    cap: {
      retailPriceFen: order.productRetailPriceFen,
      approvedFen,
      remainingFen: remainingCapFen(order.productRetailPriceFen, approvedFen),
    },
    photos: photos.map((p) => ({
      id: p.id,
      fileName: p.fileName,
      contentType: p.contentType,
      sizeBytes: p.sizeBytes,
      url: `/api/v1/claims/${claim.claimNumber}/photos/${p.id}`,
    })),
    workflowId: claim.workflowId,
    workflow,
  };
}
