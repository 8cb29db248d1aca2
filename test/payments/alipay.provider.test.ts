/**
 * The Alipay provider offline: notifications signed the way Alipay signs them
 * (RSA2 over the sorted non-empty parameters) with a test key pair standing in
 * for Alipay's, verified by the SDK; the page-pay URL; and query / close /
 * refund against a local stand-in for the OpenAPI gateway that signs its answers.
 */
import { createSign, createVerify, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlipayProvider, fenToYuan, yuanToFen } from '../../src/payments/alipay.provider.ts';
import { CallbackRejected } from '../../src/payments/provider.ts';
import { alipaySign, pem } from '../helpers/alipay.ts';

const APP_ID = '2021000000000001';
const SELLER_ID = '2088102177000000';
const GATEWAY = 'https://openapi-sandbox.dl.alipaydev.com/gateway.do';
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const alipay = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forger = generateKeyPairSync('rsa', { modulusLength: 2048 });
// The sample notifications below were sent at 16:00:10 Beijing time; judge them five minutes later.
const now = () => new Date('2026-11-25T08:05:10Z');
const provider = (gateway = GATEWAY, clock = now) =>
  new AlipayProvider({
    appId: APP_ID,
    privateKey: pem(merchant.privateKey, 'pkcs8'),
    alipayPublicKey: pem(alipay.publicKey, 'spki'),
    sellerId: SELLER_ID,
    gateway,
    now: clock,
  });

function notification(overrides: Record<string, string> = {}, key: KeyObject = alipay.privateKey) {
  const params: Record<string, string> = {
    gmt_create: '2026-11-25 16:00:01',
    charset: 'utf-8',
    gmt_payment: '2026-11-25 16:00:09',
    notify_time: '2026-11-25 16:00:10',
    subject: '手机延保 2 年 / Phone care+ & more',
    buyer_id: '2088102177846880',
    invoice_amount: '1299.00',
    version: '1.0',
    notify_id: '2026112500222160010012345678901234',
    fund_bill_list: '[{"amount":"1299.00","fundChannel":"ALIPAYACCOUNT"}]',
    notify_type: 'trade_status_sync',
    out_trade_no: 'YBABCDEFGHJKLMNP',
    total_amount: '1299.00',
    trade_status: 'TRADE_SUCCESS',
    trade_no: '2026112522001446880500000001',
    auth_app_id: APP_ID,
    receipt_amount: '1299.00',
    buyer_pay_amount: '1299.00',
    app_id: APP_ID,
    passback_params: '',
    seller_id: SELLER_ID,
    ...overrides,
  };
  const sign = alipaySign(params, key);
  return {
    params: { ...params, sign_type: 'RSA2', sign },
    body: form({ ...params, sign_type: 'RSA2', sign }),
  };
}
const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

async function rejection(body: string): Promise<CallbackRejected> {
  const error = await provider()
    .verifyCallback(body)
    .then(
      () => null,
      (err: unknown) => err,
    );
  expect(error).toBeInstanceOf(CallbackRejected);
  return error as CallbackRejected;
}

