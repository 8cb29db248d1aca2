import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * The emailed link that sets a new password (src/services/users.ts): one row per user, so a new
 * link replaces the one before. Only the token's SHA-256 is stored; the row stays after use so a
 * second click can be told the link was used, not that it never existed.
 */
export const PasswordReset = defineEntity({
  name: 'PasswordReset',
  properties: {
    user: () => p.manyToOne(User).mapToPk().primary().deleteRule('cascade'),
    tokenHash: p.string().length(64).unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
  },
});
export type PasswordReset = InferEntity<typeof PasswordReset>;
