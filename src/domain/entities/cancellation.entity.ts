import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import type { RefundQuote } from '../refund.ts';
import { baseProperties } from './base.ts';
import { Order } from './order.entity.ts';

export const CANCELLATION_STATUSES = ['requested', 'refunded'] as const;

/** A consumer's cancellation of an order, with the refund it earned; one per order. */
export const Cancellation = defineEntity({
  name: 'Cancellation',
  // (refundedAt): the statistics roll-up recomputes recent days by this date.
  // (createdAt, id), (status, createdAt, id): the manufacturer's cancellation list, newest first
  // (src/services/order-search.ts).
  indexes: [
    { properties: ['refundedAt'] },
    { properties: ['createdAt', 'id'] },
    { properties: ['status', 'createdAt', 'id'] },
  ],
  properties: {
    ...baseProperties,
    order: () => p.manyToOne(Order).mapToPk().unique(),
    workflowId: p.string().length(100).unique(),
    reason: p.text().nullable(),
    /** Of the request that recorded it (src/domain/request-fingerprint.ts); null on older rows. */
    requestFingerprint: p.string().length(64).nullable(),
    withinCoolingOff: p.boolean(),
    /** Approved repair costs deducted from a pro-rated refund. */
    approvedClaimsFen: p.integer().default(0),
    refundFen: p.integer(),
    /**
     * The refund rule's whole computation, frozen with it (amount paid, basis, days, deductions),
     * so the refund is told as computed; null for cancellations recorded before it was kept.
     */
    refundQuote: p.json<RefundQuote>().nullable(),
    status: p.enum([...CANCELLATION_STATUSES]).default('requested'),
    refundedAt: p.datetime().nullable(),
  },
});
export type Cancellation = InferEntity<typeof Cancellation>;
