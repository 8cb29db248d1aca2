import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { endSession } from '../../domain/auth.ts';
import type { Manufacturer, User } from '../../domain/entities/index.ts';
import {
  authOf,
  clearSessionCookie,
  requireSession,
  requireUser,
  setSessionCookie,
} from '../../plugins/auth.ts';
import { deliverAfterResponse } from '../../plugins/deliver-after-response.ts';
import { SESSION_COOKIE } from '../../plugins/security.ts';
import { LoginThrottled, logIn, signUpManufacturer, withinLoginBudget } from '../../services/accounts.ts';
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

/** A spent try budget is a 429 with Retry-After. */
const withRetryAfter = (reply: FastifyReply) => (err: unknown) => {
  if (err instanceof LoginThrottled) reply.header('retry-after', String(err.retryAfterSeconds));
  throw err;
};

/** Sign-up, login, logout, the current user, CSRF tokens and passwords. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const deliverLater = deliverAfterResponse(app, 'password link');

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
      const { user, manufacturer, sessionToken } = await signUpManufacturer(request.em, config, request.body);
      setSessionCookie(reply, config, sessionToken);
      return reply.code(201).send(me(user, manufacturer));
    },
  );

  app.post(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Log in; starts a new session (any previous one from this browser is ended). Failed logins are ' +
          'limited per account and per client address (429 with Retry-After)',
        body: Strict({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Me, ...errors(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      const { user, manufacturer, sessionToken } = await logIn(request.em, config, {
        ...request.body,
        address: request.ip,
        // Session rotation: the old token (if any) dies, a fresh one is issued.
        previousSession: request.cookies[SESSION_COOKIE],
      }).catch(withRetryAfter(reply));
      setSessionCookie(reply, config, sessionToken);
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
      const dedupeKey = await withinLoginBudget(
        em,
        config,
        { email, address: request.ip, budget: 'password-reset', everyTryCounts: true },
        () => requestPasswordLink(em, { config, log: request.log }, email),
      ).catch(withRetryAfter(reply));
      if (dedupeKey) deliverLater(request, dedupeKey);
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
      await withinLoginBudget(em, config, { email: auth.user.email, address: request.ip }, () =>
        changeOwnPassword(em, { config, log: request.log }, auth, request.body),
      ).catch(withRetryAfter(reply));
      return reply.code(204).send(null);
    },
  );
};
