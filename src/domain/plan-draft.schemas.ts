/**
 * The shapes a plan draft carries through review, as schemas: the API's response schemas and,
 * through `Static`, the types in plan-draft.ts that the workflow and activities use.
 */
import { Type } from '@sinclair/typebox';
import { CoverageTypeSchema, MessageSchema, StringEnum } from './schemas.ts';

const Uuid = Type.String({ format: 'uuid' });

export const CustomClauseSchema = Type.Object({
  coverageType: CoverageTypeSchema,
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
});

export const ClauseSelectionSchema = Type.Object({
  clauseIds: Type.Array(Uuid),
  customClauses: Type.Array(CustomClauseSchema),
});

/** A clause as frozen into a published plan version. */
export const ClauseSnapshotSchema = Type.Object({
  clauseId: Type.Union([Uuid, Type.Null()], {
    description: 'null for a custom clause written for this plan',
  }),
  key: Type.Union([Type.String(), Type.Null()]),
  version: Type.Integer(),
  coverageType: CoverageTypeSchema,
  titleZh: Type.String(),
  titleEn: Type.String(),
  bodyZh: Type.String(),
  bodyEn: Type.String(),
});

export const REVIEW_DECISIONS = ['approve', 'request_changes'] as const;

export const ReviewRecordSchema = Type.Object({
  id: Type.String({ description: 'minted by the workflow, so a retried activity records the decision once' }),
  reviewerId: Uuid,
  decision: StringEnum(REVIEW_DECISIONS),
  comment: Type.String(),
  at: Type.String({ format: 'date-time' }),
});

export const ClauseSuggestionSchema = Type.Object({
  clauseId: Uuid,
  key: Type.String(),
  coverageType: CoverageTypeSchema,
  titleZh: Type.String(),
  titleEn: Type.String(),
  score: Type.Number(),
  reasons: Type.Array(MessageSchema, { description: 'why it is suggested, as matching: catalogue messages' }),
});

export const CaseSuggestionSchema = Type.Object({
  caseId: Uuid,
  planNameZh: Type.String(),
  planNameEn: Type.String(),
  manufacturerName: Type.String(),
  productName: Type.String(),
  termMonths: Type.Integer(),
  priceFen: Type.Integer(),
  score: Type.Number(),
  reasons: Type.Array(MessageSchema, { description: 'why it is similar, as matching: catalogue messages' }),
});

export const MatchingResultSchema = Type.Object({
  cases: Type.Array(CaseSuggestionSchema),
  clauses: Type.Array(ClauseSuggestionSchema),
});
