/**
 * The messages CancellationWorkflow answers, shared by the workflow, its
 * activities and the API that starts it.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';

/** One cancellation per order: a double submit meets the same workflow. */
export const cancellationWorkflowId = (orderNumber: string) => `cancellation-${orderNumber}`;

export interface CancellationInput {
  orderNumber: string;
  /** YYYY-MM-DD (China time) the consumer asked: the refund is computed for this day and frozen. */
  requestedOn: string;
  /** What the consumer wrote, if anything. */
  reason: string | null;
  /**
   * Of the request that started it (src/domain/request-fingerprint.ts): one cancellation per order,
   * so another request for the order must be the same one. Absent in histories from before it existed.
   */
  fingerprint?: string;
}

/** What each request Update carries: its own fingerprint, compared with the one that started the workflow. */
export interface CancellationRequestMessage {
  fingerprint: string;
}

/** The cancellation as recorded, with the refund it earned. */
export interface CancellationRecord {
  orderNumber: string;
  status: 'requested' | 'refunded';
  withinCoolingOff: boolean;
  approvedClaimsFen: number;
  refundFen: number;
  currency: string;
  requestedAt: string;
  refundedAt: string | null;
}

export const CANCELLATION_STAGES = ['requested', 'refunding', 'completed', 'rejected'] as const;
export type CancellationStage = (typeof CANCELLATION_STAGES)[number];

export interface CancellationStatus {
  stage: CancellationStage;
  record: CancellationRecord | null;
}

/** Sent with update-with-start: answers with the recorded cancellation, or rejects it. */
export const requestCancellationUpdate = defineUpdate<CancellationRecord, [CancellationRequestMessage?]>(
  'requestCancellation',
);
export const cancellationStatusQuery = defineQuery<CancellationStatus>('status');

export const CANCELLATION_ERRORS = {
  /** The order is not active (pending payment, expired, cancelled or ended). */
  notCancellable: 'OrderNotCancellable',
  /** A repair request on the order is still being handled. */
  claimOpen: 'ClaimStillOpen',
  /** The order's cancellation was requested with a different reason or refund. */
  idempotencyKeyReused: 'IdempotencyKeyReused',
} as const;
