import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { CoverageStartRule, CoverageType } from '../catalog.ts';
import type { ClauseSelection, MatchingResult, ReviewRecord } from '../plan-draft.ts';
import { baseProperties } from './base.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';
import { User } from './user.entity.ts';

export const PLAN_DRAFT_STATUSES = [
  'entered',
  'awaiting_selection',
  'awaiting_review',
  'published',
  'expired',
] as const;
export type PlanDraftStatus = (typeof PLAN_DRAFT_STATUSES)[number];
/** A draft still on its way to review (the open new version of a plan is one of these). */
export const OPEN_DRAFT_STATUSES: PlanDraftStatus[] = ['entered', 'awaiting_selection', 'awaiting_review'];

/**
 * A warranty requirement (patent module 5) on its way through PlanCreationWorkflow.
 * The workflow is the source of truth for its progress; these columns mirror it
 * so lists and queues are plain queries.
 */
export const PlanDraft = defineEntity({
  name: 'PlanDraft',
  indexes: [
    { properties: ['manufacturer', 'status'] },
    // One open new version per plan: two approved at once would race for the next number.
    {
      name: 'plan_draft_one_open_revision',
      expression: `create unique index "plan_draft_one_open_revision" on "plan_draft" ("revises_plan_id") where "status" in ('entered', 'awaiting_selection', 'awaiting_review')`,
    },
  ],
  properties: {
    ...baseProperties,
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    product: () => p.manyToOne(MainProduct).mapToPk(),
    createdBy: () => p.manyToOne(User).mapToPk(),
    /** Set when the draft is a new version of this published plan rather than a new plan. */
    revisesPlan: () => p.manyToOne(Plan).mapToPk().nullable(),
    nameZh: p.string().length(100),
    nameEn: p.string().length(200),
    termMonths: p.integer(),
    coverageStartRule: p.json<CoverageStartRule>(),
    priceFen: p.integer(),
    currency: p.string().length(3).default('CNY'),
    purchaseWindowDays: p.integer(),
    coolingOffDays: p.integer().default(30),
    coverageTypes: p.array<CoverageType>(),
    status: p.enum([...PLAN_DRAFT_STATUSES]).default('entered'),
    workflowId: p.string().length(100).unique(),
    suggestions: p.json<MatchingResult>().nullable(),
    selection: p.json<ClauseSelection>().nullable(),
    submittedBy: () => p.manyToOne(User).mapToPk().nullable(),
    submittedAt: p.datetime().nullable(),
    /** Every review decision, oldest first. */
    reviews: p.json<ReviewRecord[]>().default('[]'),
  },
});
export type PlanDraft = InferEntity<typeof PlanDraft>;
