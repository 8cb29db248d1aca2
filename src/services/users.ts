/**
 * Managing a manufacturer's users and everyone's password: an admin
 * deactivates (and reactivates) a user of its own manufacturer and sends a
 * user a link to set a new password; anyone asks for that link by email
 * address; a signed-in user changes their own password.
 *
 * The link carries a random token valid for RESET_LINK_MINUTES, stored only as
 * its SHA-256, one per user (a new link replaces the one before), consumed in
 * one statement so it works once even when submitted twice at once. Whatever
 * changes a password or takes an account away ends the user's sessions in the
 * same transaction, and leaves a line in the log.
 */
import { randomBytes } from 'node:crypto';
import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config.ts';
import {
  type AuthenticatedUser,
  endUserSessions,
  hashPassword,
  passwordMatches,
  passwordProblem,
  tokenHash,
} from '../domain/auth.ts';
import { Manufacturer, PasswordReset, User } from '../domain/entities/index.ts';
import { conflict, errorMessage, fieldProblem, invalid, notFound, rejected } from '../domain/errors.ts';
import { DEFAULT_LOCALE, type Locale, translate } from '../i18n/catalogue.ts';
import { enqueue, type QueuedMessage } from '../notifications/notifier.ts';

export const RESET_LINK_MINUTES = 60;
/** Where the emailed link opens: the server-rendered page of src/routes/pages/account-pages.ts. */
export const RESET_PAGE_PATH = '/account/reset-password';

export interface UserDeps {
  config: Pick<AppConfig, 'publicBaseUrl'>;
  /** The request's logger: the audit line of each change. */
  log: FastifyBaseLogger;
}

/** The admin acting, and the manufacturer both belong to. */
type Admin = AuthenticatedUser & { manufacturer: Manufacturer };

const userField = (key: string) => [fieldProblem('id', key)];

/** A user of the admin's own manufacturer; another manufacturer's is as unknown as one that never existed. */
async function ownUser(em: EntityManager, admin: Admin, userId: string): Promise<User> {
  const user = await em.findOne(User, { id: userId, manufacturer: admin.manufacturer.id });
  if (!user) throw notFound('user');
  return user;
}

/**
 * Deactivates a user: no login, and every session ends now. Never the admin themself, never the
 * last active admin: the manufacturer's row is locked first, so two admins deactivating each
 * other at once cannot both succeed.
 */
