import { defineEntity, type InferEntity, p } from '@mikro-orm/core';

/**
 * Failed logins counted per account and per client address in fixed windows
 * (src/services/login-throttle.ts). In PostgreSQL, so every web process sees
 * the same counts; one row per key, updated with a single atomic upsert.
 */
export const LoginThrottle = defineEntity({
  name: 'LoginThrottle',
  properties: {
    /** `account:<email>` or `address:<client address>`; `password-reset-` in front for password links */
    key: p.string().length(300).primary(),
    failures: p.integer(),
    windowStartedAt: p.datetime(),
  },
});
export type LoginThrottle = InferEntity<typeof LoginThrottle>;
