import type { EntityManager } from '@mikro-orm/postgresql';
import { Clause, PlanCase } from '../../src/domain/entities/index.ts';
import { type DraftProfile, rankCases, suggestClauses } from '../../src/domain/matching.ts';
import type { MatchingResult } from '../../src/domain/plan-draft.ts';

/**
 * Clause matching as it was before the database picked the candidates: every
 * case and active clause of the category loaded as entities and scored in
 * memory. The reference the SQL matching must agree with, and the "before" of
 * bench/clause-matching.ts.
 */
export async function matchInMemory(em: EntityManager, draft: DraftProfile): Promise<MatchingResult> {
  const cases = await em.find(PlanCase, { category: draft.category });
  const clauses = await em.find(Clause, { status: 'active', categories: { $contains: [draft.category] } });
  const rankedCases = rankCases(draft, cases);
  return {
    cases: rankedCases,
    clauses: suggestClauses(draft, clauses, rankedCases, new Map(cases.map((c) => [c.id, c.clauseIds]))),
  };
}
