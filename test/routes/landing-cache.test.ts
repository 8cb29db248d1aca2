import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { Plan, PlanVersion } from '../../src/domain/entities/index.ts';
import { LandingCache } from '../../src/services/landing-cache.ts';
import { announceLandingChange } from '../../src/services/landing-peers.ts';
import { ApiSession } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import {
  addUser,
  createDraft,
  PHONE_DRAFT,
  PHONE_PRODUCT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { publishedPlan } from '../helpers/purchase-fixtures.ts';
import { get } from '../helpers/raw-http.ts';

const KEY = /name="idempotencyKey" value="([0-9a-f]{32})"/;
const keyOf = (page: string) => page.match(KEY)?.[1];
/** The page without the one part that differs on every response. */
const withoutKey = (page: string) => page.replace(KEY, 'name="idempotencyKey" value="…"');

/** Another plan for the same product, published by the worker through the real workflow. */
async function publishSibling(h: Harness, plan: Awaited<ReturnType<typeof publishedPlan>>, nameEn: string) {
  const editor = plan.editor.session;
  const approver = await addUser(editor, ['approver'], () => new ApiSession(h.app));
  const draft = await createDraft(editor, plan.productId, {
    nameZh: `${nameEn}（中文）`,
    nameEn,
    priceFen: 19_900,
  });
  const { suggestions } = await waitForStage(editor, draft.id, 'awaiting_selection');
  const submitted = await editor.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
    clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  const reviewed = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
    decision: 'approve',
  });
  expect(reviewed.statusCode, reviewed.body).toBe(200);
  return h.client.workflow.getHandle(draft.workflowId).result();
}

