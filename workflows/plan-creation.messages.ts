/**
 * The messages PlanCreationWorkflow answers: shared by the workflow and the
 * API's client so both sides agree on names and shapes.
 */
import type { Static } from '@sinclair/typebox';
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { DurationText } from '../src/domain/duration.ts';
import type { ClauseSelection, MatchingResult, ReviewDecision } from '../src/domain/plan-draft.ts';
import type { PlanCreationStatusSchema, PublishedPlanSchema } from './plan-creation.schemas.ts';

/** The stages in the order a draft passes them; `expired` ends a draft left alone. */
export const PLAN_CREATION_STAGES = [
  'entry',
  'matching',
  'awaiting_selection',
  'awaiting_review',
  'publishing',
  'published',
] as const;
export type PlanCreationStage = (typeof PLAN_CREATION_STAGES)[number] | 'expired';

export interface PlanCreationInput {
  draftId: string;
  manufacturerId: string;
  /** How often approvers are reminded while a draft waits for review (e.g. "24 hours"). */
  reminderInterval: DurationText;
  /** A draft nobody touches for this long expires (e.g. "30 days"). */
  expiresAfter: DurationText;
}

export type PublishedPlan = Static<typeof PublishedPlanSchema>;
export type PlanCreationStatus = Static<typeof PlanCreationStatusSchema>;

export interface SubmitSelectionInput extends ClauseSelection {
  submittedBy: string;
}

export interface ReviewInput {
  reviewerId: string;
  decision: ReviewDecision;
  comment: string;
}

export const suggestionsQuery = defineQuery<MatchingResult | null>('suggestions');
export const statusQuery = defineQuery<PlanCreationStatus>('status');
export const submitSelectionUpdate = defineUpdate<PlanCreationStatus, [SubmitSelectionInput]>(
  'submitSelection',
);
export const reviewUpdate = defineUpdate<PlanCreationStatus, [ReviewInput]>('review');

/** Error types the workflow raises; the API maps them to HTTP statuses. */
export const PLAN_CREATION_ERRORS = {
  wrongStage: 'WrongStage',
  invalidSelection: 'InvalidSelection',
  fourEyes: 'FourEyesViolation',
  invalidDraft: 'InvalidDraft',
} as const;
