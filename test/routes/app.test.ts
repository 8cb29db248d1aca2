/** The app's edges: error handler, OpenAPI document, security headers, clause library. */
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { Clause, MainProduct } from '../../src/domain/entities/index.ts';
import { signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';

describe('app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('answers unexpected errors with a 500 that leaks nothing', async () => {
    // A second instance of the real app, with one route that fails the way a bug would.
    const app = await buildApp(
      {
        config: h.config,
        orm: h.db.orm,
        temporal: h.client,
        payments: h.payments,
        notifications: h.notifications,
      },
      { logger: false },
    );
    app.get('/api/v1/test-crash', async () => {
      throw new Error('secret connection string postgres://leak');
    });
    const response = await app.inject({ method: 'GET', url: '/api/v1/test-crash' });
    await app.close();
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({
      error: 'internal_error',
      message: 'something went wrong on our side',
      code: 'errors:internal',
    });
    expect(response.body).not.toContain('leak');
  });

  it('answers unknown routes and malformed JSON with clear 4xx', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/nothing-here' })).statusCode).toBe(404);
    const malformed = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email":',
    });
    expect(malformed.statusCode).toBe(400);
  });

  it('refuses text PostgreSQL cannot store, naming the field, before any route writes', async () => {
    const { session, me } = await signUp(h.app, 'Unstorable');
    const products = () => h.db.orm.em.fork().count(MainProduct, { manufacturer: me.manufacturer.id });
    const product = {
      brand: '星河',
      name: '星河 X5',
      model: 'XH-NUL',
      category: 'smartphone',
      retailPriceFen: 299_900,
      baseWarrantyMonths: 12,
      launchDate: '2026-03-01',
    };
    const cases: [string, string, unknown, string][] = [
      ['POST', '/api/v1/products', { ...product, brand: 'B\u0000' }, 'brand'],
      ['POST', '/api/v1/products', { ...product, name: 'half \ud83d' }, 'name'],
      ['GET', `/api/v1/clauses?q=${encodeURIComponent('a\u0000b')}`, undefined, 'querystring.q'],
      ['PUT', `/api/v1/products/${randomUUID()}`, { ...product, model: ['x\u0000'] }, 'model.0'],
    ];
    for (const [method, url, body, field] of cases) {
      const response = await session.request(method as 'GET' | 'POST' | 'PUT', url, body);
      expect(response.statusCode, `${url}: ${response.body}`).toBe(400);
      expect(fieldWords(response.json().fields)).toEqual([
        { field, message: 'must not contain U+0000 or an unpaired surrogate' },
      ]);
    }
    const signup = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/signup',
      payload: { company: { name: '\u0000' }, user: {} },
    });
    expect(signup.statusCode).toBe(400);
    expect(signup.json().fields[0].field).toBe('company.name');
    expect(await products()).toBe(0);
  });

  it('publishes an OpenAPI document with every API route', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/v1/auth/signup',
      '/api/v1/products',
      '/api/v1/clauses',
      '/api/v1/plan-drafts',
      '/api/v1/plan-drafts/{id}/selection',
      '/api/v1/plan-drafts/{id}/review',
      '/api/v1/plans/{id}/documents/{kind}',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(
      doc.paths['/api/v1/products'].post.requestBody.content['application/json'].schema.required,
    ).toContain('category');
  });

  it('sends security headers with a strict CSP', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/' });
    const csp = response.headers['content-security-policy'] as string;
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("base-uri 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves the clause library filtered by category, type and bilingual text', async () => {
    const { session } = await signUp(h.app, 'Library');
    const fridge = (
      await session.request('GET', '/api/v1/clauses?category=refrigerator&coverageType=parts_labour')
    ).json();
    expect(fridge.total).toBeGreaterThan(0);
    expect(fridge.items.every((c: { categories: string[] }) => c.categories.includes('refrigerator'))).toBe(
      true,
    );
    const zh = (await session.request('GET', `/api/v1/clauses?q=${encodeURIComponent('压缩机')}`)).json();
    expect(zh.total).toBeGreaterThan(0);
    const en = (await session.request('GET', '/api/v1/clauses?q=compressor')).json();
    expect(en.total).toBeGreaterThan(0);
    expect((await session.request('GET', '/api/v1/clauses?category=toaster')).statusCode).toBe(400);

    // By id, as the draft page asks for the clauses it names: one id or many, unknown ids skipped.
    const some = (en.items as { id: string }[]).slice(0, 3).map((c) => c.id);
    const byIds = (ids: string[]) =>
      session.request('GET', `/api/v1/clauses?${ids.map((id) => `ids=${id}`).join('&')}`);
    const three = (await byIds([...some, randomUUID()])).json();
    expect(three.items.map((c: { id: string }) => c.id).sort()).toEqual([...some].sort());
    expect(three.total).toBe(3);
    expect((await byIds(some.slice(0, 1))).json().items).toHaveLength(1);
    const tooMany = await byIds(Array.from({ length: 101 }, () => randomUUID()));
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().fields[0].field).toBe('querystring.ids');
    const notAnId = await byIds(['nope']);
    expect(notAnId.statusCode).toBe(400);
    expect(notAnId.json().fields[0].field).toBe('querystring.ids.0');
  });

  it('finds exactly the active clauses whose titles or bodies hold the text, in any case', async () => {
    const { session } = await signUp(h.app, 'Search');
    const active = await h.db.orm.em.fork().find(Clause, { status: 'active' });
    const texts = (c: Clause) => [c.titleZh, c.titleEn, c.bodyZh, c.bodyEn].map((t) => t.toLowerCase());
    const found = async (q: string) => {
      const ids: string[] = [];
      for (let offset = 0; ; offset += 200) {
        const response = await session.request(
          'GET',
          `/api/v1/clauses?${new URLSearchParams({ q, limit: '200', offset: String(offset) })}`,
        );
        expect(response.statusCode, response.body).toBe(200);
        const page = response.json() as { items: { id: string }[]; total: number };
        ids.push(...page.items.map((c) => c.id));
        if (ids.length >= page.total || page.items.length === 0) return ids.sort();
      }
    };
    const expected = (q: string) =>
      active
        .filter((c) => texts(c).some((t) => t.includes(q.toLowerCase())))
        .map((c) => c.id)
        .sort();

    // Two Chinese characters (no trigram), three and more, English in another case, one letter,
    // LIKE's own wildcards taken literally, and text that is nowhere.
    for (const q of ['屏幕', '压缩机', 'COMPRESSOR', 'Water', 'e', '修', '100%', 'a_b', '不存在的条款'])
      expect(await found(q), q).toEqual(expected(q));
    // Any piece of any clause's title or body finds at least that clause, and exactly what holds it.
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: active.length - 1 }),
        fc.integer({ min: 0, max: 3 }),
        fc.nat(),
        fc.integer({ min: 1, max: 8 }),
        async (which, field, start, length) => {
          const source = texts(active[which] as Clause)[field] as string;
          const from = start % source.length;
          const q = source.slice(from, from + length).trim();
          fc.pre(q.length > 0);
          const ids = await found(q);
          expect(ids).toContain((active[which] as Clause).id);
          expect(ids, q).toEqual(expected(q));
        },
      ),
      { numRuns: 25 },
    );
  });
});