describe('Alipay notifications', () => {
  it('accepts a notification signed by Alipay and maps it', async () => {
    expect(await provider().verifyCallback(notification().body)).toEqual({
      provider: 'alipay',
      eventId: '2026112500222160010012345678901234',
      providerPaymentId: 'YBABCDEFGHJKLMNP',
      orderNumber: 'YBABCDEFGHJKLMNP',
      kind: 'captured',
      amountFen: 129900,
      currency: 'CNY',
    });
    expect(provider().acknowledgement).toEqual({ contentType: 'text/plain', body: 'success' });
  });

  it('maps TRADE_FINISHED to captured, TRADE_CLOSED unpaid to closed and a refund notice to refunded', async () => {
    expect(
      (await provider().verifyCallback(notification({ trade_status: 'TRADE_FINISHED' }).body)).kind,
    ).toBe('captured');
    const closed = await provider().verifyCallback(
      notification({ trade_status: 'TRADE_CLOSED', gmt_payment: '', gmt_close: '2026-11-25 16:15:00' }).body,
    );
    expect(closed).toMatchObject({ kind: 'closed', amountFen: 129900 });
    expect(closed.refundedTotalFen).toBeUndefined();
    const refunded = await provider().verifyCallback(
      notification({
        refund_fee: '1299.00',
        gmt_refund: '2026-11-26 10:00:00.123',
        out_biz_no: 'late_payment-1',
      }).body,
    );
    expect(refunded).toMatchObject({
      kind: 'refunded',
      amountFen: 129900,
      refundedTotalFen: 129900,
      refundRequestId: 'late_payment-1',
    });
  });

  it("reads refund_fee as the trade's running total of refunds, not this refund's amount", async () => {
    // Alipay's documented notify: refund_fee is the total refunded so far; total_amount stays the trade's.
    const second = await provider().verifyCallback(
      notification({ refund_fee: '500.00', gmt_refund: '2026-11-26 10:00:00', out_biz_no: 'R2' }).body,
    );
    expect(second).toMatchObject({ kind: 'refunded', amountFen: 129900, refundedTotalFen: 50000 });
    // A payment notice may carry refund_fee=0.00: still a capture.
    expect((await provider().verifyCallback(notification({ refund_fee: '0.00' }).body)).kind).toBe(
      'captured',
    );
    for (const refund_fee of ['1299.01', '12.345']) {
      const err = await rejection(notification({ refund_fee, gmt_refund: '2026-11-26 10:00:00' }).body);
      expect(err.status, refund_fee).toBe(400);
    }
  });

  it('reads a trade closed after it was paid as refunded in full (TRADE_CLOSED after payment)', async () => {
    const closedAfterPayment = await provider().verifyCallback(
      notification({ trade_status: 'TRADE_CLOSED', gmt_close: '2026-11-27 09:00:00' }).body,
    );
    expect(closedAfterPayment).toMatchObject({ kind: 'refunded', refundedTotalFen: 129900 });
  });

  it('verifies WAIT_BUYER_PAY and reads it as still pending, so the route can answer "success"', async () => {
    const waiting = await provider().verifyCallback(
      notification({ trade_status: 'WAIT_BUYER_PAY', gmt_payment: '' }).body,
    );
    expect(waiting).toMatchObject({ kind: 'pending', amountFen: 129900 });
    expect(
      (await rejection(notification({ trade_status: 'WAIT_BUYER_PAY' }, forger.privateKey).body)).status,
    ).toBe(401);
  });

  it("refuses another seller's notification, even signed by Alipay for the same app", async () => {
    expect((await rejection(notification({ seller_id: '2088000000000001' }).body)).message).toMatch(
      /seller_id/,
    );
    expect((await rejection(notification({ seller_id: '' }).body)).status).toBe(400);
  });

  it('accepts keys in the forms Alipay hands out: bare base64, PKCS#1, literal \\n', async () => {
    const bare = (text: string) => text.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
    const variants = [
      {
        privateKey: bare(pem(merchant.privateKey, 'pkcs1')),
        alipayPublicKey: bare(pem(alipay.publicKey, 'spki')),
      },
      { privateKey: pem(merchant.privateKey, 'pkcs1'), alipayPublicKey: pem(alipay.publicKey, 'pkcs1') },
      {
        privateKey: pem(merchant.privateKey, 'pkcs8').replaceAll('\n', '\\n'),
        alipayPublicKey: pem(alipay.publicKey, 'spki').replaceAll('\n', '\\n'),
      },
    ];
    for (const keys of variants) {
      const p = new AlipayProvider({ appId: APP_ID, sellerId: SELLER_ID, gateway: GATEWAY, now, ...keys });
      expect((await p.verifyCallback(notification().body)).kind).toBe('captured');
    }
  });

  it('rejects a notification signed with another key (forged) with 401', async () => {
    expect((await rejection(notification({}, forger.privateKey).body)).status).toBe(401);
  });

  it('rejects an altered amount, trade status or order number with 401', async () => {
    const { params } = notification();
    const changes: Record<string, string>[] = [
      { total_amount: '1.00' },
      { trade_status: 'TRADE_CLOSED' },
      { out_trade_no: 'YBZZZZZZZZZZZZZZ' },
      { notify_id: 'replayed' },
    ];
    for (const change of changes) {
      expect((await rejection(form({ ...params, ...change }))).status, JSON.stringify(change)).toBe(401);
    }
  });

  it('rejects a correctly signed but stale or future-dated notification (a replay) with 401', async () => {
    const later = () => new Date('2026-11-28T08:05:10Z');
    await expect(provider(GATEWAY, later).verifyCallback(notification().body)).rejects.toMatchObject({
      status: 401,
    });
    const earlier = () => new Date('2026-11-25T07:00:00Z');
    await expect(provider(GATEWAY, earlier).verifyCallback(notification().body)).rejects.toThrow(/stale/);
    await expect(
      provider().verifyCallback(notification({ notify_time: 'yesterday' }).body),
    ).rejects.toBeInstanceOf(CallbackRejected);
  });

  it('rejects a notification without a signature, or with a weaker sign type, with 400', async () => {
    const { params } = notification();
    const { sign: _sign, ...unsigned } = params;
    expect((await rejection(form(unsigned))).status).toBe(400);
    expect((await rejection(form({ ...params, sign: '' }))).status).toBe(400);
    expect((await rejection(form({ ...params, sign_type: 'RSA' }))).status).toBe(400);
    expect((await rejection('')).status).toBe(400);
  });

  it('rejects a repeated parameter, which could mean two different things', async () => {
    const { body } = notification();
    expect((await rejection(`${body}&total_amount=0.01`)).status).toBe(400);
  });

  it('rejects correctly signed notifications it cannot act on with 400', async () => {
    const cases: Record<string, string>[] = [
      { trade_status: 'WAIT_BUYER_PAY_LATER' },
      { trade_status: '' },
      { total_amount: '1299.001' },
      { total_amount: '1,299.00' },
      { total_amount: '-1.00' },
      { app_id: '2021000000009999' },
      { notify_id: '' },
    ];
    for (const overrides of cases) {
      expect((await rejection(notification(overrides).body)).status, JSON.stringify(overrides)).toBe(400);
    }
  });
});

