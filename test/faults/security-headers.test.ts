/**
 * Security checks of the fault suite: headers on every kind of response (CSP
 * with object-src/base-uri/frame-ancestors 'none', nosniff, HSTS everywhere
 * but development), the flags of the session, CSRF and consumer cookies in
 * production and development builds of the real app, and the rate limits on
 * login and on one-time codes (requesting, verifying, and tries per code).
 */
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppConfig } from '../../src/config.ts';
import { makeUscc } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { nextCode } from '../helpers/lookup.ts';
import { publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const LOGIN_LIMIT = 3;
const YEAR_SECONDS = 365 * 24 * 3600;

describe('security: headers, cookies and rate limits', () => {
  let h: Harness;
  const apps: Partial<Record<AppConfig['env'], FastifyInstance>> = {};
  let planCode: string;

  beforeAll(async () => {
    h = await startHarness({
      loginThrottle: { accountFailures: 5, addressFailures: LOGIN_LIMIT, windowMinutes: 15 },
    });
    planCode = (await publishedPlan(h)).code;
    apps.test = h.app;
    // The same app built as it runs in production and in development, on the same database.
    for (const env of ['production', 'development'] as const) {
      const app = await buildApp(
        {
          config: { ...h.config, env },
          orm: h.db.orm,
          temporal: h.client,
          payments: h.payments,
          notifications: h.notifications,
        },
        { logger: false },
      );
      await app.ready();
      apps[env] = app;
    }
  });
  afterAll(async () => {
    await apps.production?.close();
    await apps.development?.close();
    await h?.close();
  });

  const app = (env: AppConfig['env']) => apps[env] as FastifyInstance;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const postForm = (url: string, fields: Record<string, string>, remoteAddress = '192.0.2.1') =>
    h.app.inject({
      method: 'POST',
      url,
      remoteAddress,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    });

  /** Pages, API answers, errors and static files: every kind of response the app gives. */
  const RESPONSES: [string, (a: FastifyInstance) => Promise<LightMyRequestResponse>][] = [
    ['home page', (a) => a.inject({ method: 'GET', url: '/' })],
    ['consumer page', (a) => a.inject({ method: 'GET', url: '/lookup' })],
    ['landing page for an unknown code', (a) => a.inject({ method: 'GET', url: '/w/1111111111' })],
    ['API answer', (a) => a.inject({ method: 'GET', url: '/api/v1/auth/csrf' })],
    ['API 401', (a) => a.inject({ method: 'GET', url: '/api/v1/auth/me' })],
    ['unknown route', (a) => a.inject({ method: 'GET', url: '/api/v1/nothing-here' })],
    [
      'malformed JSON',
      (a) =>
        a.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          headers: { 'content-type': 'application/json' },
          payload: '{"email":',
        }),
    ],
  ];

  for (const env of ['test', 'production', 'development'] as const)
    it(`sends a strict CSP, nosniff and ${env === 'development' ? 'no' : 'an'} HSTS header on every response (${env})`, async () => {
      for (const [what, request] of RESPONSES) {
        const response = await request(app(env));
        const csp = String(response.headers['content-security-policy']);
        const directives = Object.fromEntries(
          csp.split(';').map((d) => {
            const [name, ...values] = d.trim().split(/\s+/);
            return [name, values.join(' ')];
          }),
        );
        expect(directives, `${what}: ${csp}`).toMatchObject({
          'default-src': "'self'",
          'object-src': "'none'",
          'base-uri': "'none'",
          'frame-ancestors': "'none'",
          'script-src': "'self'",
        });
        expect(response.headers['x-content-type-options'], what).toBe('nosniff');
        const hsts = response.headers['strict-transport-security'] as string | undefined;
        if (env === 'development') expect(hsts, what).toBeUndefined();
        else {
          expect(hsts, what).toMatch(/includeSubDomains/);
          expect(Number(/max-age=(\d+)/.exec(hsts ?? '')?.[1]), what).toBeGreaterThanOrEqual(YEAR_SECONDS);
        }
      }
    });

  const cookie = (response: LightMyRequestResponse, name: string) => {
    const found = (response.cookies as { name: string; [k: string]: unknown }[]).find((c) => c.name === name);
    expect(found, `${name} in ${JSON.stringify(response.headers['set-cookie'])}`).toBeDefined();
    return found as Record<string, unknown>;
  };

  for (const env of ['production', 'development'] as const)
    it(`sets session and CSRF cookies HttpOnly, SameSite, ${env === 'production' ? 'Secure' : 'not Secure on plain http'} (${env})`, async () => {
      const tag = Math.random().toString(36).slice(2, 8);
      const signup = await app(env).inject({
        method: 'POST',
        url: '/api/v1/auth/signup',
        payload: {
          company: {
            name: `Cookie ${tag} 有限公司`,
            usccCode: makeUscc(),
            contactName: '王经理',
            contactPhone: '13812345678',
            email: `c-${tag}@example.com`,
          },
          user: {
            displayName: 'Cookie',
            email: `cookie-${tag}@example.com`,
            password: 'long enough password',
          },
        },
      });
      expect(signup.statusCode, signup.body).toBe(201);
      const session = cookie(signup, 'yanbao_session');
      const secure = env === 'production';
      expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(Boolean(session.secure)).toBe(secure);
      expect(session.maxAge).toBe(h.config.sessionTtlHours * 3600);

      const csrf = await app(env).inject({
        method: 'GET',
        url: '/api/v1/auth/csrf',
        cookies: { yanbao_session: String(session.value) },
      });
      expect(csrf.statusCode).toBe(200);
      const csrfCookie = cookie(csrf, 'yanbao_csrf');
      expect(csrfCookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      expect(Boolean(csrfCookie.secure)).toBe(secure);
      // Signed with the cookie secret: value.signature.
      expect(String(csrfCookie.value)).toMatch(/^[^.]+\..+$/);
    });

  it(`answers 429 after ${LOGIN_LIMIT} failed logins from one address`, async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMIT + 2; i++) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        remoteAddress: '198.51.100.77',
        payload: { email: 'nobody@example.com', password: 'wrong password' },
      });
      statuses.push(response.statusCode);
      if (response.statusCode === 429) expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([...Array(LOGIN_LIMIT).fill(401), 429, 429]);
    // Another address is not held back by it.
    const elsewhere = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '198.51.100.78',
      payload: { email: 'nobody@example.com', password: 'wrong password' },
    });
    expect(elsewhere.statusCode).toBe(401);
  });

  it('limits one-time code requests to 5 a minute per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push(
        (await postForm('/lookup/code', { phone: `1370000${String(2000 + i)}` }, '203.0.113.50')).statusCode,
      );
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
  });

  it('limits code verifications to 10 a minute per address', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push(
        (await postForm('/lookup/verify', { phone: '13700003000', code: '123456' }, '203.0.113.60'))
          .statusCode,
      );
    expect(statuses).toEqual([...Array(10).fill(400), 429, 429]);
  });

  it('gives a code 5 tries, then refuses even the right one; the consumer cookie is HttpOnly, Lax, Secure', async () => {
    const phone = '13700004444';
    await register(h, registration(planCode, { consumerPhone: phone }));
    expect((await postForm('/lookup/code', { phone }, '203.0.113.70')).statusCode).toBe(200);
    const code = await nextCode(h, `+86${phone}`, 0);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++)
      expect(
        (await postForm('/lookup/verify', { phone, code: wrong }, `203.0.113.${80 + i}`)).statusCode,
      ).toBe(400);
    expect((await postForm('/lookup/verify', { phone, code }, '203.0.113.90')).statusCode).toBe(400);

    // A fresh code works, and its cookie carries the flags.
    expect((await postForm('/lookup/code', { phone }, '203.0.113.71')).statusCode).toBe(200);
    const fresh = await nextCode(h, `+86${phone}`, 1);
    const verified = await postForm('/lookup/verify', { phone, code: fresh }, '203.0.113.91');
    expect(verified.statusCode).toBe(303);
    const consumer = cookie(verified, 'yanbao_consumer');
    expect(consumer).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    expect(Number(consumer.maxAge)).toBeLessThanOrEqual(30 * 60);
  });
});
