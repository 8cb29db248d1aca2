/**
 * Main products through HTTP: validation per field, tenant isolation, and the
 * retail price and base warranty held while a plan of the product is on sale.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, chinaDate } from '../../src/domain/coverage.ts';
import { MainProduct, Plan } from '../../src/domain/entities/index.ts';
import { type ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import { createProduct, PHONE_PRODUCT } from '../helpers/plan-fixtures.ts';
import { publishedPlan } from '../helpers/purchase-fixtures.ts';

describe('main products', () => {
  let h: Harness;
  let a: ApiSession;
  let b: ApiSession;
  beforeAll(async () => {
    h = await startHarness();
    a = (await signUp(h.app, 'Alpha')).session;
    b = (await signUp(h.app, 'Beta')).session;
  });
  afterAll(() => h?.close());

  it('creates, lists, reads and updates its own products', async () => {
    const created = await createProduct(a);
    const listed = (await a.request('GET', '/api/v1/products')).json();
    expect(listed.items.map((p: { id: string }) => p.id)).toContain(created.id);
    const updated = await a.request('PUT', `/api/v1/products/${created.id}`, {
      ...PHONE_PRODUCT,
      retailPriceFen: 279_900,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json().retailPriceFen).toBe(279_900);
  });

  it('refuses a new retail price or base warranty while a plan of the product is on sale, nothing else', async () => {
    const plan = await publishedPlan(h);
    const seller = plan.editor.session;
    const url = `/api/v1/products/${plan.productId}`;
    const before = (await seller.request('GET', url)).json();
    const refused = await seller.request('PUT', url, {
      ...PHONE_PRODUCT,
      retailPriceFen: 199_900,
      baseWarrantyMonths: 24,
    });
    expect(refused.statusCode, refused.body).toBe(409);
    expect(fieldWords(refused.json().fields)).toEqual([
      { field: 'retailPriceFen', message: expect.stringMatching(/on sale.*retire the plans first$/) },
      { field: 'baseWarrantyMonths', message: expect.stringMatching(/on sale.*retire the plans first$/) },
    ]);
    expect((await seller.request('GET', url)).json()).toEqual(before);

    // The rest of the product still changes while its plans sell.
    const renamed = await seller.request('PUT', url, {
      ...PHONE_PRODUCT,
      name: '星河 X5 Pro',
      serialPattern: '^XH[0-9]{12}$',
    });
    expect(renamed.statusCode, renamed.body).toBe(200);
    expect(renamed.json()).toMatchObject({
      name: '星河 X5 Pro',
      retailPriceFen: 299_900,
      baseWarrantyMonths: 12,
    });

    // No plan on sale (no API retires a plan yet, so the row changes directly): the price may change.
    await h.db.orm.em.fork().nativeUpdate(Plan, { id: plan.planId }, { status: 'retired' });
    const repriced = await seller.request('PUT', url, { ...PHONE_PRODUCT, retailPriceFen: 199_900 });
    expect(repriced.statusCode, repriced.body).toBe(200);
    expect(repriced.json().retailPriceFen).toBe(199_900);
  });

  it('answers bad input with the field and what is wrong, writing nothing', async () => {
    const before = await h.db.orm.em.fork().count(MainProduct);
    const bad: [Record<string, unknown>, string][] = [
      [{ category: 'toaster' }, 'category'],
      [{ retailPriceFen: 2999.5 }, 'retailPriceFen'],
      [{ retailPriceFen: -1 }, 'retailPriceFen'],
      [{ baseWarrantyMonths: 500 }, 'baseWarrantyMonths'],
      [{ launchDate: '2026-02-30' }, 'launchDate'],
      [{ launchDate: 'yesterday' }, 'launchDate'],
      [{ serialPattern: '([a-z' }, 'serialPattern'],
      // Valid in JavaScript, but only a backtracking engine runs lookarounds and backreferences.
      [{ serialPattern: '(?=XH)XH[0-9]{10}' }, 'serialPattern'],
      [{ serialPattern: '(XH)\\1[0-9]+' }, 'serialPattern'],
      [{ brand: '' }, 'brand'],
      [{ model: undefined }, 'model'],
    ];
    for (const [over, field] of bad) {
      const response = await a.request('POST', '/api/v1/products', {
        ...PHONE_PRODUCT,
        model: `M-${field}`,
        ...over,
      });
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    const enumError = await a.request('POST', '/api/v1/products', { ...PHONE_PRODUCT, category: 'toaster' });
    expect(enumError.json().fields[0].message).toMatch(/must be one of: smartphone, laptop/);
    expect(await h.db.orm.em.fork().count(MainProduct)).toBe(before);
  });

  it("answers field messages in the request's language, with their catalogue codes and params", async () => {
    const bad = { ...PHONE_PRODUCT, model: 'LANG-1', brand: '', retailPriceFen: 50, category: 'toaster' };
    const asked = async (language: string | undefined) => {
      const response = await a.request(
        'POST',
        '/api/v1/products',
        bad,
        language ? { 'accept-language': language } : {},
      );
      expect(response.statusCode, response.body).toBe(400);
      const byField = Object.fromEntries(
        response.json().fields.map((f: { field: string; message: string; code: string }) => [f.field, f]),
      );
      return { body: response.json(), byField };
    };
    const zh = await asked('zh-CN,zh;q=0.9,en;q=0.8');
    expect(zh.byField.brand).toMatchObject({ code: 'errors:field.blank', message: '不能为空' });
    expect(zh.byField.category).toMatchObject({
      code: 'errors:field.oneOf',
      message: expect.stringMatching(/^必须是以下之一：smartphone, laptop, /),
    });
    expect(zh.body.message).toMatch(/^brand 不能为空/);
    const en = await asked('en-US,en;q=0.9');
    expect(en.byField.brand).toMatchObject({ code: 'errors:field.blank', message: 'must not be blank' });
    expect(en.byField.category?.params?.allowedValues).toContain('laptop');
    // No language named: English, as before messages had codes.
    expect((await asked(undefined)).byField.brand?.message).toBe('must not be blank');
    // The product rule (after the schema): the same code in both, words in each.
    const cheap = { ...PHONE_PRODUCT, model: 'LANG-2', retailPriceFen: 50 };
    const rule = async (language: string) =>
      (await a.request('POST', '/api/v1/products', cheap, { 'accept-language': language })).json().fields;
    expect(await rule('zh')).toEqual([
      { field: 'retailPriceFen', code: 'errors:field.minFen', message: '不能低于 ¥1.00' },
    ]);
    expect(await rule('en')).toEqual([
      { field: 'retailPriceFen', code: 'errors:field.minFen', message: 'must be at least 100 fen (¥1.00)' },
    ]);
  });

  it('refuses launch dates before 2000-01-01 or more than a year after today (China), on create and update', async () => {
    const today = chinaDate(new Date());
    const latest = addMonths(today, 12);
    const product = await createProduct(a, { model: 'LAUNCH-1' });
    const before = await h.db.orm.em.fork().count(MainProduct);
    const refused: [string, string][] = [
      ['1999-12-31', 'is before 2000-01-01'],
      [addDays(latest, 1), 'is more than a year in the future'],
    ];
    for (const [launchDate, message] of refused) {
      for (const response of [
        await a.request('POST', '/api/v1/products', { ...PHONE_PRODUCT, model: 'LAUNCH-2', launchDate }),
        await a.request('PUT', `/api/v1/products/${product.id}`, {
          ...PHONE_PRODUCT,
          model: 'LAUNCH-1',
          launchDate,
        }),
      ]) {
        expect(response.statusCode, response.body).toBe(400);
        expect(fieldWords(response.json().fields)).toEqual([{ field: 'launchDate', message }]);
      }
    }
    expect(await h.db.orm.em.fork().count(MainProduct)).toBe(before);
    expect((await a.request('GET', `/api/v1/products/${product.id}`)).json().launchDate).toBe(
      PHONE_PRODUCT.launchDate,
    );
    for (const [model, launchDate] of [
      ['LAUNCH-3', '2000-01-01'],
      ['LAUNCH-4', latest],
    ]) {
      const accepted = await a.request('POST', '/api/v1/products', { ...PHONE_PRODUCT, model, launchDate });
      expect(accepted.statusCode, accepted.body).toBe(201);
    }
  });

  it('holds prices to what the money columns store, and takes only JSON numbers as numbers', async () => {
    const before = await h.db.orm.em.fork().count(MainProduct);
    // One past PostgreSQL's integer, the column's type: once a 500 from the database.
    for (const retailPriceFen of [2_147_483_648, 1e11, '100', [100_000], true, null]) {
      const response = await a.request('POST', '/api/v1/products', {
        ...PHONE_PRODUCT,
        model: `M-PRICE-${JSON.stringify(retailPriceFen)}`,
        retailPriceFen,
      });
      expect(response.statusCode, `${JSON.stringify(retailPriceFen)}: ${response.body}`).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toEqual(['retailPriceFen']);
    }
    expect(await h.db.orm.em.fork().count(MainProduct)).toBe(before);
    const largest = await createProduct(a, { model: 'M-PRICE-MAX', retailPriceFen: 2_147_483_647 });
    const read = await a.request('GET', `/api/v1/products/${largest.id}`);
    expect(read.json().retailPriceFen).toBe(2_147_483_647);
    // Query strings are text on the wire and still read as numbers.
    const page = await a.request('GET', '/api/v1/products?limit=1&offset=0');
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json().items).toHaveLength(1);
  });

  it('keeps manufacturers apart: B cannot see, read or change A’s products', async () => {
    const own = await createProduct(a, { model: 'ISOLATED-1' });
    expect(
      (await b.request('GET', '/api/v1/products')).json().items.map((p: { id: string }) => p.id),
    ).not.toContain(own.id);
    expect((await b.request('GET', `/api/v1/products/${own.id}`)).statusCode).toBe(404);
    const hijack = await b.request('PUT', `/api/v1/products/${own.id}`, {
      ...PHONE_PRODUCT,
      name: 'hijacked',
    });
    expect(hijack.statusCode).toBe(404);
    const draft = await b.request('POST', '/api/v1/plan-drafts', {
      productId: own.id,
      nameZh: '越权',
      nameEn: 'Cross tenant',
      termMonths: 12,
      coverageStartRule: { kind: 'from_purchase' },
      priceFen: 1000,
      purchaseWindowDays: 30,
      coverageTypes: ['parts_labour'],
    });
    expect(draft.statusCode).toBe(400);
    expect(fieldWords(draft.json().fields)).toEqual([
      { field: 'productId', message: 'is not one of your main products' },
    ]);
    const stored = await h.db.orm.em.fork().findOneOrFail(MainProduct, { id: own.id });
    expect(stored.name).toBe(PHONE_PRODUCT.name);
  });

  it('refuses anonymous access', async () => {
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/products' })).statusCode).toBe(401);
  });

  it('refuses a duplicate brand and model', async () => {
    await createProduct(a, { model: 'DUP-1' });
    const again = await a.request('POST', '/api/v1/products', { ...PHONE_PRODUCT, model: 'DUP-1' });
    expect(again.statusCode).toBe(409);
  });

  it('answers a double-clicked save with one product and a 409, not a 500', async () => {
    const body = { ...PHONE_PRODUCT, model: 'DUP-2' };
    const both = await Promise.all([1, 2].map(() => a.request('POST', '/api/v1/products', body)));
    expect(both.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    expect(fieldWords(both.find((r) => r.statusCode === 409)?.json().fields)).toEqual([
      { field: 'model', message: 'already exists for this brand' },
    ]);
    expect(await h.db.orm.em.fork().count(MainProduct, { model: 'DUP-2' })).toBe(1);
  });
});
