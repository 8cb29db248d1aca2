/**
 * Clause matching against the database (patent module 7, step 2; issue 5, P3):
 * the same suggestions as scoring every case and clause of the draft's
 * category with src/domain/matching.ts, without reading them all.
 *
 * - Cases: what `rankCases` scores (prices, term, coverage) of the category's
 *   published plans comes as one JSON value; names and clause lists are read
 *   for the top cases only.
 * - Clauses: a clause's score is `clauseScore(type, number of categories,
 *   relevance, use)`. The clauses used by the top cases are read by id. The
 *   others (use 0) fall into groups of equal type score and number of
 *   categories, found through `clause_match_index`; within a group the score
 *   only grows with relevance, so the group's best clauses are the ones
 *   sharing the most tokens with the draft, which PostgreSQL counts from the
 *   stored `match_lexemes`. Groups are read best bound (relevance 1) first,
 *   and reading stops when a group's bound falls below the last suggestion
 *   kept: nothing unread could enter the list.
 * - A group is first read only where it holds one of the draft's rarer tokens
 *   (the same index); its other clauses hold at most the common tokens, and are
 *   read only when that bound could still enter the list.
 * - The kept clauses are then scored by `suggestClauses` itself, texts
 *   included, so the domain rules decide the final list.
 *
 * The database counts tokens with clause_match_tokens, the SQL twin of
 * `tokenize`; test/workflows/clause-matching.test.ts checks that they agree and
 * that the suggestions equal the in-memory reference's.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { COVERAGE_TYPES, type CoverageType, PRODUCT_CATEGORIES } from '../domain/catalog.ts';
import {
  bySuggestionOrder,
  type CaseCandidate,
  type ClauseCandidate,
  clauseScore,
  clauseUsage,
  coverageTypeScore,
  type DraftProfile,
  rankCases,
  SUGGESTED_CLAUSES,
  suggestClauses,
  tokenize,
  worthSuggesting,
} from '../domain/matching.ts';
import type { MatchingResult } from '../domain/plan-draft.ts';

// Arrays travel as one JSON parameter: knex would expand a JS array into a list of parameters.
const TEXT_ARRAY = 'array(select jsonb_array_elements_text(?::jsonb))';
const UUID_ARRAY = 'array(select jsonb_array_elements_text(?::jsonb)::uuid)';

/** How many of the draft's tokens a clause contains: its lexemes less those left after deleting the draft's. */
const HITS = `length(match_lexemes) - length(ts_delete(match_lexemes, ${TEXT_ARRAY}))`;

interface Scored {
  id: string;
  key: string;
  score: number;
}

interface ClauseGroup {
  typeScore: number;
  categoryCount: number;
  types: CoverageType[];
  /** The best score a clause of the group can have that no top case uses. */
  bound: number;
}

/** Groups of clauses that score alike for this draft, best bound first. */
function clauseGroups(draft: DraftProfile): ClauseGroup[] {
  const groups = new Map<string, ClauseGroup>();
  for (const type of COVERAGE_TYPES) {
    const typeScore = coverageTypeScore(draft, type);
    for (let categoryCount = 1; categoryCount <= PRODUCT_CATEGORIES.length; categoryCount++) {
      const id = `${typeScore}:${categoryCount}`;
      const group = groups.get(id);
      if (group) group.types.push(type);
      else
        groups.set(id, {
          typeScore,
          categoryCount,
          types: [type],
          bound: clauseScore(typeScore, categoryCount, 1, 0),
        });
    }
  }
  return [...groups.values()].sort((a, b) => b.bound - a.bound);
}

