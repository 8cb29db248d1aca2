import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FilterQuery } from '@mikro-orm/core';
import { Type } from '@sinclair/typebox';
import type { ProductCategory } from '../domain/catalog.ts';
import type { CLAUSE_STATUSES } from '../domain/entities/clause.entity.ts';
import { Clause } from '../domain/entities/index.ts';
import { requireUser } from '../plugins/auth.ts';
import { Category, CoverageTypeSchema, errors, Id, Pagination } from './schemas.ts';

export const ClauseView = Type.Object({
  id: Id,
  key: Type.String(),
  coverageType: Type.String(),
  categories: Type.Array(Type.String()),
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
  version: Type.Integer(),
});

/** A library clause as the API shows it. */
export const clauseView = (c: Clause) => ({
  id: c.id,
  key: c.key,
  coverageType: c.coverageType,
  categories: c.categories,
  titleZh: c.titleZh,
  titleEn: c.titleEn,
  bodyZh: c.bodyZh,
  bodyEn: c.bodyEn,
  version: c.version,
});

/** The clause library (patent module 6), for the clause picker. */
type SearchedColumn = 'key' | 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn';

/**
 * The filter of a clause list (the library's and the admin's): status, category, coverage type,
 * `ids`, and `q` as a case-insensitive substring of any of `searched` (LIKE wildcards in it escaped).
 */
export function clauseFilter(
  query: {
    category?: ProductCategory | undefined;
    coverageType?: Clause['coverageType'] | undefined;
    ids?: string[] | undefined;
    q?: string | undefined;
  },
  status: (typeof CLAUSE_STATUSES)[number] | undefined,
  searched: readonly SearchedColumn[],
): FilterQuery<Clause> {
  const like = query.q ? `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  return {
    ...(status ? { status } : {}),
    ...(query.category ? { categories: { $contains: [query.category] } } : {}),
    ...(query.coverageType ? { coverageType: query.coverageType } : {}),
    ...(query.ids ? { id: { $in: query.ids } } : {}),
    ...(like ? { $or: searched.map((column) => ({ [column]: { $ilike: like } })) } : {}),
  };
}

/** How many clauses one request may name: a draft page asks for its 40 suggestions and its selection. */
const MAX_IDS = 100;

export const clauseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/clauses',
    {
      preHandler: requireUser(app),
      schema: {
        tags: ['library'],
        summary: 'Active library clauses, filtered by category, coverage type and text',
        querystring: Type.Composite([
          Type.Object({
            category: Type.Optional(Category),
            coverageType: Type.Optional(CoverageTypeSchema),
            ids: Type.Optional(
              Type.Array(Id, {
                minItems: 1,
                maxItems: MAX_IDS,
                description: `only these clauses, up to ${MAX_IDS} (repeat the parameter: ids=…&ids=…)`,
              }),
            ),
            q: Type.Optional(
              Type.String({ minLength: 1, maxLength: 100, description: 'text in Chinese or English' }),
            ),
          }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(ClauseView), total: Type.Integer() }),
          ...errors(400, 401),
        },
      },
    },
    async (request) => {
      const { limit, offset } = request.query;
      const [items, total] = await request.em.findAndCount(
        Clause,
        clauseFilter(request.query, 'active', ['titleZh', 'titleEn', 'bodyZh', 'bodyEn']),
        { orderBy: { coverageType: 'asc', key: 'asc' }, limit, offset },
      );
      return {
        items: items.map(clauseView),
        total,
      };
    },
  );
};
