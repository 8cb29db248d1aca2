/**
 * Repair requests as the consumer sees them (with the order link's token) and
 * as the manufacturer's service desk sees them (the queue and one claim with
 * its order, the claim cap, photos and the live state of its workflow).
 * The routes' response schemas (routes/api/claims.ts) describe these shapes.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { remainingCapFen } from '../domain/claim-rules.ts';
import type { ClaimStatus } from '../domain/entities/claim.entity.ts';
import { Claim, ClaimPhoto, MainProduct, Order, Plan } from '../domain/entities/index.ts';
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

/** The service desk's queue: open claims oldest first (a queue), finished ones newest first. */
export async function deskQueue(
  em: EntityManager,
  manufacturerId: string,
  { status, limit, offset }: { status?: ClaimStatus | undefined; limit: number; offset: number },
) {
  const open = status === 'submitted' || status === 'accepted' || status === 'repaired';
  const [claims, total] = await em.findAndCount(
    Claim,
    { manufacturer: manufacturerId, ...(status ? { status } : {}) },
    { orderBy: { createdAt: open ? 'asc' : 'desc' }, limit, offset },
  );
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
  return {
    items: claims.map((claim) => {
      const order = orders.get(claim.order) as Order;
      return deskSummary(claim, order, products.get(order.product), photoCounts.get(claim.id) ?? 0);
    }),
    total,
  };
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
