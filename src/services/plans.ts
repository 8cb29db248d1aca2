/**
 * Published plans (patent module 8) as their manufacturer sees them: each
 * plan with its frozen versions and the documents of the current one.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Plan, PlanDocument, PlanVersion } from '../domain/entities/index.ts';
import type { PlanDocumentKind } from '../domain/entities/plan-document.entity.ts';
import { notFound } from '../domain/errors.ts';
import { publicPlanUrl } from '../domain/public-code.ts';

/** The manufacturer's own plan; another manufacturer's answers 404 like a missing one. */
export async function ownPlan(em: EntityManager, manufacturerId: string, id: string) {
  const plan = await em.findOne(Plan, { id, manufacturer: manufacturerId });
  if (!plan) throw notFound('plan');
  return plan;
}

export const planSummary = (p: Plan, publicBaseUrl: string) => ({
  id: p.id,
  code: p.code,
  productId: p.product,
  draftId: p.draft,
  nameZh: p.nameZh,
  nameEn: p.nameEn,
  status: p.status,
  currentVersion: p.currentVersion,
  publicUrl: publicPlanUrl(publicBaseUrl, p.code),
  createdAt: p.createdAt.toISOString(),
});

/** The manufacturer's plans, newest first, a page at a time. */
export async function listPlans(
  em: EntityManager,
  manufacturerId: string,
  page: { limit: number; offset: number },
  publicBaseUrl: string,
) {
  const [items, total] = await em.findAndCount(
    Plan,
    { manufacturer: manufacturerId },
    { orderBy: { createdAt: 'desc' }, limit: page.limit, offset: page.offset },
  );
  return { items: items.map((p) => planSummary(p, publicBaseUrl)), total };
}

/** A version's frozen terms and clause snapshot. */
export const planVersionView = (v: PlanVersion) => ({
  id: v.id,
  version: v.version,
  termMonths: v.termMonths,
  coverageStartRule: v.coverageStartRule,
  priceFen: v.priceFen,
  currency: v.currency,
  purchaseWindowDays: v.purchaseWindowDays,
  coverageTypes: v.coverageTypes,
  clauses: v.clauses,
  submittedBy: v.submittedBy,
  approvedBy: v.approvedBy,
  publishedAt: v.publishedAt.toISOString(),
});

/** The plan with every version, newest first, and the documents of its current version. */
export async function planDetail(em: EntityManager, plan: Plan, publicBaseUrl: string) {
  const versions = await em.find(PlanVersion, { plan: plan.id }, { orderBy: { version: 'desc' } });
  const current = versions.find((v) => v.version === plan.currentVersion);
  const documents = current
    ? await em.find(PlanDocument, { planVersion: current.id }, { fields: ['kind'] })
    : [];
  return {
    ...planSummary(plan, publicBaseUrl),
    versions: versions.map(planVersionView),
    documents: documents.map((d) => ({ kind: d.kind, url: `/api/v1/plans/${plan.id}/documents/${d.kind}` })),
  };
}

/** A document (QR code or label) of the plan's current version, with that version's number. */
export async function currentPlanDocument(em: EntityManager, plan: Plan, kind: PlanDocumentKind) {
  const version = await em.findOneOrFail(PlanVersion, { plan: plan.id, version: plan.currentVersion });
  const document = await em.findOne(
    PlanDocument,
    { planVersion: version.id, kind },
    { populate: ['content'] },
  );
  if (!document) throw notFound('document');
  return { version: version.version, document };
}
