/**
 * Manufacturer accounts: signing up a manufacturer with its first user, and
 * logging in under the failed-login budgets (services/login-throttle.ts),
 * each ending in a new session token for the caller to set as the cookie.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../db/unique-constraints.ts';
import { createAccount, emailTaken, endSession, startSession, verifyLogin } from '../domain/auth.ts';
import { Manufacturer } from '../domain/entities/index.ts';
import {
  conflict,
  DomainError,
  errorMessage,
  type FieldProblem,
  fieldProblem,
  forbidden,
  invalid,
  unauthenticated,
} from '../domain/errors.ts';
import { normalizeMobile } from '../domain/phone.ts';
import { usccProblem } from '../domain/uscc.ts';
import { returnLoginTry, type ThrottledAction, takeLoginTry } from './login-throttle.ts';

type SessionConfig = Pick<AppConfig, 'sessionTtlHours' | 'loginThrottle'>;

export interface SignUp {
  company: { name: string; usccCode: string; contactName: string; contactPhone: string; email: string };
  user: { displayName: string; email: string; password: string };
}

/** Registers a manufacturer and its first user (admin, editor and approver), signed in. */
export async function signUpManufacturer(
  em: EntityManager,
  config: SessionConfig,
  { company, user }: SignUp,
) {
  const problems: FieldProblem[] = [];
  const uscc = usccProblem(company.usccCode);
  if (uscc) problems.push({ field: 'company.usccCode', ...uscc });
  const phone = normalizeMobile(company.contactPhone);
  if (!phone) problems.push(fieldProblem('company.contactPhone', 'phone'));
  if (problems.length > 0) throw invalid(problems);
  const usccCode = company.usccCode.toUpperCase();
  const usccTaken = conflict(errorMessage('usccTaken'), [
    fieldProblem('company.usccCode', 'alreadyRegistered'),
  ]);
  if (await em.count(Manufacturer, { usccCode })) throw usccTaken;
  const manufacturer = em.create(Manufacturer, {
    id: randomUUID(),
    ...company,
    usccCode,
    contactPhone: phone as string,
  });
  const created = await createAccount(
    em,
    { ...user, manufacturer: manufacturer.id, roles: ['admin', 'editor', 'approver'] },
    'user.email',
  );
  await flushRefusingDuplicates(em, {
    [UNIQUE_CONSTRAINTS.manufacturerUscc]: usccTaken,
    [UNIQUE_CONSTRAINTS.userEmail]: emailTaken('user.email'),
  });
  const sessionToken = await startSession(em, created.id, config.sessionTtlHours);
  return { user: created, manufacturer, sessionToken };
}

/** A spent try budget (429): the caller says when to try again (Retry-After). */
export class LoginThrottled extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number, what: 'tooManyLogins' | 'tooManyPasswordLinks' = 'tooManyLogins') {
    super('too_many_requests', 429, errorMessage(what, { count: Math.ceil(retryAfterSeconds / 60) }));
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * Runs `attempt` within the try budgets of this email and address (services/login-throttle.ts). For
 * logins and password changes only wrong passwords count: a refused or successful try is given back,
 * a failed one (attempt throws) stays. Password-link requests count every try, for any address, so the
 * limit tells nothing about which addresses have accounts.
 */
export async function withinLoginBudget<T>(
  em: EntityManager,
  config: Pick<AppConfig, 'loginThrottle'>,
  key: { email: string; address: string; budget?: ThrottledAction; everyTryCounts?: boolean },
  attempt: () => Promise<T>,
): Promise<T> {
  const budget = key.budget ?? 'login';
  const giveBack = () =>
    key.everyTryCounts ? undefined : returnLoginTry(em, key.email, key.address, budget);
  const throttled = await takeLoginTry(em, config.loginThrottle, key.email, key.address, budget);
  if (throttled) {
    await giveBack();
    const what = budget === 'password-reset' ? 'tooManyPasswordLinks' : undefined;
    throw new LoginThrottled(throttled.retryAfterSeconds, what);
  }
  const result = await attempt();
  await giveBack();
  return result;
}

/**
 * Checks a password within the failed-login budgets and starts a new session; the caller's
 * previous session (if any) ends: session rotation.
 */
export async function logIn(
  em: EntityManager,
  config: SessionConfig,
  login: { email: string; password: string; address: string; previousSession?: string | undefined },
) {
  const email = login.email.trim().toLowerCase();
  const user = await withinLoginBudget(em, config, { email, address: login.address }, async () => {
    const found = await verifyLogin(em, email, login.password);
    if (!found) throw unauthenticated(errorMessage('wrongLogin'));
    return found;
  });
  // Said only to whoever knows the password.
  if (user.deactivatedAt) throw forbidden(errorMessage('accountDeactivated'));
  if (login.previousSession) await endSession(em, login.previousSession);
  const sessionToken = await startSession(em, user.id, config.sessionTtlHours);
  const manufacturer = user.manufacturer
    ? await em.findOneOrFail(Manufacturer, { id: user.manufacturer })
    : null;
  return { user, manufacturer, sessionToken };
}
