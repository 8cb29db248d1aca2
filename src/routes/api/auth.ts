import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken, endSession, startSession, verifyLogin } from '../../domain/auth.ts';
import { Manufacturer, type User } from '../../domain/entities/index.ts';
import {
  conflict,
  type FieldProblem,
  forbidden,
  invalid,
  tooManyRequests,
  unauthenticated,
} from '../../domain/errors.ts';
import { normalizeMobile } from '../../domain/phone.ts';
import { usccProblem } from '../../domain/uscc.ts';
import { deliverPending } from '../../notifications/notifier.ts';
import {
  authOf,
  clearSessionCookie,
  requireSession,
  requireUser,
  setSessionCookie,
} from '../../plugins/auth.ts';
import { SESSION_COOKIE } from '../../plugins/security.ts';
import { returnLoginTry, takeLoginTry } from '../../services/login-throttle.ts';
import {
  changeOwnPassword,
  RESET_LINK_MINUTES,
  requestPasswordLink,
  setPasswordWithLink,
} from '../../services/users.ts';
import { Email, errors, Id, MobilePhone, Password, Strict, Text } from '../schemas.ts';

const Me = Type.Object({
  user: Type.Object({
    id: Id,
    email: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(Type.String()),
  }),
  manufacturer: Type.Union([
    Type.Object({ id: Id, name: Type.String(), status: Type.String() }),
    Type.Null(),
  ]),
});
const me = (user: User, manufacturer: Manufacturer | null) => ({
  user: { id: user.id, email: user.email, displayName: user.displayName, roles: user.roles },
  manufacturer: manufacturer && { id: manufacturer.id, name: manufacturer.name, status: manufacturer.status },
});

/** Answers a spent try budget with 429 and Retry-After. */
function refuseThrottled(reply: FastifyReply, retryAfterSeconds: number, what: string): never {
  reply.header('retry-after', String(retryAfterSeconds));
  const minutes = Math.ceil(retryAfterSeconds / 60);
  throw tooManyRequests(`${what}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}`);
}