export async function deactivateUser(em: EntityManager, deps: UserDeps, admin: Admin, userId: string) {
  const { user, sessionsEnded } = await em.transactional(async (tx) => {
    await tx.findOneOrFail(
      Manufacturer,
      { id: admin.manufacturer.id },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    const user = await ownUser(tx, admin, userId);
    if (user.id === admin.user.id)
      throw rejected('cannot_deactivate_self', errorMessage('cannotDeactivateSelf'), userField('ownAccount'));
    if (user.deactivatedAt) return { user, sessionsEnded: 0 };
    if (user.roles.includes('admin')) {
      const otherAdmins = await tx.count(User, {
        manufacturer: admin.manufacturer.id,
        roles: { $overlap: ['admin'] },
        deactivatedAt: null,
        id: { $ne: user.id },
      });
      if (otherAdmins === 0) throw conflict(errorMessage('lastActiveAdmin'), userField('lastActiveAdmin'));
    }
    user.deactivatedAt = new Date();
    return { user, sessionsEnded: await endUserSessions(tx, user.id) };
  });
  deps.log.info({ userId: user.id, by: admin.user.id, sessionsEnded }, 'user deactivated');
  return user;
}

export async function reactivateUser(em: EntityManager, deps: UserDeps, admin: Admin, userId: string) {
  const user = await ownUser(em, admin, userId);
  if (!user.deactivatedAt) return user;
  user.deactivatedAt = null;
  await em.flush();
  deps.log.info({ userId: user.id, by: admin.user.id }, 'user reactivated');
  return user;
}

/**
 * An admin's reset: the old password stops working and every session ends (the reason to reset
 * is often that the password got out), and the user is emailed a link to set a new one. Answers
 * the outbox message's dedupe key, for the caller to deliver.
 */
export async function resetUserPassword(
  em: EntityManager,
  deps: UserDeps,
  admin: Admin,
  userId: string,
): Promise<string> {
  const unusable = await hashPassword(randomBytes(32).toString('base64url'));
  const { dedupeKey, sessionsEnded } = await em.transactional(async (tx) => {
    const user = await ownUser(tx, admin, userId);
    if (user.deactivatedAt) throw conflict(errorMessage('userDeactivated'), userField('deactivated'));
    user.passwordHash = unusable;
    const sessionsEnded = await endUserSessions(tx, user.id);
    return { dedupeKey: await issueResetLink(tx, deps, user, admin.manufacturer.locale), sessionsEnded };
  });
  deps.log.info({ userId, by: admin.user.id, sessionsEnded }, 'password reset by an admin; link emailed');
  return dedupeKey;
}

/**
 * Forgot password: emails a link when the address belongs to an active user, and does nothing
 * otherwise; the caller answers both the same. Answers the message's dedupe key, or null.
 */
export async function requestPasswordLink(
  em: EntityManager,
  deps: UserDeps,
  email: string,
): Promise<string | null> {
  const user = await em.findOne(User, { email: email.trim().toLowerCase(), deactivatedAt: null });
  if (!user) return null;
  const manufacturer = user.manufacturer
    ? await em.findOneOrFail(Manufacturer, { id: user.manufacturer })
    : null;
  const dedupeKey = await issueResetLink(em, deps, user, manufacturer?.locale ?? DEFAULT_LOCALE);
  deps.log.info({ userId: user.id }, 'password link requested by email');
  return dedupeKey;
}

/** Writes a fresh link for the user (replacing any earlier one) and its email to the outbox. */
async function issueResetLink(
  em: EntityManager,
  deps: UserDeps,
  user: User,
  locale: Locale,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  const key = tokenHash(token);
  const now = new Date();
  await em.upsert(
    PasswordReset,
    {
      user: user.id,
      tokenHash: key,
      createdAt: now,
      expiresAt: new Date(now.getTime() + RESET_LINK_MINUTES * 60_000),
      usedAt: null,
    },
    { onConflictFields: ['user'], onConflictAction: 'merge' },
  );
  const lang = locale === 'en' ? 'en' : 'zh';
  const link = `${deps.config.publicBaseUrl}${RESET_PAGE_PATH}?t=${token}&lang=${lang}`;
  const message: QueuedMessage = {
    dedupeKey: `password-link:${user.id}:${key.slice(0, 32)}`,
    channel: 'email',
    recipient: user.email,
    subject: translate(locale, 'account:email.subject'),
    body: translate(locale, {
      code: 'account:email.body',
      params: { name: user.displayName, link, minutes: RESET_LINK_MINUTES },
    }),
  };
  await enqueue(em, [message]);
  return message.dedupeKey;
}

/** Why a link does not work; the page turns the code into words. */
const LINK_PROBLEMS = {
  reset_link_unknown: 'resetLinkUnknown',
  reset_link_used: 'resetLinkUsed',
  reset_link_expired: 'resetLinkExpired',
  reset_link_account_deactivated: 'resetLinkAccountDeactivated',
} as const;
export type LinkProblem = keyof typeof LINK_PROBLEMS;
const linkRefused = (code: LinkProblem) => {
  const words = errorMessage(LINK_PROBLEMS[code], { minutes: RESET_LINK_MINUTES });
  return rejected(code, words, [{ field: 'token', ...words }]);
};

/** Why a link would be refused now, or null while it works (the page shows its form only then). */
export async function passwordLinkProblem(em: EntityManager, token: string): Promise<LinkProblem | null> {
  const link = token ? await em.findOne(PasswordReset, { tokenHash: tokenHash(token) }) : null;
  if (!link) return 'reset_link_unknown';
  if (link.usedAt) return 'reset_link_used';
  if (link.expiresAt <= new Date()) return 'reset_link_expired';
  const user = await em.findOneOrFail(User, { id: link.user });
  return user.deactivatedAt ? 'reset_link_account_deactivated' : null;
}

/**
 * Sets a new password through an emailed link: the password is checked before the link is
 * spent, the link works once, and every session of the user ends.
 */
export async function setPasswordWithLink(
  em: EntityManager,
  deps: UserDeps,
  token: string,
  password: string,
): Promise<void> {
  const problem = passwordProblem(password);
  if (problem) throw invalid([{ field: 'password', ...problem }]);
  const passwordHash = await hashPassword(password);
  const key = tokenHash(token);
  const { userId, sessionsEnded } = await em.transactional(async (tx) => {
    // Spent in one statement: of two submissions at once, only one finds it unused.
    const [spent] = await tx.execute<{ user_id: string }[]>(
      `update password_reset set used_at = now()
        where token_hash = ? and used_at is null and expires_at > now() returning user_id`,
      [key],
    );
    if (!spent) {
      const link = await tx.findOne(PasswordReset, { tokenHash: key });
      throw linkRefused(
        !link ? 'reset_link_unknown' : link.usedAt ? 'reset_link_used' : 'reset_link_expired',
      );
    }
    const user = await tx.findOneOrFail(User, { id: spent.user_id });
    if (user.deactivatedAt) throw linkRefused('reset_link_account_deactivated');
    user.passwordHash = passwordHash;
    return { userId: user.id, sessionsEnded: await endUserSessions(tx, user.id) };
  });
  deps.log.info({ userId, sessionsEnded }, 'password set through an emailed link');
}

/**
 * A signed-in user's new password: the current one must be right; every other session ends, this
 * one stays. The caller throttles tries like logins (a wrong current password is a wrong login).
 */
export async function changeOwnPassword(
  em: EntityManager,
  deps: UserDeps,
  auth: AuthenticatedUser,
  passwords: { currentPassword: string; newPassword: string },
): Promise<void> {
  if (!(await passwordMatches(auth.user.passwordHash, passwords.currentPassword)))
    throw invalid([fieldProblem('currentPassword', 'notCurrentPassword')]);
  const passwordHash = await hashPassword(passwords.newPassword);
  const sessionsEnded = await em.transactional(async (tx) => {
    await tx.nativeUpdate(User, { id: auth.user.id }, { passwordHash, updatedAt: new Date() });
    return endUserSessions(tx, auth.user.id, auth.sessionKey);
  });
  deps.log.info({ userId: auth.user.id, sessionsEnded }, 'password changed by its user');
}
