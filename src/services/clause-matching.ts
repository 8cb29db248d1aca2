/**
 * Clause matching against the database (patent module 7, step 2; issue 5, P3):
 * the same suggestions as scoring every case and clause of the draft's
 * category with src/domain/matching.ts, without reading them all.
 *
 * - Cases: what `rankCases` scores (prices, term, coverage) of the category's
 *   published plans comes as one JSON value; names and clause lists are read
 *   for the top cases only.
 * - Clauses: a clause's score is `clauseScore(type, number of categories,
 *   relevance, use)`. The clauses used by the top cases are read by id, with
 *   their use (the best score per clause is kept). Scored with use 0, clauses
 *   fall into groups of equal type score and number of categories, found
 *   through `clause_match_index`; within a group the score
 *   only grows with relevance, so the group's best clauses are the ones
 *   sharing the most tokens with the draft, which PostgreSQL counts from the
 *   stored `match_lexemes`. Groups are read best bound (relevance 1) first,
 *   and reading stops when a group's bound falls below the last suggestion
 *   kept: nothing unread could enter the list.
 * - A group is first read only where it holds one of the draft's rarer tokens
 *   (the same index); its other clauses hold at most the common tokens, and are
 *   read only when that bound could still enter the list, and then only those
 *   holding one of the few rarest common tokens that any clause able to enter
 *   must hold. "Rare" means rare among the category's clauses, from ANALYZE's
 *   statistics of clause_match_category_stats.
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
/** Above this share of clauses holding one of them, reading a group through its tokens costs more than reading it all. */
const NARROWING_SHARE = 0.5;

/** How long a process reuses ANALYZE's token statistics before reading them again. */
const TOKEN_STATISTICS_TTL_MS = 60_000;
const tokenStatistics = new WeakMap<object, { loadedAt: number; shares: Promise<Map<string, number>> }>();

/**
 * The share of each category's clauses holding each of the category's common tokens, keyed
 * "category:token", from ANALYZE's statistics of clause_match_category_stats (the most common
 * pairs, and "category:" alone, whose share is the category's). Read once a minute per
 * database: the statistics only change when ANALYZE runs, and only speed depends on them.
 */
function categoryTokenShares(em: EntityManager): Promise<Map<string, number>> {
  const database = em.getDriver();
  const cached = tokenStatistics.get(database);
  if (cached && performance.now() - cached.loadedAt < TOKEN_STATISTICS_TTL_MS) return cached.shares;
  const shares = em
    .execute<{ pair: string; share: number }[]>(
      `select pair, share
         from pg_stats_ext_exprs, unnest(most_common_elems::text::text[], most_common_elem_freqs) as m(pair, share)
        where schemaname = current_schema() and tablename = 'clause' and not inherited
          and statistics_name = 'clause_match_category_stats'
          and pair is not null -- the frequencies end with three summary figures that have no element`,
    )
    .then((rows) => {
      const categoryShare = new Map(rows.filter((r) => r.pair.endsWith(':')).map((r) => [r.pair, r.share]));
      const shares = new Map<string, number>();
      for (const { pair, share } of rows) {
        const of = categoryShare.get(pair.slice(0, pair.indexOf(':') + 1));
        if (of) shares.set(pair, share / of);
      }
      return shares;
    });
  // A failed read is not kept: the next draft tries again.
  shares.catch(() => tokenStatistics.delete(database));
  tokenStatistics.set(database, { loadedAt: performance.now(), shares });
  return shares;
}

/**
 * The draft's tokens split by the share of the category's clauses holding them, rarest first
 * (a token the statistics do not list counts as rare). Only speed depends on this split, never
 * the result.
 */
async function splitTokens(em: EntityManager, category: string, tokens: string[]) {
  const shares = await categoryTokenShares(em);
  const byShare = tokens
    .map((token) => ({ token, share: shares.get(`${category}:${token}`) ?? 0 }))
    .sort((a, b) => a.share - b.share);
  let split = 0;
  for (let share = 0; split < byShare.length; split++) {
    share += (byShare[split] as { share: number }).share;
    if (share > RARE_SHARE) break;
  }
  return { rare: byShare.slice(0, split).map((t) => t.token), common: byShare.slice(split) };
}