async function rankedCases(em: EntityManager, draft: DraftProfile) {
  // What rankCases scores, for the whole category as one JSON value (one row to decode, not thousands).
  const [{ cases }] = (await em.execute(
    `select coalesce(json_agg(json_build_array(id, retail_price_fen, term_months, price_fen, coverage_types)), '[]') as cases
       from plan_case where category = ?`,
    [draft.category],
  )) as [{ cases: [string, number, number, number, CoverageType[]][] }];
  const candidates: CaseCandidate[] = cases.map(
    ([id, retailPriceFen, termMonths, priceFen, coverageTypes]) => ({
      id,
      category: draft.category,
      retailPriceFen,
      termMonths,
      priceFen,
      coverageTypes,
      // Names and clauses are read below, for the top cases only.
      planNameZh: '',
      planNameEn: '',
      manufacturerName: '',
      productName: '',
      clauseIds: [],
    }),
  );
  const top = rankCases(draft, candidates);
  const rows =
    top.length === 0
      ? []
      : await em.execute<
          {
            id: string;
            plan_name_zh: string;
            plan_name_en: string;
            manufacturer_name: string;
            product_name: string;
            clause_ids: string[];
          }[]
        >(
          `select id, plan_name_zh, plan_name_en, manufacturer_name, product_name, clause_ids
             from plan_case where id = any(${UUID_ARRAY})`,
          [JSON.stringify(top.map((c) => c.caseId))],
        );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ranked = top.map((c) => {
    const row = byId.get(c.caseId);
    return {
      ...c,
      planNameZh: row?.plan_name_zh ?? '',
      planNameEn: row?.plan_name_en ?? '',
      manufacturerName: row?.manufacturer_name ?? '',
      productName: row?.product_name ?? '',
    };
  });
  return { ranked, caseClauseIds: new Map(rows.map((r) => [r.id, r.clause_ids])) };
}

/** Tokens held by at most this share of clauses, together, are read first (through the index). */
const RARE_SHARE = 0.2;

/**
 * The draft's tokens split by how many clauses hold them, from PostgreSQL's
 * statistics of match_lexemes (most common lexemes and their frequencies;
 * a token not among them counts as rare). Only speed depends on this split,
 * never the result.
 */
async function splitTokens(em: EntityManager, tokens: string[]) {
  const rows = await em.execute<{ token: string; share: number | null }[]>(
    `select token, stats.share
       from unnest(${TEXT_ARRAY}) as token
       left join (select lexeme, share
                    from pg_stats, unnest(most_common_elems::text::text[], most_common_elem_freqs) as m(lexeme, share)
                   where schemaname = current_schema() and tablename = 'clause' and attname = 'match_lexemes' and not inherited
                 ) as stats on stats.lexeme = token`,
    [JSON.stringify(tokens)],
  );
  const byShare = rows
    .map((r) => ({ token: r.token, share: r.share ?? 0 }))
    .sort((a, b) => a.share - b.share);
  const rare: string[] = [];
  let share = 0;
  for (const t of byShare) {
    share += t.share;
    if (share > RARE_SHARE) break;
    rare.push(t.token);
  }
  return { rare, commonCount: tokens.length - rare.length };
}

/**
 * Suggestions for a draft: the top cases and clauses, exactly as `rankCases`
 * and `suggestClauses` would rank the whole category.
 */
