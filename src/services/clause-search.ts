/**
 * The clause library's list and text search, for the library's and the
 * admin's lists (and bench/clause-search.ts): filters in SQL through the
 * ORM, narrowed by the trigram and bigram indexes where a text allows.
 */
import { type FilterQuery, type ObjectQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ProductCategory } from '../domain/catalog.ts';
import type { CLAUSE_STATUSES } from '../domain/entities/clause.entity.ts';
import { Clause } from '../domain/entities/index.ts';
import { tokenize } from '../domain/matching.ts';

/**
 * The columns a clause's text search reads, in the order they are tried: a text without Chinese
 * is most likely in the English ones, and a match there saves reading the Chinese.
 */
const textColumns = (q: string) =>
  /[\u3400-\u9fff]/.test(q)
    ? (['titleZh', 'bodyZh', 'titleEn', 'bodyEn'] as const)
    : (['titleEn', 'bodyEn', 'titleZh', 'bodyZh'] as const);

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
