import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { COVERAGE_TYPES, type ProductCategory } from '../catalog.ts';
import { baseProperties } from './base.ts';

export const CLAUSE_STATUSES = ['active', 'retired'] as const;

/** A bilingual clause of the library (patent module 6). Plans copy its text when published. */
export const Clause = defineEntity({
  name: 'Clause',
  properties: {
    ...baseProperties,
    key: p.string().length(100).unique(),
    coverageType: p.enum([...COVERAGE_TYPES]).index(),
    categories: p.array<ProductCategory>(),
    titleZh: p.string().length(100),
    titleEn: p.string().length(200),
    bodyZh: p.text(),
    bodyEn: p.text(),
    version: p.integer().default(1),
    status: p.enum([...CLAUSE_STATUSES]).default('active'),
  },
});
export type Clause = InferEntity<typeof Clause>;
