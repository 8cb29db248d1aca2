import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAsyncHookHandler,
  onRequestHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config.ts';
import { type AuthenticatedUser, resolveSession } from '../domain/auth.ts';
import type { Manufacturer } from '../domain/entities/manufacturer.entity.ts';
import type { ManufacturerRole, Role } from '../domain/entities/user.entity.ts';
import { errorMessage, forbidden, unauthenticated } from '../domain/errors.ts';
import { SESSION_COOKIE } from './security.ts';

declare module 'fastify' {
  interface FastifyRequest {
    auth: AuthenticatedUser | null;
  }
}

export function setSessionCookie(reply: FastifyReply, config: AppConfig, token: string): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.env !== 'development',
    maxAge: config.sessionTtlHours * 3600,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { path: '/' });
}

/**
 * Resolves the session cookie (if any) into request.auth as the request arrives, so the
 * guards below can run before the body is read or validated.
 */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('auth', null);
  app.addHook('onRequest', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.auth = token ? await resolveSession(request.em, token) : null;
  });
});

/**
 * Guard for cookie-authenticated routes: a live session, one of the roles (if
 * given), and a valid CSRF token on every method that changes something.
 * Auditors only read: any write by an auditor is refused here, on every route.
 * Routes list the guards as `onRequest` hooks: an anonymous or forged request is
 * answered 401/403 before its body is read, never 400 with the route's field list.
 */
export function requireUser(
  app: FastifyInstance,
  ...roles: Role[]
): (onRequestAsyncHookHandler | onRequestHookHandler)[] {
  return sessionGuard(app, roles, true);
}

/** Any signed-in user acting on their own session (logging out), auditors included. */
export function requireSession(app: FastifyInstance): (onRequestAsyncHookHandler | onRequestHookHandler)[] {
  return sessionGuard(app, [], false);
}

/**
 * The session and role check alone, without a CSRF token: only for POSTs that change nothing and
 * refuse every foreign origin themselves (the codec endpoint, called cross-origin by the Temporal
 * Web UI, which cannot send our CSRF token). Auditors pass: such a route only reads.
 */
export function requireRoleWithoutCsrf(...roles: Role[]): onRequestAsyncHookHandler {
  return sessionCheck(roles, false);
}

function sessionCheck(roles: Role[], auditorsReadOnly: boolean) {
  return async (request: FastifyRequest) => {
    const auth = request.auth;
    if (!auth) throw unauthenticated();
    if (roles.length > 0 && !roles.some((r) => auth.user.roles.includes(r)))
      throw forbidden(errorMessage('needsRole', { roles: roles.join(' / ') }));
    if (
      auditorsReadOnly &&
      request.method !== 'GET' &&
      auth.user.roles.includes('auditor') &&
      !auth.user.roles.includes('platform_admin')
    )
      throw forbidden(errorMessage('auditorsRead'));
  };
}

function sessionGuard(
  app: FastifyInstance,
  roles: Role[],
  auditorsReadOnly: boolean,
): (onRequestAsyncHookHandler | onRequestHookHandler)[] {
  const check = sessionCheck(roles, auditorsReadOnly);
  // csrfProtection answers 403 itself on a missing or bad token, else calls done. The token
  // comes in the x-csrf-token header (the body is not read yet).
  const csrfCheck: onRequestHookHandler = (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    app.csrfProtection(request, reply, done);
  };
  return [check, csrfCheck];
}

/** Guard for a manufacturer's own data: a user of an active manufacturer (reads are allowed while suspended). */
export function requireMember(app: FastifyInstance, ...roles: ManufacturerRole[]) {
  const [check, csrfCheck] = requireUser(app, ...roles);
  const member = async (request: FastifyRequest) => {
    const manufacturer = request.auth?.manufacturer;
    if (!manufacturer) throw forbidden(errorMessage('needsManufacturer'));
    if (request.method !== 'GET' && manufacturer.status !== 'active')
      throw forbidden(errorMessage('manufacturerSuspended'));
  };
  return [check as onRequestAsyncHookHandler, member, csrfCheck as onRequestHookHandler];
}

/** The signed-in user of a request guarded by requireUser. */
export function authOf(request: FastifyRequest): AuthenticatedUser {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}

/** The signed-in manufacturer user of a request guarded by requireMember. */
export function memberOf(request: FastifyRequest): AuthenticatedUser & { manufacturer: Manufacturer } {
  const auth = authOf(request);
  if (!auth.manufacturer) throw forbidden(errorMessage('needsManufacturer'));
  return auth as AuthenticatedUser & { manufacturer: Manufacturer };
}