export async function matchDraft(em: EntityManager, draft: DraftProfile): Promise<MatchingResult> {
  const query = tokenize(draft.text);
  // Independent reads, on two connections at once.
  const [{ ranked, caseClauseIds }, { rare, commonCount }] = await Promise.all([
    rankedCases(em, draft),
    splitTokens(em, [...query]),
  ]);
  const usage = clauseUsage(ranked, caseClauseIds);
  const tokens = JSON.stringify([...query]);
  // textRelevance's share, from the count the database made.
  const relevance = (hits: number) => (query.size === 0 ? 0 : hits / query.size);
  const usedIds = JSON.stringify([...usage.keys()]);

  const kept: Scored[] = [];
  const keep = (rows: Scored[]) => {
    const known = new Set(kept.map((k) => k.id));
    kept.push(...rows.filter((r) => worthSuggesting(r.score) && !known.has(r.id)));
    kept.sort(bySuggestionOrder);
    kept.length = Math.min(kept.length, SUGGESTED_CLAUSES);
  };
  /** Whether a clause scoring `bound` could still enter the list. */
  const mayEnter = (bound: number) => {
    const last = kept.length === SUGGESTED_CLAUSES ? kept[SUGGESTED_CLAUSES - 1] : undefined;
    return worthSuggesting(bound) && !(last && bound < last.score);
  };

  /** The clauses the top cases use, whatever their group. */
  const readUsed = async () => {
    const rows = await em.execute<
      { id: string; key: string; coverage_type: CoverageType; categories: string[]; hits: number }[]
    >(
      `select id, key, coverage_type, categories, ${HITS} as hits
         from clause
        where id = any(${UUID_ARRAY})
          and status = 'active' and categories @> array[?]`,
      [tokens, usedIds, draft.category],
    );
    keep(
      rows.map((r) => ({
        id: r.id,
        key: r.key,
        score: clauseScore(
          coverageTypeScore(draft, r.coverage_type),
          r.categories.length,
          relevance(r.hits),
          usage.get(r.id) ?? 0,
        ),
      })),
    );
  };

  /** The group's clauses with the most tokens (only those holding one of `rare`, if given). */
  const readGroup = async (group: ClauseGroup, rare: string[] | null) => {
    const tiers = group.types.map((type) => `${draft.category}:${type}:${group.categoryCount}`);
    const rows = await em.execute<{ id: string; key: string; hits: number }[]>(
      `select id, key, ${HITS} as hits
         from clause
        where status = 'active' and clause_match_tiers(categories, coverage_type) && ${TEXT_ARRAY}
          ${rare ? 'and match_lexemes @@ ?::tsquery' : ''}
          and id <> all(${UUID_ARRAY})
        order by hits desc, key collate "C"
        limit ?`,
      [
        tokens,
        JSON.stringify(tiers),
        // Tokens are letters a-z or Chinese characters: quoting them is enough for tsquery.
        ...(rare ? [rare.map((token) => `'${token}'`).join(' | ')] : []),
        usedIds,
        SUGGESTED_CLAUSES,
      ],
    );
    keep(
      rows.map((r) => ({
        id: r.id,
        key: r.key,
        score: clauseScore(group.typeScore, group.categoryCount, relevance(r.hits), 0),
      })),
    );
  };

  /**
   * A group, first where it holds a rare token (through the index). Its other clauses hold at most
   * the common tokens, which bounds their score: they are read only if that could still enter.
   */
  const readGroupInTwo = async (group: ClauseGroup, alongside: Promise<void>) => {
    await Promise.all([alongside, readGroup(group, rare.length > 0 ? rare : null)]);
    const commonOnly = clauseScore(group.typeScore, group.categoryCount, relevance(commonCount), 0);
    if (rare.length > 0 && mayEnter(commonOnly)) await readGroup(group, null);
  };

  const [best, ...others] = clauseGroups(draft);
  // The best group is always read (nothing is kept yet to rule it out): alongside the used clauses.
  await readGroupInTwo(best as ClauseGroup, readUsed());
  for (const group of others) {
    if (!mayEnter(group.bound)) break;
    await readGroupInTwo(group, Promise.resolve());
  }

  const clauses =
    kept.length === 0
      ? []
      : await em.execute<
          {
            id: string;
            key: string;
            coverage_type: CoverageType;
            categories: ClauseCandidate['categories'];
            title_zh: string;
            title_en: string;
            body_zh: string;
            body_en: string;
          }[]
        >(
          `select id, key, coverage_type, categories, title_zh, title_en, body_zh, body_en
             from clause where id = any(${UUID_ARRAY})`,
          [JSON.stringify(kept.map((c) => c.id))],
        );
  return {
    cases: ranked,
    clauses: suggestClauses(
      draft,
      clauses.map((r) => ({
        id: r.id,
        key: r.key,
        coverageType: r.coverage_type,
        categories: r.categories,
        titleZh: r.title_zh,
        titleEn: r.title_en,
        bodyZh: r.body_zh,
        bodyEn: r.body_en,
      })),
      ranked,
      caseClauseIds,
    ),
  };
}
