/**
 * Clause matching (patent module 7, step 2): ranks published plans of similar
 * products (cases) and suggests library clauses for a draft. Pure scoring;
 * src/services/clause-matching.ts picks the candidates in the database and
 * ranks them with these functions.
 */

import type { Message } from '../i18n/catalogue.ts';
import type { CoverageStartRule, CoverageType, ProductCategory } from './catalog.ts';
import type { CaseSuggestion, ClauseSuggestion } from './plan-draft.ts';

export interface DraftProfile {
  category: ProductCategory;
  retailPriceFen: number;
  termMonths: number;
  priceFen: number;
  coverageTypes: readonly CoverageType[];
  coverageStartRule: CoverageStartRule;
  /** Plan and product names in both languages, used for text relevance. */
  text: string;
}

export interface CaseCandidate {
  id: string;
  category: ProductCategory;
  retailPriceFen: number;
  termMonths: number;
  priceFen: number;
  coverageTypes: readonly CoverageType[];
  planNameZh: string;
  planNameEn: string;
  manufacturerName: string;
  productName: string;
  clauseIds: readonly string[];
}

export interface ClauseCandidate {
  id: string;
  key: string;
  coverageType: CoverageType;
  categories: readonly ProductCategory[];
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

/** Retail price bands in fen, by order of magnitude of what households buy. */
const PRICE_BAND_UPPER_FEN = [30_000, 100_000, 300_000, 1_000_000, 3_000_000] as const;

/** 0 = under ¥300, 1 = ¥300–1,000, … 5 = ¥30,000 and above. */
export function priceBand(retailPriceFen: number): number {
  const band = PRICE_BAND_UPPER_FEN.findIndex((upper) => retailPriceFen < upper);
  return band === -1 ? PRICE_BAND_UPPER_FEN.length : band;
}

/** 1 when equal, falling to 0 when one is `factor` times the other (log scale). */
export function ratioSimilarity(a: number, b: number, factor: number): number {
  if (a <= 0 || b <= 0) return a === b ? 1 : 0;
  const distance = Math.abs(Math.log(a / b)) / Math.log(factor);
  return Math.max(0, 1 - distance);
}

export function jaccard<T>(a: readonly T[], b: readonly T[]): number {
  const sa = new Set(a);
  const sb = new Set(b);
  if (sa.size === 0 && sb.size === 0) return 1;
  let common = 0;
  for (const x of sa) if (sb.has(x)) common++;
  return common / (sa.size + sb.size - common);
}

/**
 * Tokens for bilingual relevance: lower-case English words of 3+ letters and
 * Chinese character bigrams (Chinese has no spaces; bigrams are the usual
 * cheap approximation of words).
 */
export function tokenize(text: string): Set<string> {
  const tokens = new Set<string>();
  for (const word of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) tokens.add(word);
  for (const run of text.match(/[\u3400-\u9fff]+/g) ?? []) {
    if (run.length === 1) tokens.add(run);
    for (let i = 0; i + 1 < run.length; i++) tokens.add(run.slice(i, i + 2));
  }
  return tokens;
}

/** Share of the query's tokens that occur in the document, 0..1. */
export function textRelevance(query: Set<string>, document: Set<string>): number {
  if (query.size === 0) return 0;
  let hits = 0;
  for (const token of query) if (document.has(token)) hits++;
  return hits / query.size;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A reason in data form; its words are the catalogue's `matching:` namespace (category and type params are keys). */
const reason = (key: string, params?: Record<string, unknown>): Message =>
  params ? { code: `matching:${key}`, params } : { code: `matching:${key}` };

export function rankCases(
  draft: DraftProfile,
  candidates: readonly CaseCandidate[],
  limit = 5,
): CaseSuggestion[] {
  const band = priceBand(draft.retailPriceFen);
  return candidates
    .filter((c) => c.category === draft.category)
    .map((c) => {
      const reasons = [reason('sameCategory', { category: c.category })];
      const retail = ratioSimilarity(draft.retailPriceFen, c.retailPriceFen, 4);
      if (priceBand(c.retailPriceFen) === band) reasons.push(reason('samePriceBand'));
      const term = Math.max(0, 1 - Math.abs(draft.termMonths - c.termMonths) / 36);
      if (c.termMonths === draft.termMonths) reasons.push(reason('sameTerm', { n: c.termMonths }));
      const coverage = jaccard(draft.coverageTypes, c.coverageTypes);
      if (coverage > 0) reasons.push(reason('coversSame', { n: Math.round(coverage * 100) }));
      const price = ratioSimilarity(draft.priceFen, c.priceFen, 3);
      const score = 0.35 * retail + 0.25 * term + 0.25 * coverage + 0.15 * price;
      return {
        caseId: c.id,
        planNameZh: c.planNameZh,
        planNameEn: c.planNameEn,
        manufacturerName: c.manufacturerName,
        productName: c.productName,
        termMonths: c.termMonths,
        priceFen: c.priceFen,
        score: round(score),
        reasons,
      };
    })
    .sort((a, b) => b.score - a.score || a.caseId.localeCompare(b.caseId))
    .slice(0, limit);
}

/** Clause types every plan carries whatever it covers. */
const TERM_TYPES: readonly CoverageType[] = [
  'exclusions',
  'claim_procedure',
  'cancellation_refund',
  'general_terms',
];

/** How many clauses a draft is offered. */
export const SUGGESTED_CLAUSES = 40;

/** 1 for a coverage the draft wants, 0.8 for a standard term every plan carries, else 0. */
export function coverageTypeScore(draft: Pick<DraftProfile, 'coverageTypes'>, type: CoverageType): number {
  if (draft.coverageTypes.includes(type)) return 1;
  return TERM_TYPES.includes(type) ? 0.8 : 0;
}

/**
 * A clause's score from its parts, unrounded: suggestClauses ranks by it, and
 * the database search (src/services/clause-matching.ts) bounds what it has not
 * read with it. Non-decreasing in relevance and use.
 */
export function clauseScore(
  typeScore: number,
  categoryCount: number,
  relevance: number,
  used: number,
): number {
  // A clause written for few categories is more specific than a universal one.
  const specificity = 1 / Math.max(1, categoryCount);
  return 0.5 * typeScore + 0.15 * specificity + 0.15 * relevance + 0.2 * Math.min(1, used);
}

/** Whether a clause with this (unrounded) score is worth suggesting at all. */
export const worthSuggesting = (score: number) => round(score) > 0.2;

/** How often each clause is used by the most similar cases, weighted by their score. */
export function clauseUsage(
  rankedCases: readonly CaseSuggestion[],
  caseClauseIds: ReadonlyMap<string, readonly string[]>,
): Map<string, number> {
  const usage = new Map<string, number>();
  const totalCaseScore = rankedCases.reduce((sum, c) => sum + c.score, 0) || 1;
  for (const c of rankedCases) {
    for (const id of caseClauseIds.get(c.caseId) ?? [])
      usage.set(id, (usage.get(id) ?? 0) + c.score / totalCaseScore);
  }
  return usage;
}

/** Suggestion order: higher unrounded score first, then key by code units (the same as SQL's `collate "C"`). */
export function bySuggestionOrder(
  a: { score: number; key: string },
  b: { score: number; key: string },
): number {
  return b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/** The text of a clause that text relevance reads. */
const clauseText = (c: Pick<ClauseCandidate, 'titleZh' | 'titleEn' | 'bodyZh' | 'bodyEn'>) =>
  `${c.titleZh} ${c.titleEn} ${c.bodyZh} ${c.bodyEn}`;

export function suggestClauses(
  draft: DraftProfile,
  clauses: readonly ClauseCandidate[],
  rankedCases: readonly CaseSuggestion[],
  caseClauseIds: ReadonlyMap<string, readonly string[]>,
  limit = SUGGESTED_CLAUSES,
): ClauseSuggestion[] {
  const query = tokenize(draft.text);
  const usage = clauseUsage(rankedCases, caseClauseIds);
  return clauses
    .filter((c) => c.categories.includes(draft.category))
    .map((c) => {
      const reasons: Message[] = [];
      const typeScore = coverageTypeScore(draft, c.coverageType);
      if (typeScore === 1) reasons.push(reason('coversWanted', { type: c.coverageType }));
      else if (typeScore > 0) reasons.push(reason('standardTerm', { type: c.coverageType }));
      if (c.categories.length <= 2)
        reasons.push(reason('writtenFor', { categories: c.categories.join(', ') }));
      const relevance = textRelevance(query, tokenize(clauseText(c)));
      if (relevance >= 0.15) reasons.push(reason('textMatches', { n: Math.round(relevance * 100) }));
      const used = Math.min(1, usage.get(c.id) ?? 0);
      if (used > 0) reasons.push(reason('usedBy', { n: Math.round(used * 100) }));
      return {
        clauseId: c.id,
        key: c.key,
        coverageType: c.coverageType,
        titleZh: c.titleZh,
        titleEn: c.titleEn,
        score: clauseScore(typeScore, c.categories.length, relevance, used),
        reasons,
      };
    })
    .filter((s) => worthSuggesting(s.score))
    .sort(bySuggestionOrder)
    .slice(0, limit)
    .map((s) => ({ ...s, score: round(s.score) }));
}
