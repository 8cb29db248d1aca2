import { defineEntity, type InferEntity, type Opt, p } from '@mikro-orm/core';
import { COVERAGE_TYPES, type ProductCategory } from '../catalog.ts';
import { baseProperties } from './base.ts';

export const CLAUSE_STATUSES = ['active', 'retired'] as const;

/** A bilingual clause of the library (patent module 6). Plans copy its text when published. */
export const Clause = defineEntity({
  name: 'Clause',
  indexes: [
    {
      // Clause matching (src/services/clause-matching.ts) reads the active clauses of one category,
      // coverage type and number of categories, optionally only those holding some of the draft's
      // tokens. clause_match_tiers is defined in Migration20261125180056.
      name: 'clause_match_index',
      expression: `create index "clause_match_index" on "clause" using gin (clause_match_tiers("categories", "coverage_type"), "match_lexemes") where "status" = 'active'`,
    },
    {
      // The library's text search (findClauses in src/services/clause-library.ts): trigrams of the titles
      // and bodies. clause_search_text is defined in Migration20261126010000.
      name: 'clause_search_index',
      expression: `create index "clause_search_index" on "clause" using gin (clause_search_text("title_zh", "title_en", "body_zh", "body_en") gin_trgm_ops)`,
    },
  ],
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
    /**
     * The tokens text relevance compares (`tokenize` in src/domain/matching.ts; the same rule in SQL,
     * clause_match_tokens), kept by PostgreSQL so matching never tokenizes a body per draft.
     */
    matchLexemes: p
      .string()
      // Written by PostgreSQL only.
      .$type<Opt<string>>()
      .columnType('tsvector')
      .generated(
        `(array_to_tsvector(clause_match_tokens("title_zh" || ' ' || "title_en" || ' ' || "body_zh" || ' ' || "body_en"))) stored`,
      )
      .lazy(true, false),
  },
});
export type Clause = InferEntity<typeof Clause>;