describe('landing cache', () => {
  let h: Harness;
  let base: string;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    base = h.config.publicBaseUrl;
    plan = await publishedPlan(h);
  });
  afterAll(() => h?.close());

  it('serves from the cache the page a fresh render gives, with a new form key on every response', async () => {
    h.app.landingCache.invalidate();
    const miss = await get(base, `/w/${plan.code}`);
    const hit = await get(base, `/w/${plan.code}`);
    expect(miss.status).toBe(200);
    expect(hit.status).toBe(200);
    expect(miss.text).toContain('星河手机两年全面保障');
    expect(withoutKey(hit.text)).toBe(withoutKey(miss.text));
    const keys = new Set([miss, hit, await get(base, `/w/${plan.code}`)].map((r) => keyOf(r.text)));
    expect(keys.size).toBe(3);
    expect(keys.has(undefined)).toBe(false);
    for (const response of [miss, hit]) {
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers.etag).toBeUndefined();
      expect(response.headers['content-security-policy']).toContain("object-src 'none'");
    }
  });

  it('decodes every negotiated encoding to the same page, in the encoding @fastify/compress would pick', async () => {
    const identity = await get(base, `/w/${plan.code}`);
    expect(identity.headers['content-encoding']).toBeUndefined();
    const wholePageGzip = zlib.gzipSync(identity.raw).length;
    const cases: [string, string][] = [
      ['gzip', 'gzip'],
      ['br', 'br'],
      ['zstd', 'zstd'],
      ['deflate', 'deflate'],
      ['gzip, deflate, br, zstd', 'zstd'], // what Chromium sends
      ['gzip, deflate, br', 'br'], // what Safari sends
      ['x-gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
    ];
    for (const [accept, expected] of cases) {
      // Twice: the first may load, the second is surely served from the cache.
      for (let i = 0; i < 2; i++) {
        const response = await get(base, `/w/${plan.code}`, { 'accept-encoding': accept });
        expect(response.status, accept).toBe(200);
        expect(response.headers['content-encoding'], accept).toBe(expected);
        expect(response.headers.vary, accept).toBe('accept-language, accept-encoding');
        expect(Number(response.headers['content-length'] ?? response.raw.length)).toBe(response.raw.length);
        // About as small as compressing the whole page per response: only the key and the form's end travel stored.
        expect(response.raw.length, accept).toBeLessThan(wholePageGzip + 160);
        expect(withoutKey(response.text), accept).toBe(withoutKey(identity.text));
        expect(keyOf(response.text)).not.toBe(keyOf(identity.text));
      }
    }
  });

  it('keeps the languages apart', async () => {
    h.app.landingCache.invalidate();
    const zh = await get(base, `/w/${plan.code}`);
    const en = await get(base, `/w/${plan.code}`, { 'accept-language': 'en-US,en;q=0.9' });
    const asked = await get(base, `/w/${plan.code}?lang=en`, { 'accept-language': 'zh-CN' });
    const zhAgain = await get(base, `/w/${plan.code}`, {
      'accept-language': 'zh-CN',
      'accept-encoding': 'br',
    });
    for (const page of [zh, zhAgain]) {
      expect(page.text).toContain('<html lang="zh-CN">');
      expect(page.text).toContain('星河手机两年全面保障');
      expect(page.text).not.toContain('Xinghe Phone 2-Year Complete Care');
    }
    for (const page of [en, asked]) {
      expect(page.text).toContain('<html lang="en">');
      expect(page.text).toContain('Xinghe Phone 2-Year Complete Care');
      expect(page.text).toContain(`action="/w/${plan.code}?lang=en"`);
    }
    expect(withoutKey(asked.text)).toBe(withoutKey(en.text));
  });

  it('answers 410 as soon as the manufacturer is suspended and sells again once reactivated', async () => {
    const suspendedPlan = await publishedPlan(h);
    const manufacturerId = suspendedPlan.editor.me.manufacturer.id;
    const admin = await platformUser(h, 'platform_admin');
    const url = `/w/${suspendedPlan.code}`;
    expect((await get(base, url)).status).toBe(200);
    expect((await get(base, url, { 'accept-encoding': 'gzip' })).status).toBe(200);

    const suspend = await admin.request('POST', `/api/v1/admin/manufacturers/${manufacturerId}/suspend`, {});
    expect(suspend.statusCode, suspend.body).toBe(200);
    const variants: Record<string, string>[] = [
      {},
      { 'accept-encoding': 'gzip' },
      { 'accept-language': 'en' },
    ];
    for (const headers of variants) {
      const gone = await get(base, url, headers);
      expect(gone.status).toBe(410);
      expect(gone.text).not.toContain('idempotencyKey');
    }
    expect((await get(base, url)).text).toContain('该方案已停止销售');
    expect((await get(base, url, { 'accept-language': 'en' })).text).toContain(
      'This plan is no longer on sale',
    );
    // Other manufacturers' pages are untouched.
    expect((await get(base, `/w/${plan.code}`)).status).toBe(200);

    const reactivate = await admin.request(
      'POST',
      `/api/v1/admin/manufacturers/${manufacturerId}/reactivate`,
      {},
    );
    expect(reactivate.statusCode, reactivate.body).toBe(200);
    const back = await get(base, url, { 'accept-encoding': 'br' });
    expect(back.status).toBe(200);
    expect(back.text).toContain('星河手机两年全面保障');
  });

  it('shows a product edit at once, and a plan the worker publishes as soon as it is announced', async () => {
    const url = `/w/${plan.code}`;
    expect((await get(base, url)).text).toContain('XH-X5-256');
    const edited = await plan.editor.session.request('PUT', `/api/v1/products/${plan.productId}`, {
      ...PHONE_PRODUCT,
      model: 'XH-X5-512',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect((await get(base, url)).text).toContain('XH-X5-512');

    const sibling = await publishSibling(h, plan, 'Xinghe Phone Screen Care');
    if (!sibling) throw new Error('the sibling plan was not published');
    // The worker announced the publication: the cached page of the first plan lists its sibling well
    // before its TTL (10 s) would have let it.
    await expect
      .poll(async () => (await get(base, url)).text, { timeout: 3000, interval: 50 })
      .toContain('¥199.00');
    for (const path of [url, `/w/${sibling.code}`]) {
      const page = await get(base, path, { 'accept-language': 'en', 'accept-encoding': 'gzip' });
      expect(page.status).toBe(200);
      expect(page.text).toContain('Xinghe Phone 2-Year Complete Care');
      expect(page.text).toContain('Xinghe Phone Screen Care');
      expect(page.text).toContain('¥199.00');
    }
  });

  describe('on another web process', () => {
    let app: FastifyInstance;
    let otherBase: string;
    beforeAll(async () => {
      // A second server on the same database, its cache with the default TTL (10 s).
      app = await buildApp(
        {
          config: h.config,
          orm: h.db.orm,
          temporal: h.client,
          payments: h.payments,
          notifications: h.notifications,
        },
        { logger: false },
      );
      await app.listen({ host: '127.0.0.1', port: 0 });
      otherBase = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    afterAll(() => app?.close());
    const soon = { timeout: 3000, interval: 50 };

    it('stops selling at once when the plan is stopped through the first one', async () => {
      const seller = await publishedPlan(h);
      const approver = await addUser(seller.editor.session, ['approver'], () => new ApiSession(h.app));
      const url = `/w/${seller.code}`;
      expect((await get(otherBase, url)).status).toBe(200);
      const stopped = await approver.session.request('POST', `/api/v1/plans/${seller.planId}/stop`);
      expect(stopped.statusCode, stopped.body).toBe(200);
      await expect.poll(async () => (await get(otherBase, url)).status, soon).toBe(410);
    });

    it('shows a change announced from SQL at once', async () => {
      const versioned = await publishedPlan(h);
      const url = `/w/${versioned.code}`;
      expect((await get(otherBase, url)).text).toContain('¥299.00');
      const em = h.db.orm.em.fork();
      await em.transactional(async (tx) => {
        await tx.nativeUpdate(PlanVersion, { plan: versioned.planId, version: 1 }, { priceFen: 27_900 });
        await announceLandingChange(tx);
      });
      await expect.poll(async () => (await get(otherBase, url)).text, soon).toContain('¥279.00');
    });
  });

  describe('with a short TTL', () => {
    const TTL_MS = 1500;
    let app: FastifyInstance;
    let shortBase: string;
    beforeAll(async () => {
      // A second server on the same database and Temporal, its cache with a short TTL.
      app = await buildApp(
        {
          config: h.config,
          orm: h.db.orm,
          temporal: h.client,
          payments: h.payments,
          notifications: h.notifications,
          landingCache: new LandingCache({ ttlMs: TTL_MS }),
        },
        { logger: false },
      );
      await app.listen({ host: '127.0.0.1', port: 0 });
      shortBase = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    });
    afterAll(() => app?.close());

    it('shows a new plan version written by another process once the TTL has passed', async () => {
      const versioned = await publishedPlan(h);
      const url = `/w/${versioned.code}`;
      expect((await get(shortBase, url)).text).toContain('¥299.00');

      // What the worker would write: version 2 at a new price becomes current.
      const em = h.db.orm.em.fork();
      const current = await em.findOneOrFail(PlanVersion, { plan: versioned.planId, version: 1 });
      // Each version was reviewed as its own draft; this one as none (written by hand).
      const { id: _id, createdAt: _c, updatedAt: _u, draft: _d, ...terms } = current;
      em.create(PlanVersion, { ...terms, version: 2, priceFen: 25_900, draft: null });
      await em.flush();
      await em.nativeUpdate(Plan, { id: versioned.planId }, { currentVersion: 2 });

      const started = Date.now();
      const soon = await get(shortBase, url);
      if (Date.now() - started < TTL_MS / 2) expect(soon.text).toContain('¥299.00'); // still the cached page
      await expect
        .poll(async () => (await get(shortBase, url, { 'accept-encoding': 'zstd' })).text, {
          timeout: TTL_MS * 4,
          interval: 100,
        })
        .toContain('¥259.00');
      expect((await get(shortBase, url)).text).not.toContain('¥299.00');
    });
  });
});
