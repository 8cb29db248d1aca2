import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { hash, verify } from '@node-rs/argon2';
import type { Message } from '../i18n/catalogue.ts';
import { Manufacturer, Session, User } from './entities/index.ts';
import type { Role } from './entities/user.entity.ts';
import { conflict, errorMessage, fieldMessage, fieldProblem } from './errors.ts';

/** The password rule, for the API schemas (Password in src/routes/schemas.ts) and the pages alike. */
export const PASSWORD_LENGTH = { min: 10, max: 200 } as const;
export const passwordProblem = (password: string): Message | null =>
  password.length < PASSWORD_LENGTH.min
    ? fieldMessage('minLength', { limit: PASSWORD_LENGTH.min })
    : password.length > PASSWORD_LENGTH.max
      ? fieldMessage('maxLength', { limit: PASSWORD_LENGTH.max })
      : null;

/** argon2id (the library's default algorithm) with its recommended cost parameters. */
export const hashPassword = (password: string) => hash(password);
export const passwordMatches = (passwordHash: string, password: string) => verify(passwordHash, password);

/** A hash of a random password, verified against when the email is unknown so timing does not reveal accounts. */
const DUMMY_HASH = hash(randomBytes(16).toString('hex'));

export async function verifyLogin(em: EntityManager, email: string, password: string): Promise<User | null> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase() });
  const ok = await verify(user?.passwordHash ?? (await DUMMY_HASH), password);
  return ok && user ? user : null;
}

export const emailTaken = (field: string) =>
  conflict(errorMessage('emailTaken'), [fieldProblem(field, 'alreadyRegistered')]);

export interface NewAccount {
  /** null for platform staff. */
  manufacturer: string | null;
  email: string;
  displayName: string;
  password: string;
  roles: Role[];
}

/**
 * Adds a user to the unit of work, the one way in for sign-up, a manufacturer's
 * admin, the platform admin and the command line: the email is kept lower-case
 * and unique across the platform (a 409 on `emailField` otherwise), the password
 * only as its argon2id hash. The caller flushes, with flushRefusingDuplicates
 * (src/db/unique-constraints.ts).
 */
export async function createAccount(
  em: EntityManager,
  account: NewAccount,
  emailField = 'email',
): Promise<User> {
  const email = account.email.trim().toLowerCase();
  if (await em.count(User, { email })) throw emailTaken(emailField);
  return em.create(User, {
    manufacturer: account.manufacturer,
    email,
    displayName: account.displayName,
    passwordHash: await hashPassword(account.password),
    roles: account.roles,
  });
}

export const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

export async function startSession(em: EntityManager, userId: string, ttlHours: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  em.create(Session, {
    tokenHash: tokenHash(token),
    user: userId,
    expiresAt: new Date(Date.now() + ttlHours * 3_600_000),
  });
  await em.flush();
  return token;
}

export async function endSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(Session, { tokenHash: tokenHash(token) });
}

/** Ends every session of a user, except the one with this key (the request's own, when it stays). */
export async function endUserSessions(
  em: EntityManager,
  userId: string,
  exceptKey?: string,
): Promise<number> {
  return em.nativeDelete(Session, { user: userId, ...(exceptKey ? { tokenHash: { $ne: exceptKey } } : {}) });
}

export interface AuthenticatedUser {
  user: User;
  /** null for platform staff. */
  manufacturer: Manufacturer | null;
  /** Stable per session; binds CSRF tokens to the session that asked for them. */
  sessionKey: string;
}

export async function resolveSession(em: EntityManager, token: string): Promise<AuthenticatedUser | null> {
  const key = tokenHash(token);
  const session = await em.findOne(Session, { tokenHash: key, expiresAt: { $gt: new Date() } });
  if (!session) return null;
  const user = await em.findOneOrFail(User, { id: session.user });
  // Deactivating deletes the sessions too; this holds even for one started in the same instant.
  if (user.deactivatedAt) return null;
  const manufacturer = user.manufacturer
    ? await em.findOneOrFail(Manufacturer, { id: user.manufacturer })
    : null;
  return { user, manufacturer, sessionKey: key };
}
