import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { PAYMENT_PROVIDERS } from './order.entity.ts';

/**
 * Every verified provider callback, stored once (unique per provider event id)
 * before it reaches a workflow; a duplicate delivery finds its row and stops.
 */
export const PaymentEvent = defineEntity({
  name: 'PaymentEvent',
  uniques: [{ properties: ['provider', 'providerEventId'] }],
  properties: {
    ...baseProperties,
    provider: p.enum([...PAYMENT_PROVIDERS]),
    providerEventId: p.string().length(128),
    providerPaymentId: p.string().length(64),
    orderNumber: p.string().length(32).index(),
    kind: p.enum(['captured', 'closed', 'refunded', 'failed'] as const),
    amountFen: p.integer(),
    currency: p.string().length(3),
    rawBody: p.text(),
  },
});
export type PaymentEvent = InferEntity<typeof PaymentEvent>;
