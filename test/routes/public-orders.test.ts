/**
 * The consumer's purchase API and the payment callback endpoint through HTTP
 * against real PostgreSQL: every bad field named and nothing written; forged,
 * altered and stale callbacks and amount mismatches rejected without effect.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, chinaDate, daysBetween } from '../../src/domain/coverage.ts';
import { MainProduct, Order, PaymentEvent } from '../../src/domain/entities/index.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { registrationFingerprint } from '../../src/domain/request-fingerprint.ts';
import { signSandboxPayload } from '../../src/payments/sandbox-signature.ts';
import { orderView } from '../../src/services/order-view.ts';
import { placeOrder } from '../../src/temporal/purchase.client.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import {
  nextSerial,
  publishedPlan,
  register,
  registration,
  sandboxCaptureEvent,
} from '../helpers/purchase-fixtures.ts';

describe('public orders and payment callbacks', () => {
  let h: Harness;
  let code: string;
  let productId: string;
  /** A plan of another manufacturer. */
  let otherCode: string;
  beforeAll(async () => {
    h = await startHarness({ purchase: { paymentTimeout: '10 minutes', latePaymentWindow: '1 minute' } });
    ({ code, productId } = await publishedPlan(h));
    otherCode = (await publishedPlan(h)).code;
  });
  afterAll(() => h?.close());

  const post = (payload: unknown) =>
    h.app.inject({ method: 'POST', url: '/api/v1/public/orders', payload: payload as object });
  const orders = () => h.db.orm.em.fork().count(Order);

  it('names every bad registration field and creates no order', async () => {
    const before = await orders();
    const future = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const cases: [Record<string, unknown>, string, number][] = [
      [{ consumerName: ' ' }, 'consumerName', 400],
      [{ consumerPhone: '12345' }, 'consumerPhone', 400],
      [{ consumerPhone: '010 6552 9988' }, 'consumerPhone', 400],
      [{ serialNumber: 'WRONG-123' }, 'serialNumber', 400],
      [{ serialNumber: '' }, 'serialNumber', 400],
      [{ productPurchaseDate: future }, 'productPurchaseDate', 400],
      [{ productPurchaseDate: '2026-03-02' }, 'productPurchaseDate', 400],
      [{ productPurchaseDate: '2026-02-28' }, 'productPurchaseDate', 400],
      [{ productPurchaseDate: '1999-12-31' }, 'productPurchaseDate', 400],
      [{ productPurchaseDate: '2026-02-30' }, 'productPurchaseDate', 400],
      [{ paymentProvider: 'paypal' }, 'paymentProvider', 400],
      [{ paymentProvider: 'alipay' }, 'paymentProvider', 400],
      [{ idempotencyKey: 'short' }, 'idempotencyKey', 400],
      [{ planCode: 'not a code' }, 'planCode', 400],
      [{ unitToken: 'forged.token-value' }, 'unitToken', 400],
    ];
    for (const [over, field, status] of cases) {
      const response = await post(registration(code, over));
      expect(response.statusCode, `${field}: ${response.body}`).toBe(status);
      expect(
        response.json().fields.map((f: { field: string }) => f.field),
        response.body,
      ).toContain(field);
    }
    // The product was launched 2026-03-01; its plans can be bought within 90 days of purchase.
    const message = async (productPurchaseDate: string) =>
      (await post(registration(code, { productPurchaseDate }))).json().fields[0].message;
    expect(await message('2026-03-02')).toMatch(/more than 90 days ago/);
    expect(await message('2026-02-28')).toBe('is before the product was launched on 2026-03-01');
    expect(await message('1999-12-31')).toBe('is before 2000-01-01');
    expect((await post(registration('1111111111'))).statusCode).toBe(404);
    expect(await orders()).toBe(before);
  });

  describe('a product bought long ago (12 months base warranty, 12-month plan, 3650-day window)', () => {
    let old: Awaited<ReturnType<typeof publishedPlan>>;
    beforeAll(async () => {
      old = await publishedPlan(
        h,
        { termMonths: 12, purchaseWindowDays: 3650 },
        { launchDate: '2024-01-01', model: 'XH-X5-2024' },
      );
    });
    const preview = (planCode: string, query: string) =>
      h.app.inject({ method: 'GET', url: `/api/v1/public/plans/${planCode}/coverage-preview?${query}` });

    it('refuses a registration whose cover has already ended (bought 2024-02-29)', async () => {
      const before = await orders();
      const response = await post(registration(old.code, { productPurchaseDate: '2024-02-29' }));
      expect(response.statusCode, response.body).toBe(400);
      // Base warranty to 2025-02-28, cover 2025-03-01 .. 2026-02-28 (the old code sold 2025-02-28 .. 2026-02-27).
      expect(fieldWords(response.json().fields)).toEqual([
        {
          field: 'productPurchaseDate',
          message: 'gives no cover: it ended on 2026-02-28 (this plan could be bought until 2026-01-30)',
        },
      ]);
      expect(await orders()).toBe(before);
    });

    it('previews the dates and price a purchase date buys, or why it is refused', async () => {
      const today = chinaDate(new Date());
      // Bought three months ago: cover starts after the base warranty, at full price.
      const recent = addMonths(today, -3);
      const full = await preview(old.code, `productPurchaseDate=${recent}`);
      expect(full.statusCode, full.body).toBe(200);
      const start = addDays(addMonths(recent, 12), 1);
      expect(full.json()).toEqual({
        planCode: old.code,
        productPurchaseDate: recent,
        quotedOn: today,
        baseWarrantyEnd: addMonths(recent, 12),
        coverageStart: start,
        coverageEnd: addDays(addMonths(start, 12), -1),
        termDays: daysBetween(start, addMonths(start, 12)),
        coveredDays: daysBetween(start, addMonths(start, 12)),
        fullPriceFen: 29_900,
        amountFen: 29_900,
        amountText: '¥299.00',
        currency: 'CNY',
      });
      // Bought 13 months ago: the cover has started, so it is sold from today, pro-rated.
      const longAgo = addMonths(today, -13);
      const started = (await preview(old.code, `productPurchaseDate=${longAgo}`)).json();
      const end = addDays(addMonths(addDays(addMonths(longAgo, 12), 1), 12), -1);
      expect(started).toMatchObject({ coverageStart: today, coverageEnd: end });
      expect(started.coveredDays).toBe(daysBetween(today, end) + 1);
      expect(started.amountFen).toBe(Math.floor((29_900 * started.coveredDays) / started.termDays));

      const refused: [string, string, string][] = [
        ['2024-02-29', 'gives no cover: it ended on 2026-02-28', '保障期已于 2026-02-28 结束'],
        ['2023-12-31', 'is before the product was launched on 2024-01-01', '早于该产品上市日期 2024-01-01'],
        ['1999-12-31', 'is before 2000-01-01', '不能早于 2000-01-01'],
        [addDays(today, 1), 'is in the future', '不能晚于今天'],
      ];
      for (const [date, en, zh] of refused) {
        const response = await preview(old.code, `productPurchaseDate=${date}`);
        expect(response.statusCode, date).toBe(400);
        expect(response.json()).toMatchObject({ error: 'validation_failed' });
        expect(fieldWords(response.json().fields)).toEqual([
          { field: 'productPurchaseDate', message: expect.stringContaining(en) },
        ]);
        const chinese = await preview(old.code, `productPurchaseDate=${date}&lang=zh`);
        expect(chinese.json().fields[0].message, date).toContain(zh);
      }
      for (const query of ['productPurchaseDate=2025-02-30', 'productPurchaseDate=yesterday', '']) {
        const response = await preview(old.code, query);
        expect(response.statusCode, query).toBe(400);
        expect(response.json().fields.length, query).toBeGreaterThan(0);
      }
      expect((await preview('1111111111', `productPurchaseDate=${recent}`)).statusCode).toBe(404);
    });
  });

  it('checks a 100-character serial against a catastrophic product pattern at once, answering as usual', async () => {
    // `(a+)+` takes a backtracking engine 2^99 steps on this near-miss; the server would never answer.
    const em = h.db.orm.em.fork();
    await em.nativeUpdate(MainProduct, { id: productId }, { serialPattern: '(a+)+' });
    try {
      const miss = await post(registration(code, { serialNumber: `${'a'.repeat(99)}b` }));
      expect(miss.statusCode, miss.body).toBe(400);
      expect(fieldWords(miss.json().fields)).toEqual([
        { field: 'serialNumber', message: "does not look like this product's serial numbers" },
      ]);
      await register(h, registration(code, { serialNumber: 'a'.repeat(100) }));
    } finally {
      await em.nativeUpdate(MainProduct, { id: productId }, { serialPattern: '^XH[0-9]{10}$' });
    }
  });

  it('refuses a second live order for the same unit and plan', async () => {
    const first = registration(code);
    await register(h, first);
    const again = await post(registration(code, { serialNumber: first.serialNumber }));
    expect(again.statusCode).toBe(409);
    expect(fieldWords(again.json().fields)).toEqual([
      { field: 'serialNumber', message: 'already has an active or pending order for this plan' },
    ]);
  });

  const orderOf = (idempotencyKey: string) => h.db.orm.em.fork().findOneOrFail(Order, { idempotencyKey });
  // From their own address, clear of the 30-a-minute limit the other tests spend.
  const postFrom = (remoteAddress: string, payload: object) =>
    h.app.inject({ method: 'POST', url: '/api/v1/public/orders', payload, remoteAddress });

  it('answers the same key with a different registration 422 idempotency_key_reused, changing nothing', async () => {
    const first = registration(code);
    const placed = await postFrom('198.51.100.10', first);
    expect(placed.statusCode, placed.body).toBe(201);
    const stored = await orderOf(first.idempotencyKey);
    // The same request again is a retry: the same order.
    const retried = await postFrom('198.51.100.10', { ...first, consumerName: ` ${first.consumerName} ` });
    expect(retried.statusCode).toBe(201);
    expect(retried.json()).toEqual(placed.json());
    for (const over of [
      { serialNumber: nextSerial() },
      { consumerName: '李四' },
      { consumerPhone: '13800138000' },
      { planCode: otherCode },
    ]) {
      const reused = await postFrom('198.51.100.10', { ...first, ...over });
      expect(reused.statusCode, JSON.stringify(over)).toBe(422);
      expect(reused.json()).toMatchObject({
        error: 'idempotency_key_reused',
        fields: [{ field: 'idempotencyKey', message: 'was already used with a different request' }],
      });
    }
    const after = await orderOf(first.idempotencyKey);
    expect(after).toMatchObject({
      orderNumber: stored.orderNumber,
      plan: stored.plan,
      serialNumber: stored.serialNumber,
      consumerName: stored.consumerName,
      consumerPhone: stored.consumerPhone,
      updatedAt: stored.updatedAt,
    });
  });

  it('lets only one of two different registrations sent at once under one key win', async () => {
    for (let round = 0; round < 3; round++) {
      const first = registration(code);
      const second = { ...first, serialNumber: nextSerial(), consumerName: '王五' };
      const answers = await Promise.all([
        postFrom('198.51.100.11', first),
        postFrom('198.51.100.12', second),
      ]);
      const statuses = answers.map((a) => a.statusCode).sort();
      expect(statuses, answers.map((a) => a.body).join('\n')).toEqual([201, 422]);
      const winner = answers[0]?.statusCode === 201 ? first : second;
      expect(await orderOf(first.idempotencyKey)).toMatchObject({
        serialNumber: winner.serialNumber,
        consumerName: winner.consumerName,
      });
    }
  });

  it('refuses a different registration under a used key in the registration activity too (a finished workflow)', async () => {
    const first = registration(code);
    const placed = (await postFrom('198.51.100.13', first)).json();
    const stored = await orderOf(first.idempotencyKey);
    // The workflow is gone: the next registration starts a fresh run, which only the activity can refuse.
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).terminate('test');
    const different = {
      idempotencyKey: first.idempotencyKey,
      planId: stored.plan,
      consumerName: '李四',
      consumerPhone: stored.consumerPhone,
      serialNumber: stored.serialNumber,
      productPurchaseDate: first.productPurchaseDate,
      paymentProvider: 'sandbox' as const,
    };
    const refused = await placeOrder(
      h.client,
      h.config,
      { ...different, fingerprint: registrationFingerprint(different) },
      stored.manufacturer,
    ).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(DomainError);
    expect(refused).toMatchObject({ code: 'idempotency_key_reused', status: 422 });
    expect((await orderOf(first.idempotencyKey)).consumerName).toBe(stored.consumerName);
  });

  it("answers a refused registration in the request's language: schema and rule messages alike", async () => {
    const before = await orders();
    const future = addDays(chinaDate(new Date()), 3);
    const asked = async (over: Record<string, unknown>, language: string) => {
      const response = await h.app.inject({
        method: 'POST',
        url: '/api/v1/public/orders',
        payload: registration(code, over),
        headers: { 'accept-language': language },
      });
      expect(response.statusCode, response.body).toBe(400);
      const body = response.json() as { fields: { field: string; code: string; message: string }[] };
      return Object.fromEntries(body.fields.map((f) => [f.field, f]));
    };
    // The registration rules (after the schema): phone and purchase date.
    const rule = { consumerPhone: '12345', productPurchaseDate: future };
    const ruleZh = await asked(rule, 'zh-CN,zh;q=0.9');
    const ruleEn = await asked(rule, 'en-GB');
    expect(ruleZh.consumerPhone).toMatchObject({ code: 'errors:field.phone', message: '不是有效的手机号码' });
    expect(ruleEn.consumerPhone).toMatchObject({
      code: 'errors:field.phone',
      message: 'is not a valid mobile phone number',
    });
    expect(ruleZh.productPurchaseDate?.message).toBe('不能晚于今天');
    expect(ruleEn.productPurchaseDate?.message).toBe('is in the future');
    // The schema: Ajv's keywords in words, never its English or the schema's regex.
    const schema = { consumerName: '', paymentProvider: 'paypal', idempotencyKey: 'short!' };
    const schemaZh = await asked(schema, 'zh-CN');
    const schemaEn = await asked(schema, 'en');
    expect(Object.keys(schemaZh).sort()).toEqual(['consumerName', 'idempotencyKey', 'paymentProvider']);
    for (const [field, problem] of Object.entries(schemaZh)) {
      expect(problem.message, field).toMatch(/[\u4e00-\u9fff]/);
      expect(schemaEn[field]?.code, field).toBe(problem.code);
      expect(schemaEn[field]?.message, field).not.toMatch(/[\u4e00-\u9fff]|must match pattern/);
    }
    expect(schemaZh.paymentProvider?.message).toMatch(/^必须是以下之一：sandbox/);
    expect(await orders()).toBe(before);
  });

  it('shows an order only with its link token', async () => {
    const placed = await register(h, registration(code));
    const token = orderAccessToken(placed.orderNumber, h.config.linkSecret);
    const ok = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${placed.orderNumber}?t=${token}`,
    });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'pending_payment', steps: { registered: true, paid: false } });
    // Every field the service builds reaches the client (the response schema's serializer drops the rest).
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const view = await orderView(h.db.orm.em.fork(), h.client, order);
    expect(ok.json()).toEqual({ ...view, stage: ok.json().stage });
    const wrong = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${placed.orderNumber}?t=${'x'.repeat(24)}`,
    });
    expect(wrong.statusCode).toBe(404);
  });

  describe('sandbox callbacks', () => {
    let placed: Awaited<ReturnType<typeof register>>;
    let order: Order;
    beforeAll(async () => {
      placed = await register(h, registration(code));
      order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    });
    const event = (over: Record<string, unknown> = {}) => sandboxCaptureEvent(placed, order.amountFen, over);
    const notify = (body: string, signature: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/payments/sandbox/notify',
        headers: { 'content-type': 'application/json', 'x-sandbox-signature': signature },
        payload: body,
      });
    const now = () => Math.floor(Date.now() / 1000);
    const secret = () => h.config.sandbox.signingSecret;

    it('rejects forged, altered and stale signatures and mismatched amounts, changing nothing', async () => {
      const body = event();
      const attempts = [
        notify(body, signSandboxPayload('someone-elses-secret-of-enough-length', body, now())),
        notify(
          body.replace(String(order.amountFen), String(order.amountFen - 1)),
          signSandboxPayload(secret(), body, now()),
        ),
        notify(body, signSandboxPayload(secret(), body, now() - 3600)),
        notify(body, 'garbage'),
        notify(event({ amount_fen: 1 }), ''),
      ];
      for (const response of await Promise.all(attempts)) {
        expect([400, 401]).toContain(response.statusCode);
        expect(response.json().error).toBe('callback_rejected');
      }
      const mismatch = event({ amount_fen: 1 });
      const mismatched = await notify(mismatch, signSandboxPayload(secret(), mismatch, now()));
      expect(mismatched.statusCode).toBe(400);
      expect(mismatched.json().message).toMatch(/does not match/);
      const unknown = event({ order_number: 'YB22222222222222' });
      expect((await notify(unknown, signSandboxPayload(secret(), unknown, now()))).statusCode).toBe(400);
      const em = h.db.orm.em.fork();
      expect(await em.count(PaymentEvent, { orderNumber: placed.orderNumber })).toBe(0);
      expect((await em.findOneOrFail(Order, { orderNumber: placed.orderNumber })).status).toBe(
        'pending_payment',
      );
    });

    it('stores a verified event once and acknowledges duplicates without effect', async () => {
      const body = event({ type: 'payment.closed' });
      const first = await notify(body, signSandboxPayload(secret(), body, now()));
      expect(first.statusCode, first.body).toBe(200);
      const again = await notify(body, signSandboxPayload(secret(), body, now()));
      expect(again.statusCode).toBe(200);
      expect(await h.db.orm.em.fork().count(PaymentEvent, { orderNumber: placed.orderNumber })).toBe(1);
    });
  });
});
