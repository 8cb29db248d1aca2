/**
 * Failed-login budgets per account and per client address, in fixed windows,
 * kept in PostgreSQL (login_throttle) so every web process counts the same.
 * The account budget is small: an account sprayed from many addresses locks
 * for the rest of its window. The address budget is larger: one person's
 * typos do not lock out colleagues behind the same office address.
 *
 * A try is taken from both budgets before the password is checked, in one
 * atomic upsert, so simultaneous guesses all count and no more passwords are
 * checked than the budgets allow; a successful login, and a try refused
 * unchecked, give theirs back: only wrong passwords use up a budget.
 */
import type { EntityManager } from '@mikro-orm/postgresql';

export interface LoginThrottleLimits {
  accountFailures: number;
  addressFailures: number;
  windowMinutes: number;
}

/** Logins, and requests for a password link (counted whether or not the account exists), each have their own budgets. */
export type ThrottledAction = 'login' | 'password-reset';

const keysFor = (email: string, address: string, action: ThrottledAction) => {
  const prefix = action === 'login' ? '' : `${action}-`;
  return [`${prefix}account:${email}`, `${prefix}address:${address}`] as const;
};

/**
 * Takes one try for the account and the address. Returns null when both
 * budgets still allow it, or how many seconds until the spent one renews.
 */
export async function takeLoginTry(
  em: EntityManager,
  limits: LoginThrottleLimits,
  email: string,
  address: string,
  action: ThrottledAction = 'login',
): Promise<{ retryAfterSeconds: number } | null> {
  const [accountKey, addressKey] = keysFor(email, address, action);
  const window = `${limits.windowMinutes} minutes`;
  const rows = await em.getConnection().execute<{ key: string; failures: number; remaining: string }[]>(
    `insert into login_throttle (key, failures, window_started_at) values (?, 1, now()), (?, 1, now())
     on conflict (key) do update set
       failures = case when login_throttle.window_started_at <= now() - ?::interval
                       then 1 else login_throttle.failures + 1 end,
       window_started_at = case when login_throttle.window_started_at <= now() - ?::interval
                                then now() else login_throttle.window_started_at end
     returning key, failures, extract(epoch from window_started_at + ?::interval - now()) as remaining`,
    [accountKey, addressKey, window, window, window],
  );
  const spent = rows.filter((row) =>
    row.key === accountKey ? row.failures > limits.accountFailures : row.failures > limits.addressFailures,
  );
  if (spent.length === 0) return null;
  return { retryAfterSeconds: Math.max(1, ...spent.map((row) => Math.ceil(Number(row.remaining)))) };
}

/** Gives back a try that was not a wrong password (a successful login, or one refused unchecked). */
export async function returnLoginTry(
  em: EntityManager,
  email: string,
  address: string,
  action: ThrottledAction = 'login',
): Promise<void> {
  await em
    .getConnection()
    .execute('update login_throttle set failures = greatest(failures - 1, 0) where key in (?, ?)', [
      ...keysFor(email, address, action),
    ]);
}
