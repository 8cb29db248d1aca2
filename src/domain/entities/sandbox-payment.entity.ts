import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';

export const SANDBOX_PAYMENT_STATUSES = ['pending', 'paid', 'declined', 'closed', 'refunded'] as const;

/** How the sandbox delivers this payment's callbacks: the knobs tests turn. */
export interface SandboxBehaviour {
  /** Deliver each callback this many times (1 = normal). */
  copies?: number;
  /** Hold callbacks back this long after the consumer pays. */
  delayMs?: number;
  /** Send a stale "closed" event after the "captured" one, as an out-of-order provider would. */
  reorder?: boolean;
  /**
   * Acknowledge a close request but keep the payment payable: the race where the
   * consumer completes payment at the provider just as the merchant gives up (a declined
   * payment becomes payable again, as if the consumer retried at the provider).
   */
  ignoreClose?: boolean;
}

/**
 * The sandbox gateway's own ledger: what a real provider keeps on its side.
 * It lives in our database only because the sandbox is built in.
 */
export const SandboxPayment = defineEntity({
  name: 'SandboxPayment',
  properties: {
    ...baseProperties,
    orderNumber: p.string().length(32).index(),
    subject: p.string().length(200),
    amountFen: p.integer(),
    currency: p.string().length(3),
    notifyUrl: p.text(),
    returnUrl: p.text(),
    status: p.enum([...SANDBOX_PAYMENT_STATUSES]).default('pending'),
    behaviour: p.json<SandboxBehaviour>().default('{}'),
    refundedFen: p.integer().default(0),
  },
});
export type SandboxPayment = InferEntity<typeof SandboxPayment>;

/** A callback the sandbox owes the merchant, retried with backoff until it is answered with 2xx. */
export const SandboxCallback = defineEntity({
  name: 'SandboxCallback',
  indexes: [{ properties: ['deliveredAt', 'nextAttemptAt'] }],
  // copies of one event share its id; this keeps one row per (payment, event, copy)
  uniques: [{ properties: ['sandboxPayment', 'eventId', 'copy'] }],
  properties: {
    ...baseProperties,
    sandboxPayment: () => p.manyToOne(SandboxPayment).mapToPk(),
    eventId: p.string().length(64),
    /** 1 for the first delivery of an event; 2, 3… for deliberate duplicates. */
    copy: p.integer().default(1),
    body: p.text(),
    attempts: p.integer().default(0),
    nextAttemptAt: p.datetime(),
    deliveredAt: p.datetime().nullable(),
    lastError: p.text().nullable(),
  },
});
export type SandboxCallback = InferEntity<typeof SandboxCallback>;
