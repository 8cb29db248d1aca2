/**
 * The consumer pages over HTTP: landing in both languages, clear pages for
 * unknown, retired and forged codes, the no-JavaScript purchase form, lookup
 * by phone with one-time codes, and Alipay notifications through the route.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import type { AppConfig } from '../../src/config.ts';
import { addDays, addMonths, chinaDate } from '../../src/domain/coverage.ts';
import { Order, PaymentEvent, PhoneChallenge, Plan, PlanVersion } from '../../src/domain/entities/index.ts';
import { orderAccessToken } from '../../src/domain/order-links.ts';
import { signUnitToken } from '../../src/domain/unit-token.ts';
import { createPaymentProviders } from '../../src/payments/index.ts';
import { webConnectionOptions } from '../../src/temporal/web-connection.ts';
import { alipaySign, alipayTestMerchant, beijingTime } from '../helpers/alipay.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { messagesTo, nextCode } from '../helpers/lookup.ts';
import { fieldWords } from '../helpers/messages.ts';
import { publishedPlan, register, registration, sandboxPaymentId } from '../helpers/purchase-fixtures.ts';

const merchant = alipayTestMerchant('2021000000000042');
const { alipayKeys } = merchant;
const forgerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APP_ID = merchant.appId;

describe('consumer pages', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness({
      purchase: { paymentTimeout: '10 minutes', latePaymentWindow: '1 minute' },
      alipay: merchant.config,
    });
    plan = await publishedPlan(h);
  });
  afterAll(() => h?.close());

  const get = (url: string, headers: Record<string, string> = {}) =>
    h.app.inject({ method: 'GET', url, headers });
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const postForm = (url: string, fields: Record<string, string>) =>
    h.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form(fields),
    });

  it('shows manufacturer, product, plans on sale and the frozen clauses, in Chinese by default', async () => {
    const page = await get(`/w/${plan.code}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<html lang="zh-CN">');
    expect(page.body).toContain('星河 X5 智能手机');
    expect(page.body).toContain('星河手机两年全面保障');
    expect(page.body).toContain('¥299.00');
    expect(page.body).toContain('原厂 12 个月保修结束后次日开始');
    const version = await h.db.orm.em.fork().findOneOrFail(PlanVersion, { plan: plan.planId });
    for (const clause of version.clauses) expect(page.body).toContain(clause.titleZh);
    expect(page.body).not.toMatch(/<script(?![^>]*src=)/); // no inline script under the CSP
    const english = await get(`/w/${plan.code}`, { 'accept-language': 'en-US,en;q=0.9,zh;q=0.5' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Xinghe Phone 2-Year Complete Care');
    expect(english.body).toContain('Starts the day after the 12-month manufacturer warranty ends');
    expect((await get(`/w/${plan.code}?lang=zh`, { 'accept-language': 'en' })).body).toContain('zh-CN');
    // At equal q the client's order decides; q=0 means "not English".
    expect((await get(`/w/${plan.code}`, { 'accept-language': 'zh-Hans-CN, en' })).body).toContain(
      '<html lang="zh-CN">',
    );
    expect((await get(`/w/${plan.code}`, { 'accept-language': 'fr, en-GB' })).body).toContain(
      '<html lang="en">',
    );
    expect((await get(`/w/${plan.code}`, { 'accept-language': 'en;q=0' })).body).toContain(
      '<html lang="zh-CN">',
    );
  });

  it('fills in the serial number for "buy again", escaped, without touching the shared page', async () => {
    const serial = 'XH<b>"1';
    const prefilled = await get(`/w/${plan.code}?serial=${encodeURIComponent(serial)}&lang=en`);
    expect(prefilled.statusCode).toBe(200);
    expect(prefilled.body).toContain('value="XH&lt;b&gt;&quot;1"');
    expect(prefilled.body).toContain(`action="/w/${plan.code}?lang=en"`);
    expect((await get(`/w/${plan.code}`)).body).not.toContain('XH&lt;b&gt;');
    expect((await get(`/w/${plan.code}?serial=${'X'.repeat(101)}`)).statusCode).toBe(400);
  });

  it('answers unknown, retired and forged codes with clear pages', async () => {
    const unknown = await get('/w/1111111111');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.body).toContain('找不到该延保方案');
    const forged = await get(
      `/u/${signUnitToken({ planCode: plan.code, serialNumber: 'XH0000000001' }, 'another-secret-entirely-0123456789')}`,
    );
    expect(forged.statusCode).toBe(400);
    expect(forged.body).toContain('二维码无效');
    const unit = await get(
      `/u/${signUnitToken({ planCode: plan.code, serialNumber: 'XH0000000077' }, h.config.linkSecret)}`,
    );
    expect(unit.statusCode).toBe(200);
    expect(unit.body).toContain('XH0000000077');
    const retired = await publishedPlan(h);
    const em = h.db.orm.em.fork();
    await em.nativeUpdate(Plan, { id: retired.planId }, { status: 'retired' });
    const gone = await get(`/w/${retired.code}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.body).toContain('该方案已停止销售');
  });

  it('with Temporal unreachable, the API answers 503 with Retry-After and the form comes back busy, keeping what was typed', async () => {
    // The web server's connection (src/server.ts): it stops retrying UNAVAILABLE after about 2 s.
    const temporal = new Client({ connection: Connection.lazy(webConnectionOptions('127.0.0.1:1')) });
    const app = await buildApp({ ...h.app.deps, temporal }, { logger: false });
    try {
      const started = Date.now();
      const [api, page] = await Promise.all([
        app.inject({ method: 'POST', url: '/api/v1/public/orders', payload: registration(plan.code) }),
        app.inject({
          method: 'POST',
          url: `/w/${plan.code}`,
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: form(registration(plan.code, { consumerName: '李四' }) as Record<string, string>),
        }),
      ]);
      expect(api.statusCode).toBe(503);
      expect(api.headers['retry-after']).toBe('5');
      expect(api.json().error).toBe('service_unavailable');
      expect(page.statusCode).toBe(503);
      expect(page.headers['retry-after']).toBe('5');
      expect(page.body).toContain('系统繁忙，请稍后再试');
      expect(page.body).toContain('value="李四"');
      // The SDK's default retries alone take about 20 s.
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await app.close();
    }
  });

  /** The app as a production deployment would build it, beside the test's own, on the same database. */
  async function productionApp(sandbox: AppConfig['payments']['sandbox']) {
    const config: AppConfig = { ...h.config, env: 'production', payments: { real: null, sandbox } };
    const payments = createPaymentProviders({ orm: h.db.orm, config });
    return buildApp({ ...h.app.deps, config, payments }, { logger: false });
  }

  it('in production mounts no sandbox gateway and offers only Alipay', async () => {
    const placed = await register(h, registration(plan.code));
    const checkout = `/sandbox/checkout/${sandboxPaymentId(placed.payUrl)}`;
    expect((await get(checkout)).statusCode).toBe(200);
    const app = await productionApp('off');
    try {
      expect((await app.inject({ method: 'GET', url: checkout })).statusCode).toBe(404);
      expect((await app.inject({ method: 'POST', url: `${checkout}/pay` })).statusCode).toBe(404);
      const landing = await app.inject({ method: 'GET', url: `/w/${plan.code}` });
      expect(landing.statusCode).toBe(200);
      expect(landing.body).toContain('name="paymentProvider" value="alipay" checked');
      expect(landing.body).not.toContain('value="sandbox"');
      expect(landing.body).not.toContain('data-testid="staging-banner"');
      const refused = await app.inject({
        method: 'POST',
        url: '/api/v1/public/orders',
        payload: registration(plan.code),
      });
      expect(refused.statusCode).toBe(400);
      expect(fieldWords(refused.json().fields)).toEqual([
        { field: 'paymentProvider', message: 'sandbox is not available' },
      ]);
    } finally {
      await app.close();
    }
  });

  it('on a staging deployment keeps the sandbox checkout and says so on every consumer page', async () => {
    const placed = await register(h, registration(plan.code));
    const app = await productionApp('staging');
    try {
      const checkout = await app.inject({
        method: 'GET',
        url: `/sandbox/checkout/${sandboxPaymentId(placed.payUrl)}`,
      });
      expect(checkout.statusCode).toBe(200);
      const orderPath = new URL(placed.orderUrl, 'https://yanbao.test');
      for (const [url, banner] of [
        [`/w/${plan.code}`, '测试环境'],
        [`/w/${plan.code}?lang=en`, 'Staging: payments here are simulated'],
        [`/w/no-such-plan`, '测试环境'],
        [`${orderPath.pathname}${orderPath.search}`, '测试环境'],
        ['/lookup', '测试环境'],
      ] as const) {
        const page = await app.inject({ method: 'GET', url });
        expect(page.body, url).toContain('data-testid="staging-banner"');
        expect(page.body, url).toContain(banner);
      }
      expect((await get(`/w/${plan.code}`)).body).not.toContain('data-testid="staging-banner"');
    } finally {
      await app.close();
    }
  });

  it('re-renders the form with field messages and writes nothing; a good form goes straight to payment', async () => {
    const before = await h.db.orm.em.fork().count(Order);
    const bad = registration(plan.code, { consumerPhone: '12345678', serialNumber: 'nope' });
    const rejected = await postForm(`/w/${plan.code}`, bad as Record<string, string>);
    expect(rejected.statusCode).toBe(400);
    expect(rejected.body).toContain('不是有效的手机号码');
    expect(rejected.body).toContain('与该产品的序列号格式不符');
    expect(rejected.body).toContain('aria-invalid="true"');
    const noDate = await postForm(`/w/${plan.code}`, {
      ...(bad as Record<string, string>),
      productPurchaseDate: '',
    });
    expect(noDate.statusCode).toBe(400);
    expect(noDate.body).toContain('请填写日期');
    expect(rejected.body).toContain('value="张三"'); // what the consumer typed is kept
    expect(await h.db.orm.em.fork().count(Order)).toBe(before);

    const good = registration(plan.code) as Record<string, string>;
    const accepted = await postForm(`/w/${plan.code}`, good);
    expect(accepted.statusCode).toBe(303);
    expect(accepted.headers.location).toMatch(/\/sandbox\/checkout\/[0-9a-f-]{36}$/);
    // The same form posted again (a double tap) is the same order.
    expect((await postForm(`/w/${plan.code}`, good)).headers.location).toBe(accepted.headers.location);
    expect(await h.db.orm.em.fork().count(Order)).toBe(before + 1);
  });

  it('shows the dates and price for a purchase date without JavaScript, leaving the cached page alone', async () => {
    const plain = await get(`/w/${plan.code}`);
    expect(plain.body).toContain('data-testid="show-dates"');
    expect(plain.body).toContain('2024-02-29 购买、12 个月原厂保修至 2025-02-28 止，延保自次日开始');
    expect(plain.body).toMatch(/id="coverage-preview"[^>]*hidden/);

    // "Show my dates" posts the form with intent=preview: the page comes back with it filled in and the
    // dates, and nothing is registered.
    const bought = addDays(chinaDate(new Date()), -10);
    const form: Record<string, string> = {
      ...registration(plan.code),
      productPurchaseDate: bought,
      intent: 'preview',
    };
    const orders = await h.db.orm.em.fork().count(Order);
    const shown = await postForm(`/w/${plan.code}`, form);
    expect(shown.statusCode).toBe(200);
    expect(await h.db.orm.em.fork().count(Order)).toBe(orders);
    expect(shown.headers['cache-control']).toBe('no-store');
    const start = addDays(addMonths(bought, 12), 1);
    expect(shown.body).toMatch(/id="coverage-preview"(?![^>]*hidden)/);
    expect(shown.body).toContain(`id="preview-base-end">${addMonths(bought, 12)}<`);
    expect(shown.body).toContain(`id="preview-start">${start}<`);
    expect(shown.body).toContain(`id="preview-end">${addDays(addMonths(start, 24), -1)}<`);
    expect(shown.body).toContain('id="preview-price">¥299.00<');
    expect(shown.body).toContain(`value="${bought}"`);
    expect(shown.body).toContain('value="张三"');
    expect(shown.body).toContain(`name="idempotencyKey" value="${form.idempotencyKey}"`);

    // A refused date is named under the field, in the page's language; the same in English.
    const early = await postForm(`/w/${plan.code}`, { ...form, productPurchaseDate: '2026-02-28' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('早于该产品上市日期 2026-03-01');
    expect(early.body).toContain('aria-invalid="true"');
    expect(early.body).toMatch(/id="coverage-preview"[^>]*hidden/);
    const english = await postForm(`/w/${plan.code}?lang=en`, form);
    expect(english.body).toContain('Show my dates');
    expect(english.body).toContain(`Cover starts</span><b id="preview-start">${start}<`);

    // The per-unit page answers the same way.
    const unit = `/u/${signUnitToken({ planCode: plan.code, serialNumber: 'XH0000000078' }, h.config.linkSecret)}`;
    expect((await postForm(unit, { productPurchaseDate: bought, intent: 'preview' })).body).toContain(
      `id="preview-start">${start}<`,
    );

    // Visits without a date still get the cached page, with no dates in it.
    const again = await get(`/w/${plan.code}`);
    expect(again.body).toMatch(/id="coverage-preview"[^>]*hidden/);
    expect(again.body).not.toContain(start);
    expect(again.body.replace(/name="idempotencyKey" value="[^"]*"/, '')).toBe(
      plain.body.replace(/name="idempotencyKey" value="[^"]*"/, ''),
    );
  });

  it('lets a consumer find their orders by phone with a single-use, expiring one-time code', async () => {
    const placed = await register(h, registration(plan.code, { consumerPhone: '13700001111' }));
    const sent = await postForm('/lookup/code', { phone: '137 0000 1111' });
    expect(sent.statusCode).toBe(200);
    const code = await nextCode(h, '+8613700001111', 0);
    expect(code).toMatch(/^\d{6}$/);

    const wrong = await postForm('/lookup/verify', {
      phone: '13700001111',
      code: code === '000000' ? '111111' : '000000',
    });
    expect(wrong.statusCode).toBe(400);
    const verified = await postForm('/lookup/verify', { phone: '13700001111', code });
    expect(verified.statusCode).toBe(303);
    const cookie = verified.cookies.find((c) => c.name === 'yanbao_consumer');
    expect(cookie).toMatchObject({ httpOnly: true });
    const mine = await h.app.inject({
      method: 'GET',
      url: '/my-orders',
      cookies: { yanbao_consumer: cookie?.value as string },
    });
    expect(mine.body).toContain(placed.orderNumber);
    expect(mine.body).toContain(orderAccessToken(placed.orderNumber, h.config.linkSecret));
    // Single use: the same code does not work twice.
    expect((await postForm('/lookup/verify', { phone: '13700001111', code })).statusCode).toBe(400);
    // Without the cookie there is nothing to see.
    expect((await get('/my-orders')).statusCode).toBe(303);
    // Expired codes do not work either.
    await postForm('/lookup/code', { phone: '13700001111' });
    const latest = await nextCode(h, '+8613700001111', 1);
    await h.db.orm.em
      .fork()
      .nativeUpdate(PhoneChallenge, { phone: '+8613700001111' }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await postForm('/lookup/verify', { phone: '13700001111', code: latest })).statusCode).toBe(400);
  });

  it('limits how many codes a phone can request', async () => {
    await register(h, registration(plan.code, { consumerPhone: '13600002222' }));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const response = await h.app.inject({
        method: 'POST',
        url: '/lookup/code',
        remoteAddress: `198.51.100.${i}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ phone: '13600002222' }),
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('counts simultaneous wrong codes one by one: 9 at once spend the code, and the right one is refused', async () => {
    await register(h, registration(plan.code, { consumerPhone: '13700005555' }));
    const before = messagesTo(h, '+8613700005555');
    expect((await postForm('/lookup/code', { phone: '13700005555' })).statusCode).toBe(200);
    const code = await nextCode(h, '+8613700005555', before);
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    const verify = (guess: string, i: number) =>
      h.app.inject({
        method: 'POST',
        url: '/lookup/verify',
        remoteAddress: `198.51.100.${100 + i}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ phone: '13700005555', code: guess }),
      });
    const guesses = await Promise.all(Array.from({ length: 9 }, (_, i) => verify(wrong(i), i)));
    expect(guesses.map((g) => g.statusCode)).toEqual(Array(9).fill(400));
    const right = await verify(code, 9);
    expect(right.statusCode).toBe(400);
    expect(right.cookies.find((c) => c.name === 'yanbao_consumer')).toBeUndefined();
    const [challenge] = await h.db.orm.em
      .fork()
      .find(PhoneChallenge, { phone: '+8613700005555' }, { orderBy: { createdAt: 'desc' }, limit: 1 });
    expect(challenge).toMatchObject({ attempts: 5, consumedAt: null });
  });

  it('answers a code request the same whether or not the number bought anything, limit included', async () => {
    const buyer = '+8613700006666';
    const stranger = '+8613700007777';
    await register(h, registration(plan.code, { consumerPhone: buyer }));
    const ask = (phone: string, i: number) =>
      h.app.inject({
        method: 'POST',
        url: '/lookup/code',
        remoteAddress: `198.51.100.${200 + i}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: form({ phone }),
      });
    const seen = (response: Awaited<ReturnType<typeof ask>>, phone: string) => ({
      status: response.statusCode,
      type: response.headers['content-type'],
      cookies: response.headers['set-cookie'],
      body: response.body.replaceAll(phone, 'PHONE'),
    });
    for (let i = 0; i < 6; i++) {
      const [toBuyer, toStranger] = [await ask(buyer, i), await ask(stranger, i)];
      expect(seen(toStranger, stranger)).toEqual(seen(toBuyer, buyer));
      expect(toBuyer.statusCode).toBe(i < 5 ? 200 : 429);
    }
    // Only the buyer was sent anything.
    await nextCode(h, buyer, 4);
    expect(messagesTo(h, stranger)).toBe(0);
  });

  describe('Alipay notifications', () => {
    let placed: Awaited<ReturnType<typeof register>>;
    let order: Order;
    beforeAll(async () => {
      placed = await register(h, registration(plan.code, { paymentProvider: 'alipay' }));
      order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    });
    const params = (over: Record<string, string> = {}) => ({
      notify_time: beijingTime(),
      notify_type: 'trade_status_sync',
      notify_id: `notify-${Math.random().toString(36).slice(2)}`,
      app_id: APP_ID,
      seller_id: merchant.sellerId,
      charset: 'utf-8',
      version: '1.0',
      trade_no: '2026112522001446880500000042',
      out_trade_no: placed.orderNumber,
      trade_status: 'TRADE_SUCCESS',
      total_amount: (order.amountFen / 100).toFixed(2),
      subject: 'plan',
      ...over,
    });
    const signed = (p: Record<string, string>, key = alipayKeys.privateKey) =>
      new URLSearchParams({ ...p, sign_type: 'RSA2', sign: alipaySign(p, key) }).toString();
    const notify = (body: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/payments/alipay/notify',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: body,
      });

    it('pays through the page-pay URL the Alipay SDK signs', () => {
      const url = new URL(placed.payUrl);
      expect(url.origin).toBe('https://openapi.alipay.com');
      expect(url.searchParams.get('sign')).toBeTruthy();
    });

    it('rejects forged and altered notifications, changing nothing', async () => {
      const forged = await notify(signed(params(), forgerKeys.privateKey));
      expect(forged.statusCode).toBeGreaterThanOrEqual(400);
      const good = params();
      const altered = signed(good).replace(`total_amount=${good.total_amount}`, 'total_amount=0.01');
      expect((await notify(altered)).statusCode).toBeGreaterThanOrEqual(400);
      const stale = await notify(
        signed(params({ notify_time: beijingTime(new Date(Date.now() - 3 * 86_400_000)) })),
      );
      expect(stale.statusCode).toBe(401);
      expect(stale.json().message).toMatch(/stale/);
      const mismatch = await notify(signed(params({ total_amount: '0.01' })));
      expect(mismatch.statusCode).toBe(400);
      expect(await h.db.orm.em.fork().count(PaymentEvent, { orderNumber: placed.orderNumber })).toBe(0);
    });

    it('answers a verified notification with "success" exactly as Alipay expects, once per notify id', async () => {
      const body = signed(params());
      const first = await notify(body);
      expect(first.statusCode).toBe(200);
      expect(first.body).toBe('success');
      expect(first.headers['content-type']).toContain('text/plain');
      expect((await notify(body)).body).toBe('success');
      expect(await h.db.orm.em.fork().count(PaymentEvent, { orderNumber: placed.orderNumber })).toBe(1);
      for (let i = 0; i < 100; i++) {
        if (
          (await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber })).status ===
          'active'
        )
          break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(
        (await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber })).status,
      ).toBe('active');
    });
  });
});