describe('Alipay page pay', () => {
  it('builds a signed alipay.trade.page.pay URL on the configured gateway', async () => {
    const created = await provider().createPayment({
      orderNumber: 'YBABCDEFGHJKLMNP',
      amountFen: 12345,
      currency: 'CNY',
      subject: '手机延保 2 年',
      notifyUrl: 'https://yanbao.test/api/v1/payments/alipay/notify',
      returnUrl: 'https://yanbao.test/o/YBABCDEFGHJKLMNP',
    });
    expect(created.providerPaymentId).toBe('YBABCDEFGHJKLMNP');
    const url = new URL(created.payUrl);
    expect(`${url.origin}${url.pathname}`).toBe(GATEWAY);
    const q = url.searchParams;
    expect(q.get('method')).toBe('alipay.trade.page.pay');
    expect(q.get('app_id')).toBe(APP_ID);
    expect(q.get('sign_type')).toBe('RSA2');
    expect(q.get('notify_url')).toBe('https://yanbao.test/api/v1/payments/alipay/notify');
    expect(q.get('return_url')).toBe('https://yanbao.test/o/YBABCDEFGHJKLMNP');
    expect(JSON.parse(q.get('biz_content') ?? '{}')).toEqual({
      out_trade_no: 'YBABCDEFGHJKLMNP',
      total_amount: '123.45',
      subject: '手机延保 2 年',
      product_code: 'FAST_INSTANT_TRADE_PAY',
    });
    // Alipay checks the request signature with our public key: every parameter but sign, sorted.
    const sign = q.get('sign') ?? '';
    expect(sign).not.toBe('');
    const content = [...q.keys()]
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${q.get(k)}`)
      .join('&');
    expect(
      createVerify('RSA-SHA256').update(content, 'utf8').verify(merchant.publicKey, sign, 'base64'),
    ).toBe(true);
  });

  it('refuses currencies Alipay page pay does not take', async () => {
    await expect(
      provider().createPayment({
        orderNumber: 'YB1',
        amountFen: 100,
        currency: 'USD',
        subject: 'x',
        notifyUrl: 'https://yanbao.test/n',
        returnUrl: 'https://yanbao.test/r',
      }),
    ).rejects.toThrow(/CNY/);
  });
});

describe('yuan ↔ fen', () => {
  it('converts exactly with integer arithmetic', () => {
    expect(fenToYuan(0)).toBe('0.00');
    expect(fenToYuan(5)).toBe('0.05');
    expect(fenToYuan(12345)).toBe('123.45');
    expect(fenToYuan(100)).toBe('1.00');
    expect(yuanToFen('123.45')).toBe(12345);
    expect(yuanToFen('0.1')).toBe(10);
    expect(yuanToFen('7')).toBe(700);
    for (const bad of ['1.234', '01.00', '1.', '.5', '-1.00', '1e3', ' 1.00', '0x10', ''])
      expect(yuanToFen(bad)).toBeNull();
    expect(() => fenToYuan(1.5)).toThrow(RangeError);
    expect(() => fenToYuan(-1)).toThrow(RangeError);
  });

  it('round-trips every amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999_99 }), (fen) => {
        expect(yuanToFen(fenToYuan(fen))).toBe(fen);
      }),
    );
  });
});

describe('Alipay OpenAPI calls (against a local stand-in gateway)', () => {
  let server: Server;
  let gatewayUrl: string;
  const calls: { method: string; biz: Record<string, string> }[] = [];
  /** What the stand-in answers per method; `forge` signs with the wrong key. */
  const answers = new Map<string, { body: Record<string, unknown>; forge?: boolean }>();

  beforeAll(async () => {
    server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => {
        raw += chunk;
      });
      request.on('end', () => {
        const query = new URL(request.url ?? '/', 'http://localhost').searchParams;
        const form = new URLSearchParams(raw);
        const method = query.get('method') ?? '';
        calls.push({ method, biz: JSON.parse(form.get('biz_content') ?? '{}') });
        const answer = answers.get(method) ?? { body: { code: '40004', msg: 'Business Failed' } };
        const inner = JSON.stringify(answer.body);
        const sign = createSign('RSA-SHA256')
          .update(inner, 'utf8')
          .sign(answer.forge ? forger.privateKey : alipay.privateKey, 'base64');
        response.setHeader('content-type', 'application/json;charset=utf-8');
        response.end(`{"${method.replaceAll('.', '_')}_response":${inner},"sign":"${sign}"}`);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    gatewayUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const ok = (extra: Record<string, unknown>) => ({ body: { code: '10000', msg: 'Success', ...extra } });
  const failed = (subCode: string) => ({
    body: { code: '40004', msg: 'Business Failed', sub_code: subCode, sub_msg: subCode },
  });

  it('queries the trade status', async () => {
    const p = provider(gatewayUrl);
    for (const [tradeStatus, expected] of [
      ['WAIT_BUYER_PAY', 'pending'],
      ['TRADE_SUCCESS', 'captured'],
      ['TRADE_FINISHED', 'captured'],
      ['TRADE_CLOSED', 'closed'],
    ]) {
      answers.set(
        'alipay.trade.query',
        ok({ out_trade_no: 'YB1', trade_status: tradeStatus, total_amount: '1.00' }),
      );
      expect(await p.queryPayment('YB1')).toBe(expected);
    }
    expect(calls.at(-1)).toEqual({ method: 'alipay.trade.query', biz: { out_trade_no: 'YB1' } });
    // The consumer never opened the cashier: no trade yet.
    answers.set('alipay.trade.query', failed('ACQ.TRADE_NOT_EXIST'));
    expect(await p.queryPayment('YB1')).toBe('pending');
  });

  it("reads Alipay's own record of a trade (alipay.trade.query): status and amount", async () => {
    const p = provider(gatewayUrl);
    answers.set(
      'alipay.trade.query',
      ok({ out_trade_no: 'YB5', trade_status: 'WAIT_BUYER_PAY', total_amount: '88.80' }),
    );
    expect(await p.paymentRecord('YB5')).toEqual({ status: 'pending', amountFen: 8880, currency: 'CNY' });
    answers.set(
      'alipay.trade.query',
      ok({ out_trade_no: 'YB5', trade_status: 'TRADE_SUCCESS', total_amount: '88.80' }),
    );
    expect(await p.paymentRecord('YB5')).toEqual({ status: 'captured', amountFen: 8880, currency: 'CNY' });
    answers.set('alipay.trade.query', failed('ACQ.TRADE_NOT_EXIST'));
    expect(await p.paymentRecord('YB5')).toBeNull();
    answers.set(
      'alipay.trade.query',
      ok({ out_trade_no: 'YB5', trade_status: 'TRADE_SUCCESS', total_amount: '88.8x' }),
    );
    await expect(p.paymentRecord('YB5')).rejects.toThrow(/total_amount/);
  });

  it('closes an unpaid trade, and reports one that was paid first', async () => {
    const p = provider(gatewayUrl);
    answers.set('alipay.trade.close', ok({ out_trade_no: 'YB2' }));
    expect(await p.closePayment('YB2')).toEqual({ closed: true, alreadyCaptured: false });
    answers.set('alipay.trade.close', failed('ACQ.TRADE_NOT_EXIST'));
    expect(await p.closePayment('YB2')).toEqual({ closed: true, alreadyCaptured: false });
    answers.set('alipay.trade.close', failed('ACQ.TRADE_STATUS_ERROR'));
    answers.set(
      'alipay.trade.query',
      ok({ out_trade_no: 'YB2', trade_status: 'TRADE_SUCCESS', total_amount: '1.00' }),
    );
    expect(await p.closePayment('YB2')).toEqual({ closed: false, alreadyCaptured: true });
  });

  it('refunds with out_request_no = refundId, so a retry is the same refund', async () => {
    const p = provider(gatewayUrl);
    answers.set('alipay.trade.refund', ok({ out_trade_no: 'YB3', fund_change: 'Y', refund_fee: '12.34' }));
    expect(
      await p.refund({ providerPaymentId: 'YB3', amountFen: 1234, refundId: 'late_payment-abc' }),
    ).toEqual({
      providerRefundId: 'late_payment-abc',
    });
    expect(calls.at(-1)).toEqual({
      method: 'alipay.trade.refund',
      biz: { out_trade_no: 'YB3', refund_amount: '12.34', out_request_no: 'late_payment-abc' },
    });
    answers.set('alipay.trade.refund', failed('ACQ.TRADE_NOT_ALLOW_REFUND'));
    await expect(p.refund({ providerPaymentId: 'YB3', amountFen: 1234, refundId: 'x' })).rejects.toThrow(
      /ACQ.TRADE_NOT_ALLOW_REFUND/,
    );
  });

  it('does not trust an answer that Alipay did not sign', async () => {
    answers.set('alipay.trade.query', { ...ok({ trade_status: 'TRADE_SUCCESS' }), forge: true });
    await expect(provider(gatewayUrl).queryPayment('YB4')).rejects.toThrow(/验签失败/);
  });
});
