import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Payment } from './payment.entity.ts';

export const REFUND_REASONS = ['late_payment', 'cancellation'] as const;

/** Money sent back through the provider; one per payment and reason, whatever the retries. */
export const Refund = defineEntity({
  name: 'Refund',
  uniques: [{ properties: ['payment', 'reason'] }],
  // The statistics roll-up recomputes recent days by this date.
  indexes: [{ properties: ['createdAt'] }],
  properties: {
    ...baseProperties,
    payment: () => p.manyToOne(Payment).mapToPk(),
    reason: p.enum([...REFUND_REASONS]),
    amountFen: p.integer(),
    currency: p.string().length(3),
    providerRefundId: p.string().length(64),
  },
});
export type Refund = InferEntity<typeof Refund>;
