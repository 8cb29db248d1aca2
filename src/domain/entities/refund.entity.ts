import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Payment } from './payment.entity.ts';

/** `provider_console`: made outside Yanbao (a merchant refunding in Alipay's console), recorded from the provider's notice. */
export const REFUND_REASONS = ['late_payment', 'cancellation', 'provider_console'] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/**
 * Money sent back through the provider. Yanbao's own refunds: one per payment and reason,
 * whatever the retries; refunds made at the provider: one per refund request there.
 */
export const Refund = defineEntity({
  name: 'Refund',
  indexes: [
    // The statistics roll-up recomputes recent days by this date.
    { properties: ['createdAt'] },
    // Declared here so schema diffs keep them.
    {
      name: 'refund_payment_id_reason_unique',
      expression: `create unique index "refund_payment_id_reason_unique" on "refund" ("payment_id", "reason") where "reason" <> 'provider_console'`,
    },
    {
      name: 'refund_payment_id_provider_refund_id_unique',
      expression: `create unique index "refund_payment_id_provider_refund_id_unique" on "refund" ("payment_id", "provider_refund_id") where "reason" = 'provider_console'`,
    },
  ],
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
