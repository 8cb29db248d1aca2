/**
 * Plan drafts (patent modules 5 and 7): a manufacturer's warranty requirement,
 * checked against its product and handed to PlanCreationWorkflow.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config.ts';
import type { CoverageType } from '../domain/catalog.ts';
import { MainProduct, PlanDraft, User } from '../domain/entities/index.ts';
import {
  FIELD_WORDS,
  type FormSchemaCheck,
  fieldProblem,
  invalid,
  notFound,
  ruleProblems,
} from '../domain/errors.ts';
import { coverageStartRuleOf, requirementRules } from '../domain/plan-requirement.ts';
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

/**
 * Stores the requirement as a draft of one of the manufacturer's products and starts its workflow. Every
 * problem answers at once: the schema's (`schema`), and the rules over the fields it passed.
 */
export function createPlanDraft(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  member: { manufacturerId: string; userId: string },
  { productId, ...requirement }: DraftRequirement,
  schema: FormSchemaCheck,
) {
  return insertDraft(deps, { member, productId, requirement, revisesPlan: null, schema });
}

const SCHEMA_PASSED: FormSchemaCheck = { problems: [], refused: new Set() };

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
    schema = SCHEMA_PASSED,
  }: {
    member: { manufacturerId: string; userId: string };
    productId: string;
    requirement: Omit<DraftRequirement, 'productId'>;
    revisesPlan: string | null;
    /** What the route's schema refused; a requirement built by the server passed it. */
    schema?: FormSchemaCheck;
  },
) {
  const { em } = deps;
  const product = schema.refused.has('productId')
    ? null
    : await em.findOne(MainProduct, { id: productId, manufacturer: member.manufacturerId });
  const problems = [
    ...schema.problems,
    ...(product || schema.refused.has('productId') ? [] : [fieldProblem('productId', 'notYourProduct')]),
    // Without a product, the rules comparing with it do not run (the currency is always the product's).
    ...ruleProblems(
      requirementRules(product),
      { ...requirement, currency: product?.currency ?? '' },
      schema.refused,
    ),
  ];
  if (problems.length > 0 || !product) throw invalid(problems, FIELD_WORDS);
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

/** A member of staff as lists name them. */
export interface StaffName {
  id: string;
  displayName: string;
}

/**
 * The people a page of drafts names, by id: each draft's submitter and reviewers (issue 14 §5: the queue
 * shows who submitted, a change request who asked for it). One query for the whole page.
 */
export async function staffNamesOf(em: EntityManager, drafts: PlanDraft[]): Promise<Map<string, StaffName>> {
  const ids = new Set(
    drafts.flatMap((d) => [...(d.submittedBy ? [d.submittedBy] : []), ...d.reviews.map((r) => r.reviewerId)]),
  );
  if (ids.size === 0) return new Map();
  const users = await em.find(User, { id: { $in: [...ids] } }, { fields: ['displayName'] });
  return new Map(users.map((u) => [u.id, { id: u.id, displayName: u.displayName }]));
}

/** Whole seconds a draft has waited for review (null unless it waits): the queue's waiting time. */
export const waitingSeconds = (draft: PlanDraft, now: Date): number | null =>
  draft.status === 'awaiting_review' && draft.submittedAt
    ? Math.max(0, Math.floor((now.getTime() - draft.submittedAt.getTime()) / 1000))
    : null;
