/**
 * The messages PurchaseWorkflow answers, shared by the workflow, the API and
 * the payment callback route.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { DurationText } from '../src/domain/duration.ts';
import type { PaymentProviderName } from '../src/domain/entities/order.entity.ts';
import type { PaymentNotification } from '../src/payments/provider.ts';

export interface PurchaseInput {
  orderNumber: string;
  /** How long a registered order waits for payment (e.g. "15 minutes"). */
  paymentTimeout: DurationText;
  /** How long after expiry a late payment is still caught here and refunded. */
  latePaymentWindow: DurationText;
}

/** What the consumer entered, already validated at the edge; the registration activity checks it again. */
export interface Registration {
  idempotencyKey: string;
  planId: string;
  consumerName: string;
  /** E.164 */
  consumerPhone: string;
  serialNumber: string;
  /** YYYY-MM-DD */
  productPurchaseDate: string;
  paymentProvider: PaymentProviderName;
  /**
   * What the idempotency key stands for (src/domain/request-fingerprint.ts): a second registration
   * under the same key must carry the same one. Absent in histories from before it existed.
   */
  fingerprint?: string;
}

export interface RegistrationResult {
  orderNumber: string;
  payUrl: string;
}

export const PURCHASE_STAGES = [
  'registration',
  'awaiting_payment',
  'recording',
  'confirming',
  'completed',
  'expired',
  'rejected',
] as const;
export type PurchaseStage = (typeof PURCHASE_STAGES)[number];

export interface PurchaseStatus {
  stage: PurchaseStage;
  payUrl: string | null;
  /** Late payments refunded after expiry, by provider payment id. */
  refunded: string[];
}

/** A declined or failed payment attempt, as the provider reported it (verified by the callback route). */
export type PaymentFailure = Pick<PaymentNotification, 'provider' | 'eventId' | 'providerPaymentId'>;

export const registerUpdate = defineUpdate<RegistrationResult, [Registration]>('register');
export const paymentSignal = defineSignal<[PaymentNotification]>('payment');
export const paymentFailedSignal = defineSignal<[PaymentFailure]>('paymentFailed');
export const purchaseStatusQuery = defineQuery<PurchaseStatus>('status');

export const PURCHASE_ERRORS = {
  invalidRegistration: 'InvalidRegistration',
  unitAlreadyCovered: 'UnitAlreadyCovered',
  notOnSale: 'PlanNotOnSale',
  /** The order's idempotency key came with a different registration before. */
  idempotencyKeyReused: 'IdempotencyKeyReused',
} as const;
