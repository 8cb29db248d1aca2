import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { endSession } from '../../domain/auth.ts';
import type { Manufacturer, User } from '../../domain/entities/index.ts';
import {
  authOf,
  clearSessionCookie,
  requireSession,
  requireUser,
  setSessionCookie,
} from '../../plugins/auth.ts';
import { SESSION_COOKIE } from '../../plugins/security.ts';
import { LoginThrottled, logIn, signUpManufacturer } from '../../services/accounts.ts';
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

/** Sign-up, login, logout, the current user and CSRF tokens. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;

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
        response: { 200: Me, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const { user, manufacturer, sessionToken } = await logIn(request.em, config, {
        ...request.body,
        address: request.ip,
        // Session rotation: the old token (if any) dies, a fresh one is issued.
        previousSession: request.cookies[SESSION_COOKIE],
      }).catch((err: unknown) => {
        if (err instanceof LoginThrottled) reply.header('retry-after', String(err.retryAfterSeconds));
        throw err;
      });
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
};
