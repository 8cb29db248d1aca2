import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { COVERAGE_TYPES, type ProductCategory } from '../catalog.ts';
import { baseProperties } from './base.ts';
import { CLAUSE_STATUSES, Clause } from './clause.entity.ts';
import { User } from './user.entity.ts';

/** Every version a library clause has had; published plans keep their own frozen copies. */
export const ClauseRevision = defineEntity({
  name: 'ClauseRevision',
  uniques: [{ properties: ['clause', 'version'] }],
  properties: {
    ...baseProperties,
    clause: () => p.manyToOne(Clause).mapToPk(),
    version: p.integer(),
    coverageType: p.enum([...COVERAGE_TYPES]),
    categories: p.array<ProductCategory>(),
    titleZh: p.string().length(100),
    titleEn: p.string().length(200),
    bodyZh: p.text(),
    bodyEn: p.text(),
    status: p.enum([...CLAUSE_STATUSES]),
    /** null for the seeded first version */
    editedBy: () => p.manyToOne(User).mapToPk().nullable(),
  },
});
export type ClauseRevision = InferEntity<typeof ClauseRevision>;
