import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Clause } from '../../domain/entities/index.ts';
import { requireUser } from '../../plugins/auth.ts';
import { findClauses } from '../../services/clause-library.ts';
import { Category, CoverageTypeSchema, errors, Id, Pagination } from '../schemas.ts';

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

/** How many clauses one request may name: a draft page asks for its 40 suggestions and its selection. */
const MAX_IDS = 100;

export const clauseRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/clauses',
    {
      onRequest: requireUser(app),
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
      const [items, total] = await findClauses(request.em, request.query, 'active', { alsoKey: false });
      return { items: items.map(clauseView), total };
    },
  );
};
