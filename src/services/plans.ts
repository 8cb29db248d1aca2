/**
 * Published plans after publication (issue 14 §3): stopping and resuming sale, with a record of
 * who did it and when, and new versions, which are drafts that revise the plan and go through
 * the same PlanCreationWorkflow review as a new plan.
 */
import { type EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config.ts';
import { Plan, PlanDraft, PlanSaleEvent, PlanVersion, User } from '../domain/entities/index.ts';
import { OPEN_DRAFT_STATUSES } from '../domain/entities/plan-draft.entity.ts';
import { conflict, errorMessage, notFound } from '../domain/errors.ts';
import { startPlanCreation } from '../temporal/plan-creation.client.ts';
import type { LandingCache } from './landing-cache.ts';
import { type DraftRequirement, insertDraft } from './plan-drafts.ts';

export interface Member {
  manufacturerId: string;
  userId: string;
}

/** The manufacturer's plan; another manufacturer's is indistinguishable from a missing one. */
export async function ownPlan(em: EntityManager, manufacturerId: string, id: string) {
  const plan = await em.findOne(Plan, { id, manufacturer: manufacturerId });
  if (!plan) throw notFound('plan');
  return plan;
}

/** Who stopped and resumed the plan, newest first. */
export const planSaleEvents = (em: EntityManager, planId: string) =>
  em.find(PlanSaleEvent, { plan: planId }, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: 50 });

/**
 * Stops (`onSale` false) or resumes selling a plan. Idempotent: asking for the status the plan
 * already has changes nothing and records nothing, so a retried click is one event. Orders
 * already created keep going (their payment completes); only new orders are refused.
 */
export async function setPlanOnSale(
  deps: { em: EntityManager; landingCache: LandingCache },
  member: Member,
  planId: string,
  onSale: boolean,
) {
  const status = onSale ? 'on_sale' : 'retired';
  const changed = await deps.em.transactional(async (tx) => {
    // Locked, so two concurrent clicks cannot both see the old status and both record an event.
    const plan = await tx.findOne(
      Plan,
      { id: planId, manufacturer: member.manufacturerId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!plan) throw notFound('plan');
    if (plan.status === status) return false;
    plan.status = status;
    tx.create(PlanSaleEvent, {
      plan: plan.id,
      manufacturer: member.manufacturerId,
      user: member.userId,
      action: onSale ? 'resumed' : 'stopped',
    });
    return true;
  });
  // Its landing page answers "no longer on sale" (or sells again) from the next request on.
  if (changed) deps.landingCache.invalidate();
  return ownPlan(deps.em, member.manufacturerId, planId);
}

/** What a new version may change; anything left out is taken from the current version. */
export type VersionTerms = Partial<
  Pick<
    DraftRequirement,
    | 'termMonths'
    | 'coverageStartRule'
    | 'priceFen'
    | 'purchaseWindowDays'
    | 'coolingOffDays'
    | 'coverageTypes'
  >
>;

const sameTerms = (draft: PlanDraft, wanted: Omit<DraftRequirement, 'productId' | 'nameZh' | 'nameEn'>) =>
  draft.termMonths === wanted.termMonths &&
  draft.priceFen === wanted.priceFen &&
  draft.purchaseWindowDays === wanted.purchaseWindowDays &&
  draft.coolingOffDays === wanted.coolingOffDays &&
  JSON.stringify(draft.coverageStartRule) === JSON.stringify(wanted.coverageStartRule) &&
  [...draft.coverageTypes].sort().join() === [...wanted.coverageTypes].sort().join();

/**
 * Opens a new version of a plan as a draft (same product, name and public code; new terms),
 * which then takes the clause selection and the review of any draft. One open at a time per
 * plan; the same editor asking again for the same terms (a retried request) gets the same
 * draft back (`created` false), anything else is a 409 naming the open draft.
 */
export async function createPlanVersionDraft(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  member: Member,
  planId: string,
  terms: VersionTerms,
): Promise<{ draft: PlanDraft; created: boolean }> {
  const { em } = deps;
  const plan = await ownPlan(em, member.manufacturerId, planId);
  const current = await em.findOneOrFail(PlanVersion, { plan: plan.id, version: plan.currentVersion });
  const wanted = {
    termMonths: terms.termMonths ?? current.termMonths,
    coverageStartRule: terms.coverageStartRule ?? current.coverageStartRule,
    priceFen: terms.priceFen ?? current.priceFen,
    purchaseWindowDays: terms.purchaseWindowDays ?? current.purchaseWindowDays,
    coolingOffDays: terms.coolingOffDays ?? current.coolingOffDays,
    coverageTypes: terms.coverageTypes ?? current.coverageTypes,
  };
  const openRevision = async () => {
    const open = await em.findOne(PlanDraft, {
      revisesPlan: plan.id,
      status: { $in: OPEN_DRAFT_STATUSES },
    });
    if (!open) return null;
    if (open.createdBy === member.userId && sameTerms(open, wanted)) return open;
    throw conflict(errorMessage('planVersionOpen', { draftId: open.id }));
  };
  // Starting again is a no-op for a running workflow and recovers one whose start was cut off.
  const resume = async (draft: PlanDraft) => {
    await startPlanCreation(deps.client, deps.config, draft);
    return { draft, created: false };
  };
  const open = await openRevision();
  if (open) return resume(open);
  try {
    const draft = await insertDraft(deps, {
      member,
      productId: plan.product,
      requirement: { nameZh: plan.nameZh, nameEn: plan.nameEn, ...wanted },
      revisesPlan: plan.id,
    });
    return { draft, created: true };
  } catch (err) {
    // A double click: both requests passed the check, the partial unique index refused the second.
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    em.clear();
    const raced = await openRevision();
    if (!raced) throw err;
    return resume(raced);
  }
}

/** Every stop and resume, newest first, with the plan and the user's email: what auditors read. */
export async function planSaleRecord(
  em: EntityManager,
  filter: { manufacturerId?: string | undefined; planId?: string | undefined },
  page: { limit: number; offset: number },
) {
  const [events, total] = await em.findAndCount(
    PlanSaleEvent,
    {
      ...(filter.manufacturerId ? { manufacturer: filter.manufacturerId } : {}),
      ...(filter.planId ? { plan: filter.planId } : {}),
    },
    { orderBy: { createdAt: 'desc', id: 'desc' }, ...page },
  );
  const [plans, users] = await Promise.all([
    em.find(Plan, { id: { $in: [...new Set(events.map((e) => e.plan))] } }),
    em.find(User, { id: { $in: [...new Set(events.map((e) => e.user))] } }),
  ]);
  const planOf = new Map(plans.map((p) => [p.id, p]));
  const emailOf = new Map(users.map((u) => [u.id, u.email]));
  return {
    items: events.map((e) => {
      const plan = planOf.get(e.plan) as Plan;
      return {
        planId: plan.id,
        planCode: plan.code,
        planNameZh: plan.nameZh,
        planNameEn: plan.nameEn,
        manufacturerId: e.manufacturer,
        action: e.action,
        userId: e.user,
        userEmail: emailOf.get(e.user) ?? '',
        at: e.createdAt.toISOString(),
      };
    }),
    total,
  };
}
