import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { User } from './user.entity.ts';

/**
 * A login session. The cookie carries a random token; only its SHA-256 is
 * stored, so a database leak does not hand out live sessions.
 */
export const Session = defineEntity({
  name: 'Session',
  tableName: 'user_session',
  properties: {
    tokenHash: p.string().length(64).primary(),
    user: () => p.manyToOne(User).mapToPk().deleteRule('cascade'),
    createdAt: p.datetime().onCreate(() => new Date()),
    expiresAt: p.datetime().index(),
  },
});
export type Session = InferEntity<typeof Session>;
