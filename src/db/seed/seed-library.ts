import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Clause, PlanCase } from '../../domain/entities/index.ts';
import { CASE_SEEDS } from './cases.data.ts';
import { CLAUSE_SEEDS } from './clauses.data.ts';

/**
 * Seeds the clause and case library (patent module 6). Idempotent: rows are
 * keyed by their stable key and left alone once present, so curation by the
 * platform admin is never overwritten by a restart.
 */
export async function seedLibrary(em: EntityManager): Promise<{ clauses: number; cases: number }> {
  const existing = new Map(
    (await em.find(Clause, {}, { fields: ['id', 'key'] })).map((c) => [c.key, c.id] as const),
  );
  for (const seed of CLAUSE_SEEDS) {
    if (existing.has(seed.key)) continue;
    const clause = em.create(Clause, { id: randomUUID(), ...seed, categories: [...seed.categories] });
    existing.set(seed.key, clause.id);
  }
  const existingCases = new Set((await em.find(PlanCase, {}, { fields: ['key'] })).map((c) => c.key));
  for (const seed of CASE_SEEDS) {
    if (existingCases.has(seed.key)) continue;
    const { clauseKeys, manufacturerNameZh, manufacturerNameEn, ...rest } = seed;
    em.create(PlanCase, {
      ...rest,
      source: 'library',
      manufacturerName: `${manufacturerNameZh} (${manufacturerNameEn})`,
      coverageTypes: [...seed.coverageTypes],
      clauseIds: clauseKeys.map((key) => {
        const id = existing.get(key);
        if (!id) throw new Error(`case ${seed.key} names unknown clause ${key}`);
        return id;
      }),
    });
  }
  await em.flush();
  return { clauses: await em.count(Clause), cases: await em.count(PlanCase) };
}
