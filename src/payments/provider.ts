/**
 * What Yanbao needs from a payment provider. The sandbox gateway (default) and
 * Alipay implement it; activities call it, and the callback route verifies
 * notifications with it before anything reaches a workflow.
 */
import type { PaymentProviderName } from '../domain/entities/order.entity.ts';

export interface CreatePaymentInput {
  orderNumber: string;
  amountFen: number;
  currency: string;
  /** Shown on the checkout page, e.g. the plan name. */
  subject: string;
  /** Where the provider posts its asynchronous notifications. */
  notifyUrl: string;
  /** Where the consumer's browser returns after paying. */
  returnUrl: string;
}

export interface CreatedPayment {
  providerPaymentId: string;
  /** Where the consumer pays (hosted checkout page). */
  payUrl: string;
}

/** A verified notification, in Yanbao's words. */
export interface PaymentNotification {
  provider: PaymentProviderName;
  /** Unique per delivery-worthy event at the provider; duplicates repeat it. */
  eventId: string;
  providerPaymentId: string;
  orderNumber: string;
  /**
   * `failed`: the consumer's attempt was declined or failed; the payment is not captured.
   * `pending`: the provider reports the payment still waiting (acknowledged, nothing changes).
   * `refund_failed`: a refund Yanbao asked for did not go through (WeChat Pay's REFUND.ABNORMAL or
   * REFUND.CLOSED); acknowledged and logged for a person, the refund row stays as it is.
   */
  kind: 'captured' | 'closed' | 'refunded' | 'failed' | 'pending' | 'refund_failed';
  /**
   * The payment's amount; for a refund from a provider that reports each refund on its own
   * (the sandbox), that refund's amount.
   */
  amountFen: number;
  currency: string;
  /**
   * For a refund from a provider that reports a running total (Alipay's refund_fee): everything
   * refunded on the payment so far, this refund included.
   */
  refundedTotalFen?: number;
  /** The refund request the refund answers (Alipay's out_biz_no): Yanbao's own refund id, or the console's. */
  refundRequestId?: string;
}

/** What the provider itself has on record for a payment: its ledger, not our copy of it. */
export interface ProviderPaymentRecord {
  status: ProviderPaymentStatus;
  amountFen: number;
  currency: string;
}

export type ProviderPaymentStatus = 'pending' | 'captured' | 'closed' | 'refunded';

/** A callback that failed verification: forged, altered, stale or malformed. Answered with a 4xx. */
export class CallbackRejected extends Error {
  readonly status: number;
  constructor(message: string, status = 400) {
    super(message);
    this.name = 'CallbackRejected';
    this.status = status;
  }
}

export interface PaymentProvider {
  readonly name: PaymentProviderName;
  createPayment(input: CreatePaymentInput): Promise<CreatedPayment>;
  /** Raw body and headers exactly as received; throws CallbackRejected when they do not verify. */
  verifyCallback(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<PaymentNotification>;
  /** What to answer a verified callback with (Alipay wants the plain text "success"). */
  readonly acknowledgement: { contentType: string; body: string };
  queryPayment(providerPaymentId: string): Promise<ProviderPaymentStatus>;
  /** The provider's own record of a payment; null when it has none (never created or never opened). */
  paymentRecord(providerPaymentId: string): Promise<ProviderPaymentRecord | null>;
  /** Closes an unpaid payment; reports when it was captured before it could be closed. */
  closePayment(providerPaymentId: string): Promise<{ closed: boolean; alreadyCaptured: boolean }>;
  /** Idempotent per refundId. */
  refund(input: {
    providerPaymentId: string;
    amountFen: number;
    refundId: string;
  }): Promise<{ providerRefundId: string }>;
}

/** The configured providers; Alipay is present only when its keys are set. */
export type PaymentProviders = Partial<Record<PaymentProviderName, PaymentProvider>>;
