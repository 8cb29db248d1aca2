import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { flushRefusingDuplicates, UNIQUE_CONSTRAINTS } from '../../db/unique-constraints.ts';
import { createAccount, emailTaken, endSession, startSession, verifyLogin } from '../../domain/auth.ts';
import { Manufacturer, type User } from '../../domain/entities/index.ts';
import {
  conflict,
  errorMessage,
  type FieldProblem,
  fieldProblem,
  invalid,
  tooManyRequests,
  unauthenticated,
} from '../../domain/errors.ts';
import { normalizeMobile } from '../../domain/phone.ts';
import { usccProblem } from '../../domain/uscc.ts';
import {
  authOf,
  clearSessionCookie,
  requireSession,
  requireUser,
  setSessionCookie,
} from '../../plugins/auth.ts';
import { SESSION_COOKIE } from '../../plugins/security.ts';
import { returnLoginTry, takeLoginTry } from '../../services/login-throttle.ts';
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
      const { company, user } = request.body;
      const problems: FieldProblem[] = [];
      const uscc = usccProblem(company.usccCode);
      if (uscc) problems.push({ field: 'company.usccCode', ...uscc });
      const phone = normalizeMobile(company.contactPhone);
      if (!phone) problems.push(fieldProblem('company.contactPhone', 'phone'));
      if (problems.length > 0) throw invalid(problems);
      const em = request.em;
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
          'limited per account and per client address (429 with Retry-After)',
        body: Strict({ email: Email, password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Me, ...errors(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const em = request.em;
      const email = request.body.email.trim().toLowerCase();
      const throttled = await takeLoginTry(em, config.loginThrottle, email, request.ip);
      if (throttled) {
        // Only passwords actually checked and wrong count: a refused try is given back.
        await returnLoginTry(em, email, request.ip);
        reply.header('retry-after', String(throttled.retryAfterSeconds));
        const minutes = Math.ceil(throttled.retryAfterSeconds / 60);
        throw tooManyRequests(errorMessage('tooManyLogins', { count: minutes }));
      }
      const user = await verifyLogin(em, email, request.body.password);
      if (!user) throw unauthenticated(errorMessage('wrongLogin'));
      await returnLoginTry(em, email, request.ip);
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
};
