/** Sign-up, login, sessions, logout, CSRF and the login rate limit, through HTTP against real PostgreSQL. */
import diagnostics from 'node:diagnostics_channel';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppConfig } from '../../src/config.ts';
import { UNIQUE_CONSTRAINTS } from '../../src/db/unique-constraints.ts';
import { Manufacturer, Session, User } from '../../src/domain/entities/index.ts';
import { ApiSession, makeUscc, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';

describe('auth', () => {
  let h: Harness;
  /** Every route of the app, collected as it is built. */
  const routes: { method: string; url: string }[] = [];
  const collect = (message: unknown) => {
    const { fastify } = message as { fastify: FastifyInstance };
    fastify.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat())
        if (method !== 'HEAD') routes.push({ method, url: route.url });
    });
  };
  beforeAll(async () => {
    diagnostics.subscribe('fastify.initialization', collect);
    try {
      h = await startHarness();
    } finally {
      diagnostics.unsubscribe('fastify.initialization', collect);
    }
  });
  afterAll(() => h?.close());

  const signupBody = (over: { company?: object; user?: object } = {}) => ({
    company: {
      name: '华东家电有限公司',
      usccCode: makeUscc(),
      contactName: '李工',
      contactPhone: '+86 139 0000 1111',
      email: 'ops@huadong.example',
      ...over.company,
    },
    user: {
      displayName: 'Li',
      email: `li-${Math.random()}@huadong.example`,
      password: 'long enough password',
      ...over.user,
    },
  });

  /** An anonymous sign-up request, as the portal's sign-up page sends it. */
  const postSignup = (payload: object) =>
    h.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload });

  it('signs up a manufacturer with an argon2id-hashed password and a session cookie', async () => {
    const session = new ApiSession(h.app);
    const body = signupBody();
    const response = await session.request('POST', '/api/v1/auth/signup', body);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().user.roles).toEqual(['admin', 'editor', 'approver']);
    const cookie = response.cookies.find((c) => c.name === 'yanbao_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', secure: true, path: '/' });
    const em = h.db.orm.em.fork();
    const user = await em.findOneOrFail(User, { email: body.user.email.toLowerCase() });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const manufacturer = await em.findOneOrFail(Manufacturer, { id: user.manufacturer });
    expect(manufacturer.contactPhone).toBe('+8613900001111');
    expect((await session.request('GET', '/api/v1/auth/me')).json().manufacturer.name).toBe(
      '华东家电有限公司',
    );
  });

  it('names every bad field and writes nothing', async () => {
    const em = h.db.orm.em.fork();
    const before = await em.count(Manufacturer);
    const cases: [object, string, number][] = [
      [{ company: { usccCode: '91350100M000100Y44' } }, 'company.usccCode', 400],
      [{ company: { usccCode: 'short' } }, 'company.usccCode', 400],
      [{ company: { contactPhone: '010 6552 9988' } }, 'company.contactPhone', 400],
      [{ company: { email: 'not-an-email' } }, 'company.email', 400],
      [{ company: { name: '   ' } }, 'company.name', 400],
      [{ user: { password: 'short' } }, 'user.password', 400],
      [{ user: { email: '' } }, 'user.email', 400],
    ];
    for (const [over, field, status] of cases) {
      const response = await postSignup(signupBody(over));
      expect(response.statusCode, `${field}: ${response.body}`).toBe(status);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const missing = await postSignup({ company: {} });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().fields.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['user', 'company.name', 'company.usccCode']),
    );
    expect(await em.count(Manufacturer)).toBe(before);
  });

  it('refuses a second registration of the same credit code or email', async () => {
    const body = signupBody();
    expect((await postSignup(body)).statusCode).toBe(201);
    const again = await postSignup(
      signupBody({ company: { usccCode: body.company.usccCode.toLowerCase() } }),
    );
    expect(again.statusCode).toBe(409);
    expect(fieldWords(again.json().fields)).toEqual([
      { field: 'company.usccCode', message: 'is already registered' },
    ]);
    const sameEmail = await postSignup(signupBody({ user: { email: body.user.email.toUpperCase() } }));
    expect(sameEmail.statusCode).toBe(409);
    expect(fieldWords(sameEmail.json().fields)).toEqual([
      { field: 'user.email', message: 'is already registered' },
    ]);
  });

  it('answers the same sign-up or new user sent twice at once with one account and one 409', async () => {
    const em = h.db.orm.em.fork();
    const manufacturersBefore = await em.count(Manufacturer);
    const signUpTwice = (bodies: ReturnType<typeof signupBody>[]) => Promise.all(bodies.map(postSignup));
    const refusedField = (responses: { statusCode: number; json(): { fields: { field: string }[] } }[]) => {
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      return responses
        .find((r) => r.statusCode === 409)
        ?.json()
        .fields.map((f) => f.field);
    };

    // Both pass the checks before either writes; the database's unique constraints decide.
    const body = signupBody();
    expect(refusedField(await signUpTwice([body, body]))).toEqual(['company.usccCode']);
    const email = `race-${Math.random()}@huadong.example`;
    expect(
      refusedField(await signUpTwice([signupBody({ user: { email } }), signupBody({ user: { email } })])),
    ).toEqual(['user.email']);
    // The refused sign-up left no manufacturer without a user behind.
    expect(await em.count(Manufacturer)).toBe(manufacturersBefore + 2);

    const { session } = await signUp(h.app, 'Racer');
    const newUser = {
      displayName: 'Editor',
      email: `editor-${Math.random()}@racer.example`,
      password: 'another long passphrase',
      roles: ['editor'],
    };
    const added = await Promise.all(
      [1, 2].map(() => session.request('POST', '/api/v1/manufacturer/users', newUser)),
    );
    expect(refusedField(added)).toEqual(['email']);
    expect(await em.count(User, { email: newUser.email })).toBe(1);
  });

  it('knows the unique constraints that requests can run into by their names in the schema', async () => {
    const names = Object.values(UNIQUE_CONSTRAINTS);
    const found = await h.db.orm.em
      .fork()
      .getConnection()
      .execute<{ conname: string }[]>('select conname from pg_constraint where conname in (?)', [names]);
    expect(found.map((r) => r.conname).sort()).toEqual([...names].sort());
  });

  it('rotates the session on login and really ends it on logout', async () => {
    const { session, email, password } = await signUp(h.app, 'Rotate');
    const firstToken = session.cookies.get('yanbao_session');
    expect((await session.login(email, password)).statusCode).toBe(200);
    const secondToken = session.cookies.get('yanbao_session');
    expect(secondToken).not.toBe(firstToken);
    // The old token no longer opens anything.
    const stale = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { yanbao_session: firstToken as string },
    });
    expect(stale.statusCode).toBe(401);

    const loggedOut = await session.request('POST', '/api/v1/auth/logout');
    expect(loggedOut.statusCode).toBe(204);
    const replay = await h.app.inject({
      method: 'GET',
      url: '/api/v1/auth/me',
      cookies: { yanbao_session: secondToken as string },
    });
    expect(replay.statusCode).toBe(401);
    expect(
      await h.db.orm.em
        .fork()
        .count(Session, { user: (await h.db.orm.em.fork().findOneOrFail(User, { email })).id }),
    ).toBe(0);
  });

  it('rejects cookie-authenticated writes without a valid CSRF token', async () => {
    const { session } = await signUp(h.app, 'Csrf');
    const product = {
      brand: 'B',
      name: 'N',
      model: 'M-1',
      category: 'tv',
      retailPriceFen: 399_900,
      baseWarrantyMonths: 12,
      launchDate: '2025-01-01',
    };
    const token = session.csrf;
    session.csrf = null;
    const other = await signUp(h.app, 'Other');
    // No token, a forged one, another session's: each a 403 in Yanbao's words, never the framework's.
    const headers: Record<string, string>[] = [
      {},
      { 'x-csrf-token': 'forged' },
      { 'x-csrf-token': other.session.csrf as string },
    ];
    for (const header of headers) {
      const refused = await session.request('POST', '/api/v1/products', product, header);
      expect(refused.statusCode, refused.body).toBe(403);
      expect(refused.json()).toEqual({ error: 'csrf_invalid', message: expect.any(String) });
    }
    // The token is checked before the body: a forged write with a bad body is still a 403.
    const early = await session.request('POST', '/api/v1/products', {}, { 'x-csrf-token': 'forged' });
    expect([early.statusCode, early.json().error]).toEqual([403, 'csrf_invalid']);
    session.csrf = token;
    expect((await session.request('POST', '/api/v1/products', product)).statusCode).toBe(201);
  });

  it('rate-limits login attempts', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        // Its own client address, so logins elsewhere in this file do not count against it.
        remoteAddress: '203.0.113.9',
        payload: { email: 'nobody@example.com', password: 'wrong password' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);
    const limited = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      remoteAddress: '203.0.113.9',
      payload: { email: 'nobody@example.com', password: 'wrong password' },
    });
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(/^too many failed logins; try again in \d+ minutes?$/),
      code: 'errors:tooManyLogins',
      params: { count: expect.any(Number) },
    });
  });

  it('answers an anonymous caller 401 on every signed-in route, before looking at its body or ids', async () => {
    const anonymous = await h.app.inject({ method: 'POST', url: '/api/v1/products', payload: {} });
    expect(anonymous.statusCode, anonymous.body).toBe(401);
    expect(anonymous.json()).toEqual({
      error: 'unauthenticated',
      message: 'log in first',
      code: 'errors:unauthenticated',
    });
    // Everything under /api/v1 but the public, consumer and payment-provider routes (and static
    // assets) needs a session.
    const open = [
      /^\/api\/v1\/auth\/(signup|login|csrf|forgot-password|reset-password)$/,
      /^\/api\/v1\/public\//,
      /^\/api\/v1\/payments\//,
    ];
    const signedIn = routes.filter(
      (r) =>
        r.url.startsWith('/api/v1/') && !open.some((p) => p.test(r.url)) && !/\.(js|css|map)$/.test(r.url),
    );
    expect(signedIn.length).toBeGreaterThan(40);
    for (const { method, url } of signedIn) {
      const response = await h.app.inject({
        method: method as 'GET',
        // Ids the schemas refuse and an empty body: the guard answers first.
        url: url.replace(/:\w+/g, 'not-an-id'),
        ...(method === 'GET' ? {} : { payload: {} }),
      });
      expect(response.statusCode, `${method} ${url}: ${response.body}`).toBe(401);
    }
  });

  describe('login throttling per account and per address', () => {
    /** An account to log in to: its email and password. */
    const account = async () => {
      const body = signupBody();
      expect((await postSignup(body)).statusCode).toBe(201);
      return { email: body.user.email, password: body.user.password };
    };
    const login = (
      app: FastifyInstance,
      remoteAddress: string,
      payload: { email: string; password: string },
      headers: Record<string, string> = {},
    ) => app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, headers, payload });
    const wrong = (a: { email: string }) => ({ email: a.email, password: 'not the password' });

    /** The app as another web process with its own settings, on the same database. */
    const apps: FastifyInstance[] = [];
    const appWith = async (over: Partial<AppConfig>) => {
      const app = await buildApp(
        {
          config: { ...h.config, ...over },
          orm: h.db.orm,
          temporal: h.client,
          payments: h.payments,
          notifications: h.notifications,
        },
        { logger: false },
      );
      await app.ready();
      apps.push(app);
      return app;
    };
    afterAll(async () => {
      for (const app of apps) await app.close();
    });

    it('locks an account sprayed from many addresses, but no other account and not for its own logins', async () => {
      const victim = await account();
      const bystander = await account();
      // Logging in never uses up the failure budget.
      for (let i = 0; i < 8; i++) expect((await login(h.app, '198.18.0.1', victim)).statusCode).toBe(200);
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++)
        statuses.push((await login(h.app, `198.18.1.${i}`, wrong(victim))).statusCode);
      expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429]);
      // Even the right password waits now, from anywhere, and the answer says for how long.
      const locked = await login(h.app, '198.18.2.1', victim);
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error).toBe('too_many_requests');
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      // A second web process counts the same failures.
      expect((await login(await appWith({}), '198.18.2.2', victim)).statusCode).toBe(429);
      expect((await login(h.app, '198.18.1.0', bystander)).statusCode).toBe(200);
    });

    it('lets colleagues behind one address log in while one of them is locked out', async () => {
      const clumsy = await account();
      const colleague = await account();
      const office = '198.18.3.1';
      for (let i = 0; i < 5; i++) expect((await login(h.app, office, wrong(clumsy))).statusCode).toBe(401);
      expect((await login(h.app, office, clumsy)).statusCode).toBe(429);
      expect((await login(h.app, office, colleague)).statusCode).toBe(200);
      expect((await login(h.app, office, wrong(colleague))).statusCode).toBe(401);
      expect((await login(h.app, office, colleague)).statusCode).toBe(200);
    });

    it('stops one address failing across many accounts, counting simultaneous tries', async () => {
      const app = await appWith({
        loginThrottle: { accountFailures: 5, addressFailures: 6, windowMinutes: 15 },
      });
      const target = await account();
      const sprayed = await Promise.all(
        Array.from({ length: 9 }, (_, i) =>
          login(app, '198.18.4.1', wrong({ email: `x${i}@spray.example` })),
        ),
      );
      expect(sprayed.map((r) => r.statusCode).sort()).toEqual([401, 401, 401, 401, 401, 401, 429, 429, 429]);
      expect((await login(app, '198.18.4.1', target)).statusCode).toBe(429);
      expect((await login(app, '198.18.4.2', target)).statusCode).toBe(200);
    });

    it('keys the address on the connection with TRUST_PROXY=0 and on the right-most forwarded hop with TRUST_PROXY=1', async () => {
      const limits = { accountFailures: 100, addressFailures: 3, windowMinutes: 15 };
      const direct = await appWith({ trustProxy: 0, loginThrottle: limits });
      const proxied = await appWith({ trustProxy: 1, loginThrottle: limits });
      const someone = (i: number) => wrong({ email: `p${i}-${Math.random()}@proxy.example` });

      // No proxy trusted: a forged X-Forwarded-For does not make a new address.
      const forged = [];
      for (let i = 0; i < 4; i++)
        forged.push(
          (await login(direct, '198.18.5.1', someone(i), { 'x-forwarded-for': `203.0.113.${i}` })).statusCode,
        );
      expect(forged).toEqual([401, 401, 401, 429]);

      // One proxy trusted: the client is the hop it appended, whatever the client put before it.
      const viaProxy = (client: string, i: number) =>
        login(proxied, '198.18.6.1', someone(i), { 'x-forwarded-for': client });
      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await viaProxy(`10.9.9.${i}, 198.18.7.1`, i)).statusCode);
      expect(statuses).toEqual([401, 401, 401, 429]);
      expect((await viaProxy('198.18.7.2', 9)).statusCode).toBe(401);
    });
  });
});
