import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { type CoverageStartRule, type CoverageType, PRODUCT_CATEGORIES } from '../catalog.ts';
import { baseProperties } from './base.ts';

export const CASE_SOURCES = ['library', 'published'] as const;

/**
 * A published plan of some product, kept for clause matching (patent module 6):
 * the seeded sample library plus every plan published on the platform.
 */
export const PlanCase = defineEntity({
  name: 'PlanCase',
  indexes: [
    {
      // Clause matching ranks every case of a category from these columns (src/services/clause-matching.ts).
      name: 'plan_case_ranking_index',
      expression: `create index "plan_case_ranking_index" on "plan_case" ("category") include ("id", "retail_price_fen", "term_months", "price_fen", "coverage_types")`,
    },
  ],
  properties: {
    ...baseProperties,
    key: p.string().length(100).unique(),
    source: p.enum([...CASE_SOURCES]),
    category: p.enum([...PRODUCT_CATEGORIES]),
    manufacturerName: p.string().length(200),
    brand: p.string().length(100),
    productName: p.string().length(200),
    model: p.string().length(100),
    retailPriceFen: p.integer(),
    planNameZh: p.string().length(100),
    planNameEn: p.string().length(200),
    termMonths: p.integer(),
    priceFen: p.integer(),
    coverageStartRule: p.json<CoverageStartRule>(),
    coverageTypes: p.array<CoverageType>(),
    clauseIds: p.array(),
  },
});
export type PlanCase = InferEntity<typeof PlanCase>;
