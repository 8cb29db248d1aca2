/**
 * The messages ClaimWorkflow answers, shared by the workflow and the service
 * desk API so both sides agree on names and shapes.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ClaimDecision, RepairRecord } from '../src/domain/claim-rules.ts';
import type { DurationText } from '../src/domain/duration.ts';
import type { ClaimStatus } from '../src/domain/entities/claim.entity.ts';

export const claimWorkflowId = (claimNumber: string) => `claim-${claimNumber}`;

export interface ClaimInput {
  claimNumber: string;
  /** How long a submitted claim may wait for accept/reject before the desk is reminded (e.g. "2 days"). */
  decisionSla: DurationText;
  /** How long an accepted claim may wait for its repair record before the desk is reminded (e.g. "10 days"). */
  repairSla: DurationText;
}

/** What the consumer is told about, once each. */
export type ClaimStep = 'submitted' | 'accepted' | 'rejected' | 'repaired' | 'closed';

export interface ClaimProgress {
  status: ClaimStatus;
  /** Reminders the service desk got for this claim so far. */
  remindersSent: number;
  /** A desk action is being recorded right now. */
  busy: boolean;
}

export interface DecisionInput {
  decision: ClaimDecision;
  /** Required to reject: the consumer reads it. Optional note on acceptance. */
  reason: string;
  /** The service-desk user (kept in the workflow history for auditors). */
  decidedBy: string;
}

export interface RepairInput extends RepairRecord {
  recordedBy: string;
}

export interface CloseInput {
  closedBy: string;
}

export const claimProgressQuery = defineQuery<ClaimProgress>('progress');
export const decideUpdate = defineUpdate<ClaimProgress, [DecisionInput]>('decide');
export const recordRepairUpdate = defineUpdate<ClaimProgress, [RepairInput]>('recordRepair');
export const closeUpdate = defineUpdate<ClaimProgress, [CloseInput]>('close');

/** Error types the workflow and its activities raise; the API maps them to HTTP statuses. */
export const CLAIM_ERRORS = {
  wrongStage: 'ClaimWrongStage',
  invalidInput: 'InvalidClaimInput',
  capExceeded: 'ClaimCapExceeded',
  missing: 'ClaimMissing',
} as const;
