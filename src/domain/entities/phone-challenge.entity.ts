import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';

/** A one-time code sent to a phone so its owner can look up their orders; single use, expiring. */
export const PhoneChallenge = defineEntity({
  name: 'PhoneChallenge',
  indexes: [{ properties: ['phone', 'createdAt'] }],
  properties: {
    ...baseProperties,
    phone: p.string().length(20),
    codeHash: p.string().length(64),
    expiresAt: p.datetime(),
    attempts: p.integer().default(0),
    consumedAt: p.datetime().nullable(),
  },
});
export type PhoneChallenge = InferEntity<typeof PhoneChallenge>;
