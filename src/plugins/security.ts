import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';
import type { AppConfig } from '../config.ts';
import { DomainError, errorMessage } from '../domain/errors.ts';

export const SESSION_COOKIE = 'yanbao_session';

/** Headers, cookies, CSRF and rate limits: everything a browser-facing app must get right. */
export const securityPlugin = fp(async (app: FastifyInstance, { config }: { config: AppConfig }) => {
  // helmet's middleware built once: @fastify/helmet builds it again for every request (about 15 %
  // of the server's CPU on a cached landing page), and no route here needs per-route options.
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
    },
    // Everywhere but development, like the Secure cookie flag: the app is served over HTTPS there
    // (browsers ignore the header on plain-HTTP localhost, so tests are unaffected).
    hsts: config.env !== 'development',
  });
  app.addHook('onRequest', (request, reply, done) =>
    securityHeaders(request.raw, reply.raw, (err) => done(err instanceof Error ? err : undefined)),
  );
  await app.register(cookie, { secret: config.cookieSecret });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: 'yanbao_csrf',
    // Tokens are bound to the login session, so rotating the session also retires old tokens.
    getUserInfo: (request) => request.auth?.sessionKey ?? 'anonymous',
    csrfOpts: { userInfo: true, hmacKey: config.cookieSecret },
    cookieOpts: {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      signed: true,
      secure: config.env !== 'development',
    },
  });
  // Off by default; routes that need it (login) opt in with their own limits.
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_request, context) =>
      new DomainError(
        'too_many_requests',
        context.statusCode,
        errorMessage('tooManyRequests', { after: context.after }),
      ),
  });
});
