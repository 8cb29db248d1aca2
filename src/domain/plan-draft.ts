/**
 * The shapes a plan draft carries through review, and the rules a clause
 * selection must satisfy. Pure: shared by the API, activities and workflows.
 */
import type { Message } from '../i18n/catalogue.ts';
import { BENEFIT_COVERAGE_TYPES, type CoverageType } from './catalog.ts';
import { type FieldProblem, fieldProblem } from './errors.ts';
import { isUuid } from './uuid.ts';

export interface CustomClause {
  coverageType: CoverageType;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

export interface ClauseSelection {
  clauseIds: string[];
  customClauses: CustomClause[];
}

/** A clause as frozen into a published plan version. */
export interface ClauseSnapshot {
  /** null for a custom clause written for this plan */
  clauseId: string | null;
  key: string | null;
  version: number;
  coverageType: CoverageType;
  titleZh: string;
  titleEn: string;
  bodyZh: string;
  bodyEn: string;
}

export type ReviewDecision = 'approve' | 'request_changes';

export interface ReviewRecord {
  /** Minted by the workflow, so a retried activity records the decision once. */
  id: string;
  reviewerId: string;
  decision: ReviewDecision;
  comment: string;
  at: string;
}

export interface ClauseSuggestion {
  clauseId: string;
  key: string;
  coverageType: CoverageType;
  titleZh: string;
  titleEn: string;
  score: number;
  /** Why it is suggested, as `matching:` catalogue messages. */
  reasons: Message[];
}

export interface CaseSuggestion {
  caseId: string;
  planNameZh: string;
  planNameEn: string;
  manufacturerName: string;
  productName: string;
  termMonths: number;
  priceFen: number;
  score: number;
  /** Why it is similar, as `matching:` catalogue messages. */
  reasons: Message[];
}

export interface MatchingResult {
  cases: CaseSuggestion[];
  clauses: ClauseSuggestion[];
}

export const MAX_CUSTOM_CLAUSES = 10;
export const MAX_SELECTED_CLAUSES = 60;

/** Clause types every sellable plan must state, whatever it covers. */
export const REQUIRED_TERM_TYPES: readonly CoverageType[] = [
  'exclusions',
  'claim_procedure',
  'cancellation_refund',
];

/**
 * Checks a selection's shape (no I/O): returns problems as field/message pairs,
 * empty when acceptable. Existence of the clause ids is checked against the
 * library by the activity that records the selection.
 */
export function selectionShapeProblems(selection: ClauseSelection): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const total = selection.clauseIds.length + selection.customClauses.length;
  if (total === 0) problems.push(fieldProblem('clauseIds', 'selectClause'));
  if (selection.clauseIds.length > MAX_SELECTED_CLAUSES)
    problems.push(fieldProblem('clauseIds', 'tooManyClauses', { max: MAX_SELECTED_CLAUSES }));
  selection.clauseIds.forEach((id, i) => {
    if (!isUuid(id)) problems.push(fieldProblem(`clauseIds/${i}`, 'notClauseId'));
  });
  if (new Set(selection.clauseIds).size !== selection.clauseIds.length)
    problems.push(fieldProblem('clauseIds', 'clauseTwice'));
  if (selection.customClauses.length > MAX_CUSTOM_CLAUSES)
    problems.push(fieldProblem('customClauses', 'tooManyCustomClauses', { max: MAX_CUSTOM_CLAUSES }));
  selection.customClauses.forEach((clause, i) => {
    for (const field of ['titleZh', 'titleEn', 'bodyZh', 'bodyEn'] as const) {
      if (clause[field].trim() === '') problems.push(fieldProblem(`customClauses/${i}/${field}`, 'blank'));
    }
  });
  return problems;
}

/**
 * Checks a selection against what the plan promises: every wanted benefit is
 * described by a clause and the mandatory terms are present.
 */
export function selectionCoverageProblems(
  wanted: readonly CoverageType[],
  selectedTypes: readonly CoverageType[],
): FieldProblem[] {
  const have = new Set(selectedTypes);
  const missing = [
    ...wanted.filter((t) => BENEFIT_COVERAGE_TYPES.includes(t)),
    ...REQUIRED_TERM_TYPES,
  ].filter((t) => !have.has(t));
  return [...new Set(missing)].map((type) => fieldProblem('clauseIds', 'missingType', { type }));
}
