/**
 * Validation in one pass (issue 14 §6): a form with a schema problem and a business problem answers one
 * 400 naming both, in the request's language; a Chinese answer never carries the schema's own text.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import { Claim, MainProduct, PlanDraft } from '../../src/domain/entities/index.ts';
import { type ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { createProduct, PHONE_DRAFT, PHONE_PRODUCT } from '../helpers/plan-fixtures.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

const ZH = { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' };

interface Refusal {
  error: string;
  message: string;
  fields: { field: string; code: string; message: string }[];
}

/** Chinese words only: no catalogue code left untranslated, no Ajv or English server text. */
function expectChineseOnly(body: Refusal) {
  for (const text of [body.message, ...body.fields.map((f) => f.message)]) {
    expect(text).not.toMatch(/errors:|must |match|pattern|format "|\\S|needs the|is not|[a-z]{4,} [a-z]{4,}/);
    expect(text).toMatch(/\p{Script=Han}/u);
  }
}

const codesByField = (body: Refusal) =>
  Object.fromEntries(
    [...new Set(body.fields.map((f) => f.field))].map((field) => [
      field,
      body.fields.filter((f) => f.field === field).map((f) => f.code),
    ]),
  );

describe('validation in one pass', () => {
  let h: Harness;
  let editor: ApiSession;
  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    editor = (await signUp(h.app, 'OnePass')).session;
  });
  afterAll(() => h?.close());

  it('answers a product form with schema and product-rule problems together, in Chinese', async () => {
    const before = await h.db.orm.em.fork().count(MainProduct);
    const response = await editor.request(
      'POST',
      '/api/v1/products',
      {
        ...PHONE_PRODUCT,
        brand: ' ',
        category: 'toaster',
        launchDate: '1999-12-31',
        retailPriceFen: 50,
        serialPattern: '(?=XH)XH',
      },
      ZH,
    );
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json() as Refusal;
    expect(codesByField(body)).toEqual({
      brand: ['errors:field.blank'],
      category: ['errors:field.oneOf'],
      retailPriceFen: ['errors:field.minFen'],
      launchDate: ['errors:field.beforeDate'],
      serialPattern: [expect.stringMatching(/^errors:field\./)],
    });
    expectChineseOnly(body);
    expect(await h.db.orm.em.fork().count(MainProduct)).toBe(before);
  });

  it('names a model the manufacturer already has among the problems of a 400, and alone as a 409', async () => {
    await createProduct(editor, { model: 'ONE-PASS-1' });
    const both = await editor.request(
      'POST',
      '/api/v1/products',
      { ...PHONE_PRODUCT, model: 'ONE-PASS-1', launchDate: 'yesterday' },
      ZH,
    );
    expect(both.statusCode, both.body).toBe(400);
    expect(codesByField(both.json())).toEqual({
      launchDate: ['errors:field.format.date'],
      model: ['errors:field.modelExists'],
    });
    expectChineseOnly(both.json());
    const clashOnly = await editor.request('POST', '/api/v1/products', {
      ...PHONE_PRODUCT,
      model: 'ONE-PASS-1',
    });
    expect(clashOnly.statusCode, clashOnly.body).toBe(409);
  });

  it('runs no rule on a field the schema refused, and still the rules on the others', async () => {
    const product = await createProduct(editor, { model: 'ONE-PASS-2' });
    // The launch date is malformed, so the date rule does not run on it; the price rule does.
    const response = await editor.request('PUT', `/api/v1/products/${product.id}`, {
      ...PHONE_PRODUCT,
      model: 'ONE-PASS-2',
      launchDate: '2026-02-30x',
      retailPriceFen: 99,
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(codesByField(response.json())).toEqual({
      launchDate: ['errors:field.format.date'],
      retailPriceFen: ['errors:field.minFen'],
    });
    // A bad id refuses the request before anything about the body.
    const badId = await editor.request('PUT', '/api/v1/products/nope', { brand: '' });
    expect(badId.statusCode).toBe(400);
    expect(codesByField(badId.json())).toEqual({ 'params.id': ['errors:field.format.uuid'] });
  });

  it('answers a plan draft with schema and requirement problems together, in Chinese', async () => {
    const product = await createProduct(editor, { model: 'ONE-PASS-3' });
    const before = await h.db.orm.em.fork().count(PlanDraft);
    const response = await editor.request(
      'POST',
      '/api/v1/plan-drafts',
      {
        productId: product.id,
        ...PHONE_DRAFT,
        nameZh: '',
        termMonths: '24',
        priceFen: 400_000,
        coverageTypes: ['exclusions', 'exclusions'],
        coverageStartRule: { kind: 'from_purchase', days: 3 },
      },
      ZH,
    );
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json() as Refusal;
    expect(codesByField(body)).toEqual({
      nameZh: ['errors:field.blank'],
      termMonths: ['errors:field.type.integer'],
      coverageTypes: ['errors:field.uniqueItems'],
      priceFen: ['errors:field.belowRetail'],
      'coverageStartRule.days': ['errors:field.daysNotTaken'],
    });
    expectChineseOnly(body);

    // Someone else's product: named with the rest, and the rules needing the product are left out.
    const foreign = (await signUp(h.app, 'OnePassRival')).session;
    const theirs = await createProduct(foreign, { model: 'ONE-PASS-4' });
    const notYours = await editor.request('POST', '/api/v1/plan-drafts', {
      productId: theirs.id,
      ...PHONE_DRAFT,
      priceFen: 400_000,
      purchaseWindowDays: 0,
    });
    expect(notYours.statusCode, notYours.body).toBe(400);
    expect(codesByField(notYours.json())).toEqual({
      productId: ['errors:field.notYourProduct'],
      purchaseWindowDays: ['errors:field.minimum'],
    });
    expect(await h.db.orm.em.fork().count(PlanDraft)).toBe(before);
  });

  it('answers a claim with a schema problem and a fault date the plan does not cover together, in Chinese', async () => {
    const plan = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    const order = await activeOrder(h, plan.code);
    const paidOn = chinaDate(new Date());
    const before = await h.db.orm.em.fork().count(Claim);
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${order.orderNumber}/claims?t=${order.token}`,
      headers: ZH,
      payload: {
        faultDescription: '   ',
        faultDate: addDays(paidOn, -1),
        contactPhone: '13987654321',
        coverageType: 'screen',
        idempotencyKey: 'x',
      },
    });
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json() as Refusal;
    expect(Object.keys(codesByField(body)).sort()).toEqual([
      'faultDate',
      'faultDescription',
      'idempotencyKey',
    ]);
    expectChineseOnly(body);
    expect(await h.db.orm.em.fork().count(Claim)).toBe(before);
  });
});
