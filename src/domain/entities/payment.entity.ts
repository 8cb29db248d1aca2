import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Order, PAYMENT_PROVIDERS } from './order.entity.ts';

/** `failed`: the provider reported the consumer's attempt declined or failed, and it was closed. */
export const PAYMENT_STATUSES = ['created', 'captured', 'closed', 'failed', 'refunded'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

/** A payment at a provider for an order; captured at most once, refunded when it came too late. */
export const Payment = defineEntity({
  name: 'Payment',
  uniques: [{ properties: ['provider', 'providerPaymentId'] }],
  properties: {
    ...baseProperties,
    order: () => p.manyToOne(Order).mapToPk().index(),
    provider: p.enum([...PAYMENT_PROVIDERS]),
    providerPaymentId: p.string().length(64),
    payUrl: p.text(),
    amountFen: p.integer(),
    currency: p.string().length(3),
    status: p.enum([...PAYMENT_STATUSES]).default('created'),
    capturedAt: p.datetime().nullable(),
  },
});
export type Payment = InferEntity<typeof Payment>;
