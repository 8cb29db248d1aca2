import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type FilterQuery, type ObjectQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import type { ProductCategory } from '../../domain/catalog.ts';
import type { CLAUSE_STATUSES } from '../../domain/entities/clause.entity.ts';
import { Clause } from '../../domain/entities/index.ts';
import { tokenize } from '../../domain/matching.ts';
import { requireUser } from '../../plugins/auth.ts';
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

/**
 * The columns a clause's text search reads, in the order they are tried: a text without Chinese
 * is most likely in the English ones, and a match there saves reading the Chinese.
 */
const textColumns = (q: string) =>
  /[\u3400-\u9fff]/.test(q)
    ? (['titleZh', 'bodyZh', 'titleEn', 'bodyEn'] as const)
    : (['titleEn', 'bodyEn', 'titleZh', 'bodyZh'] as const);

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

/**
 * `q` as a case-insensitive substring of a clause's titles or bodies (or of its key, for the
 * admin), matched as typed: LIKE wildcards in it are escaped. Where an index can narrow the
 * candidates first, the filter says so (`indexed`): a single letter or character has neither a
 * trigram nor a bigram, and is in most clauses anyway.
 */
function textFilter(q: string, alsoKey: boolean): { where: ObjectQuery<Clause>; indexed: boolean } {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const inColumns = (columns: ReturnType<typeof textColumns> | readonly ['key']) => ({
    $or: columns.map((column) => ({ [column]: { $ilike: pattern } })),
  });
  const narrowing: ObjectQuery<Clause>[] = [];
  // clause_search_index holds the trigrams of the titles and bodies as one text: a clause holding
  // q in one of them holds q's trigrams (three letters or digits in a row).
  if (/[\p{L}\p{N}]{3}/u.test(q))
    narrowing.push({
      [raw(
        (alias) =>
          `clause_search_text(${alias}.title_zh, ${alias}.title_en, ${alias}.body_zh, ${alias}.body_en) like lower(?)`,
        [pattern],
      )]: [],
    });
  // Two Chinese characters have no trigram, but a clause holding them holds them as one of its
  // bigram tokens (match_lexemes), which clause_match_index finds among the active clauses.
  const bigrams = [...tokenize(q)].filter((token) => /^[\u3400-\u9fff]{2}$/.test(token));
  if (bigrams.length > 0)
    narrowing.push({
      [raw(
        (alias) => `${alias}.match_lexemes @@ ?::tsquery`,
        [bigrams.map((bigram) => `'${bigram}'`).join(' & ')],
      )]: [],
    });
  const inText = { $and: [...narrowing, inColumns(textColumns(q))] };
  return {
    where: alsoKey ? { $or: [inColumns(['key']), inText] } : inText,
    indexed: narrowing.length > 0,
  };
}

export interface ClauseListQuery {
  category?: ProductCategory | undefined;
  coverageType?: Clause['coverageType'] | undefined;
  ids?: string[] | undefined;
  q?: string | undefined;
  limit: number;
  offset: number;
}

/**
 * A page of a clause list (the library's and the admin's) in coverage-type and key order, and
 * how many there are: filtered by status, category, coverage type, `ids` and the text `q`.
 */
export function findClauses(
  em: EntityManager,
  query: ClauseListQuery,
  status: (typeof CLAUSE_STATUSES)[number] | undefined,
  { alsoKey }: { alsoKey: boolean },
) {
  const text = query.q ? textFilter(query.q, alsoKey) : null;
  const where: FilterQuery<Clause> = {
    ...(status ? { status } : {}),
    ...(query.category ? { categories: { $contains: [query.category] } } : {}),
    ...(query.coverageType ? { coverageType: query.coverageType } : {}),
    ...(query.ids ? { id: { $in: query.ids } } : {}),
    ...text?.where,
  };
  // With an indexed text, the matches come from the search indexes and are sorted after. Walking
  // the coverage-type index in order instead, as PostgreSQL would (it expects matches everywhere),
  // reads half the library when they sit in one late coverage type: `|| ''` keeps it off that path.
  const coverageTypeOrder = text?.indexed ? raw((alias) => `${alias}.coverage_type || ''`) : 'coverageType';
  return em.findAndCount(Clause, where, {
    orderBy: { [coverageTypeOrder]: 'asc', key: 'asc' },
    limit: query.limit,
    offset: query.offset,
  });
}

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