/** A tsquery matching clauses that hold any of `tokens` (letters a-z or Chinese characters: quoting is enough). */
const anyOf = (tokens: string[]) => tokens.map((token) => `'${token}'`).join(' | ');

/**
 * Suggestions for a draft: the top cases and clauses, exactly as `rankCases`
 * and `suggestClauses` would rank the whole category.
 */
export async function matchDraft(em: EntityManager, draft: DraftProfile): Promise<MatchingResult> {
  const query = tokenize(draft.text);
  const tokens = JSON.stringify([...query]);
  // textRelevance's share, from the count the database made.
  const relevance = (hits: number) => (query.size === 0 ? 0 : hits / query.size);
  const { rare, common } = await splitTokens(em, draft.category, [...query]);
  // The cases are ranked while the best group is read: neither needs the other.
  const casesRanked = rankedCases(em, draft);

  // The best score per clause: a clause the top cases use is also read in its group, with use 0.
  const kept: Scored[] = [];
  const keep = (rows: Scored[]) => {
    for (const row of rows) {
      if (!worthSuggesting(row.score)) continue;
      const known = kept.findIndex((k) => k.id === row.id);
      if (known === -1) kept.push(row);
      else if ((kept[known] as Scored).score < row.score) kept[known] = row;
    }
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
    const { ranked, caseClauseIds } = await casesRanked;
    const usage = clauseUsage(ranked, caseClauseIds);
    const rows = await em.execute<
      { id: string; key: string; coverage_type: CoverageType; categories: string[]; hits: number }[]
    >(
      `select id, key, coverage_type, categories, ${HITS} as hits
         from clause
        where id = any(${UUID_ARRAY})
          and status = 'active' and categories @> array[?]`,
      [tokens, JSON.stringify([...usage.keys()]), draft.category],
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

  /** The group's clauses with the most tokens (only those matching `filter`, a tsquery, if given). */
  const readGroup = async (group: ClauseGroup, filter: string | null) => {
    const tiers = group.types.map((type) => `${draft.category}:${type}:${group.categoryCount}`);
    const rows = await em.execute<{ id: string; key: string; hits: number }[]>(
      `select id, key, ${HITS} as hits
         from clause
        where status = 'active' and clause_match_tiers(categories, coverage_type) && ${TEXT_ARRAY}
          ${filter ? 'and match_lexemes @@ ?::tsquery' : ''}
        order by hits desc, key collate "C"
        limit ?`,
      [tokens, JSON.stringify(tiers), ...(filter ? [filter] : []), SUGGESTED_CLAUSES],
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
   * A group, first where it holds a rare token (through the index). Its other clauses hold only
   * common tokens, which bounds their score: they are read only if that could still enter, and
   * then only those that can hold enough common tokens to enter. A clause missing at most m of
   * the common tokens holds one of any m + 1 of them, so the m + 1 rarest narrow the read
   * through the index (unless they are so common that reading the whole group is cheaper).
   */
  const readGroupInTwo = async (group: ClauseGroup, alongside: Promise<void>) => {
    await Promise.all([alongside, readGroup(group, rare.length > 0 ? anyOf(rare) : null)]);
    if (rare.length === 0) return;
    const scoreWith = (hits: number) => clauseScore(group.typeScore, group.categoryCount, relevance(hits), 0);
    let fewest = 0;
    while (fewest <= common.length && !mayEnter(scoreWith(fewest))) fewest++;
    if (fewest > common.length) return;
    const mustHoldOneOf = common.slice(0, common.length - fewest + 1);
    const narrows = mustHoldOneOf.reduce((share, t) => share + t.share, 0) <= NARROWING_SHARE;
    await readGroup(group, narrows && fewest > 0 ? anyOf(mustHoldOneOf.map((t) => t.token)) : null);
  };

  const [best, ...others] = clauseGroups(draft);
  // The best group is always read (nothing is kept yet to rule it out): alongside the used clauses.
  await readGroupInTwo(best as ClauseGroup, readUsed());
  for (const group of others) {
    if (!mayEnter(group.bound)) break;
    await readGroupInTwo(group, Promise.resolve());
  }

  const { ranked, caseClauseIds } = await casesRanked;
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
