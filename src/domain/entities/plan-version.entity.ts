import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { CoverageStartRule, CoverageType } from '../catalog.ts';
import type { ClauseSnapshot } from '../plan-draft.ts';
import { baseProperties } from './base.ts';
import { Plan } from './plan.entity.ts';
import { PlanDraft } from './plan-draft.entity.ts';
import { User } from './user.entity.ts';

/**
 * The frozen terms of a plan as approved: clause texts are copied, so later
 * edits to the library never change what a buyer agreed to.
 */
export const PlanVersion = defineEntity({
  name: 'PlanVersion',
  uniques: [{ properties: ['plan', 'version'] }],
  properties: {
    ...baseProperties,
    plan: () => p.manyToOne(Plan).mapToPk(),
    version: p.integer(),
    /** The reviewed draft this version was published from (null only for rows made before it was kept). */
    draft: () => p.manyToOne(PlanDraft).mapToPk().nullable().unique(),
    termMonths: p.integer(),
    coverageStartRule: p.json<CoverageStartRule>(),
    priceFen: p.integer(),
    currency: p.string().length(3),
    purchaseWindowDays: p.integer(),
    /** Days after the order in which a cancellation is refunded in full. */
    coolingOffDays: p.integer().default(30),
    coverageTypes: p.array<CoverageType>(),
    clauses: p.json<ClauseSnapshot[]>(),
    submittedBy: () => p.manyToOne(User).mapToPk(),
    approvedBy: () => p.manyToOne(User).mapToPk(),
    publishedAt: p.datetime(),
  },
});
export type PlanVersion = InferEntity<typeof PlanVersion>;
