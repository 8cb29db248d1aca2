/**
 * The shapes a plan draft carries through review, and the rules a clause
 * selection must satisfy. Pure: shared by the API, activities and workflows.
 */
import type { Static } from '@sinclair/typebox';
import { BENEFIT_COVERAGE_TYPES, type CoverageType } from './catalog.ts';
import { type FieldProblem, fieldProblem } from './errors.ts';
import type {
  CaseSuggestionSchema,
  ClauseSelectionSchema,
  ClauseSnapshotSchema,
  ClauseSuggestionSchema,
  CustomClauseSchema,
  MatchingResultSchema,
  REVIEW_DECISIONS,
  ReviewRecordSchema,
} from './plan-draft.schemas.ts';
import { isUuid } from './uuid.ts';

// The shapes are defined once, as the API's response schemas (plan-draft.schemas.ts).
export type CustomClause = Static<typeof CustomClauseSchema>;
export type ClauseSelection = Static<typeof ClauseSelectionSchema>;
/** A clause as frozen into a published plan version. */
export type ClauseSnapshot = Static<typeof ClauseSnapshotSchema>;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export type ReviewRecord = Static<typeof ReviewRecordSchema>;
export type ClauseSuggestion = Static<typeof ClauseSuggestionSchema>;
export type CaseSuggestion = Static<typeof CaseSuggestionSchema>;
export type MatchingResult = Static<typeof MatchingResultSchema>;

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
