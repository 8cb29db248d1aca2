import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
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
      const { category, coverageType, q, limit, offset } = request.query;
      const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      const [items, total] = await request.em.findAndCount(
        Clause,
        {
          status: 'active',
          ...(category ? { categories: { $contains: [category] } } : {}),
          ...(coverageType ? { coverageType } : {}),
          ...(like
            ? {
                $or: [
                  { titleZh: { $ilike: like } },
                  { titleEn: { $ilike: like } },
                  { bodyZh: { $ilike: like } },
                  { bodyEn: { $ilike: like } },
                ],
              }
            : {}),
        },
        { orderBy: { coverageType: 'asc', key: 'asc' }, limit, offset },
      );
      return {
        items: items.map(clauseView),
        total,
      };
    },
  );
};
