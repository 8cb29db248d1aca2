/**
 * Plan drafts (patent modules 5 and 7): a manufacturer's warranty requirement,
 * checked against its product and handed to PlanCreationWorkflow.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config.ts';
import type { CoverageType } from '../domain/catalog.ts';
import { MainProduct, PlanDraft } from '../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../domain/errors.ts';
import { coverageStartRuleOf, draftRequirementProblems } from '../domain/plan-requirement.ts';
import { planDraftWorkflowId, startPlanCreation } from '../temporal/plan-creation.client.ts';

export interface DraftRequirement {
  productId: string;
  nameZh: string;
  nameEn: string;
  termMonths: number;
  coverageStartRule: { kind: string; days?: number | undefined };
  priceFen: number;
  purchaseWindowDays: number;
  coolingOffDays: number;
  coverageTypes: CoverageType[];
}

/** The manufacturer's draft; another manufacturer's is indistinguishable from a missing one. */
export async function ownDraft(em: EntityManager, manufacturerId: string, id: string) {
  const draft = await em.findOne(PlanDraft, { id, manufacturer: manufacturerId });
  if (!draft) throw notFound('planDraft');
  return draft;
}

/** Stores the requirement as a draft of one of the manufacturer's products and starts its workflow. */
export function createPlanDraft(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  member: { manufacturerId: string; userId: string },
  { productId, ...requirement }: DraftRequirement,
) {
  return insertDraft(deps, { member, productId, requirement, revisesPlan: null });
}

/**
 * Checks a requirement against its product, stores it as a draft (of a new plan, or of a new
 * version of `revisesPlan`) and starts its PlanCreationWorkflow.
 */
export async function insertDraft(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  {
    member,
    productId,
    requirement,
    revisesPlan,
  }: {
    member: { manufacturerId: string; userId: string };
    productId: string;
    requirement: Omit<DraftRequirement, 'productId'>;
    revisesPlan: string | null;
  },
) {
  const { em } = deps;
  const product = await em.findOne(MainProduct, { id: productId, manufacturer: member.manufacturerId });
  if (!product) throw invalid([fieldProblem('productId', 'notYourProduct')]);
  const problems = draftRequirementProblems({ ...requirement, currency: product.currency }, product);
  if (problems.length > 0) throw invalid(problems);
  const id = randomUUID();
  const draft = em.create(PlanDraft, {
    id,
    ...requirement,
    coverageStartRule: coverageStartRuleOf(requirement.coverageStartRule),
    currency: product.currency,
    manufacturer: member.manufacturerId,
    product: product.id,
    createdBy: member.userId,
    revisesPlan,
    workflowId: planDraftWorkflowId(id),
  });
  await em.flush();
  await startPlanCreation(deps.client, deps.config, draft);
  return draft;
}
