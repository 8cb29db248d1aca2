import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  preHandlerAsyncHookHandler,
  preHandlerHookHandler,
} from 'fastify';
import fp from 'fastify-plugin';
import type { AppConfig } from '../config.ts';
import { type AuthenticatedUser, resolveSession } from '../domain/auth.ts';
import type { ManufacturerRole } from '../domain/entities/user.entity.ts';
import { forbidden, unauthenticated } from '../domain/errors.ts';
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

/** Resolves the session cookie (if any) into request.auth before handlers run. */
export const authPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('auth', null);
  app.addHook('preHandler', async (request) => {
    const token = request.cookies[SESSION_COOKIE];
    request.auth = token ? await resolveSession(request.em, token) : null;
  });
});

/**
 * Guard for cookie-authenticated routes: a live session, one of the roles (if
 * given), an active manufacturer for writes, and a valid CSRF token on every
 * method that changes something.
 */
export function requireUser(
  app: FastifyInstance,
  ...roles: ManufacturerRole[]
): (preHandlerAsyncHookHandler | preHandlerHookHandler)[] {
  const check = async (request: FastifyRequest) => {
    const auth = request.auth;
    if (!auth) throw unauthenticated();
    if (roles.length > 0 && !roles.some((r) => auth.user.roles.includes(r)))
      throw forbidden(`this needs the ${roles.join(' or ')} role`);
    if (request.method !== 'GET' && auth.manufacturer.status !== 'active')
      throw forbidden('the manufacturer is suspended');
  };
  // csrfProtection answers 403 itself on a missing or bad token, else calls done.
  const csrfCheck: preHandlerHookHandler = (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    app.csrfProtection(request, reply, done);
  };
  return [check, csrfCheck];
}

/** The signed-in user of a request guarded by requireUser. */
export function authOf(request: FastifyRequest): AuthenticatedUser {
  if (!request.auth) throw unauthenticated();
  return request.auth;
}