/** Sign-up, login, logout, the current user, CSRF tokens and passwords. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, notifications, orm } = app.deps;

  // Password links asked for by email go out once the response has gone: how long the mail server
  // takes must not tell whether the address has an account. Closing waits for them.
  const toDeliver = new WeakMap<FastifyRequest, string>();
  const deliveries = new Set<Promise<unknown>>();
  app.addHook('onResponse', async (request) => {
    const dedupeKey = toDeliver.get(request);
    if (!dedupeKey) return;
    const delivery = deliverPending(orm.em.fork(), notifications, [dedupeKey])
      .catch((err: unknown) => request.log.error({ err }, 'password link not delivered'))
      .finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled(deliveries);
  });

  app.post(
    '/auth/signup',
    {
      schema: {
        tags: ['auth'],
        summary: 'Register a manufacturer and its first user (admin, editor and approver)',
        body: Strict({
          company: Strict({
            name: Text(200, 'registered company name'),
            usccCode: Type.String({
              minLength: 18,
              maxLength: 18,
              description: '统一社会信用代码, 18 characters',
            }),
            contactName: Text(100),
            contactPhone: MobilePhone,
            email: Email,
          }),
          user: Strict({ displayName: Text(100), email: Email, password: Password }),
        }),
        response: { 201: Me, ...errors(400, 409) },
      },
    },
    async (request, reply) => {
      const { company, user } = request.body;
      const problems: FieldProblem[] = [];
      const uscc = usccProblem(company.usccCode);
      if (uscc) problems.push({ field: 'company.usccCode', message: uscc });
      const phone = normalizeMobile(company.contactPhone);
      if (!phone)
        problems.push({ field: 'company.contactPhone', message: 'is not a valid mobile phone number' });
      if (problems.length > 0) throw invalid(problems);
      const em = request.em;
      const usccCode = company.usccCode.toUpperCase();
      const usccTaken = conflict('a manufacturer with this credit code is already registered', [
        { field: 'company.usccCode', message: 'is already registered' },
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
      setSessionCookie(reply, config, await startSession(em, created.id, config.sessionTtlHours));
      return reply.code(201).send(me(created, manufacturer));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Log in; starts a new session (any previous one from this browser is ended). Failed logins are ' +
          'limited per account and per client address (429 with Retry-After); a deactivated user gets 403',
        body: Strict({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Me, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const em = request.em;
      const email = request.body.email.trim().toLowerCase();
      const throttled = await takeLoginTry(em, config.loginThrottle, email, request.ip);
      if (throttled) {
        // Only passwords actually checked and wrong count: a refused try is given back.
        await returnLoginTry(em, email, request.ip);
        refuseThrottled(reply, throttled.retryAfterSeconds, 'too many failed logins');
      }
      const user = await verifyLogin(em, email, request.body.password);
      if (!user) throw unauthenticated('wrong email or password');
      await returnLoginTry(em, email, request.ip);
      // Said only to whoever knows the password.
      if (user.deactivatedAt) throw forbidden('this account is deactivated; ask your admin');
      // Session rotation: the old token (if any) dies, a fresh one is issued.
      const previous = request.cookies[SESSION_COOKIE];
      if (previous) await endSession(em, previous);
      setSessionCookie(reply, config, await startSession(em, user.id, config.sessionTtlHours));
      const manufacturer = user.manufacturer
        ? await em.findOneOrFail(Manufacturer, { id: user.manufacturer })
        : null;
      return me(user, manufacturer);
    },
  );

  app.post(
    '/auth/logout',
    {
      onRequest: requireSession(app),
      schema: {
        tags: ['auth'],
        summary: 'End this session',
        response: { 204: Type.Null(), ...errors(401, 403) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) await endSession(request.em, token);
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/auth/me',
    { onRequest: requireUser(app), schema: { tags: ['auth'], response: { 200: Me, ...errors(401) } } },
    async (request) => {
      const { user, manufacturer } = authOf(request);
      return me(user, manufacturer);
    },
  );

  app.get(
    '/auth/csrf',
    {
      onRequest: requireUser(app),
      schema: {
        tags: ['auth'],
        summary: 'A CSRF token for this session; send it as the x-csrf-token header on every write',
        response: { 200: Type.Object({ token: Type.String() }), ...errors(401) },
      },
    },
    async (request, reply) => ({ token: reply.generateCsrf({ userInfo: authOf(request).sessionKey }) }),
  );

  const LINK_SENT = {
    message: `if this address has an account, a link to set a new password is on its way; it works once, for ${RESET_LINK_MINUTES} minutes`,
  };
  app.post(
    '/auth/forgot-password',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Email a single-use link to set a new password. The answer is the same whether or not the ' +
          'address has an account; requests are limited per address and per client like logins (429)',
        body: Strict({ email: Email }),
        response: { 202: Type.Object({ message: Type.String() }), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const em = request.em;
      const email = request.body.email.trim().toLowerCase();
      // Every request counts, for any address: the limit itself tells nothing about accounts.
      const throttled = await takeLoginTry(em, config.loginThrottle, email, request.ip, 'password-reset');
      if (throttled) refuseThrottled(reply, throttled.retryAfterSeconds, 'too many password links asked for');
      const dedupeKey = await requestPasswordLink(em, { config, log: request.log }, email);
      if (dedupeKey) toDeliver.set(request, dedupeKey);
      return reply.code(202).send(LINK_SENT);
    },
  );

  app.post(
    '/auth/reset-password',
    {
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: {
        tags: ['auth'],
        summary:
          'Set a new password with the token of an emailed link: the link works once, and every session ' +
          'of the user ends (422 with the reason when the link is unknown, used or expired)',
        body: Strict({ token: Type.String({ minLength: 1, maxLength: 100 }), password: Password }),
        response: { 204: Type.Null(), ...errors(400, 422, 429) },
      },
    },
    async (request, reply) => {
      const { token, password } = request.body;
      await setPasswordWithLink(request.em, { config, log: request.log }, token, password);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/auth/password',
    {
      onRequest: requireSession(app),
      schema: {
        tags: ['auth'],
        summary:
          'Change your own password (the current one is required; wrong ones count as failed logins). ' +
          'Your other sessions end, this one stays',
        body: Strict({
          currentPassword: Type.String({ minLength: 1, maxLength: 200 }),
          newPassword: Password,
        }),
        response: { 204: Type.Null(), ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const em = request.em;
      const auth = authOf(request);
      const throttled = await takeLoginTry(em, config.loginThrottle, auth.user.email, request.ip);
      if (throttled) {
        await returnLoginTry(em, auth.user.email, request.ip);
        refuseThrottled(reply, throttled.retryAfterSeconds, 'too many failed logins');
      }
      await changeOwnPassword(em, { config, log: request.log }, auth, request.body);
      await returnLoginTry(em, auth.user.email, request.ip);
      return reply.code(204).send(null);
    },
  );
};
