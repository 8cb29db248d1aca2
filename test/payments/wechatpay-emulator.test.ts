/**
 * The WeChat Pay emulator on its own HTTP server, driven by the production
 * WechatpayProvider: it refuses a request not signed by the merchant, the
 * provider refuses an answer not signed with the key it trusts, and a
 * notification the merchant keeps refusing is tried 15 times on WeChat's
 * schedule (compressed here), then no more.
 */
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WECHATPAY_NOTIFICATION_TRIES,
  WECHATPAY_RETRY_DELAYS_MS,
  WechatpayEmulator,
  wechatpayEmulatorRoutes,
} from '../../src/payments/wechatpay.emulator.ts';
import { WechatpayProvider, WechatpayProviderError } from '../../src/payments/wechatpay.provider.ts';

const identity = {
  mchid: '1900000109',
  appid: 'wxd678efh567hg6787',
  merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000001',
  apiV3Key: 'an-apiv3-key-of-exactly-32-bytes',
};
const merchant = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: import('node:crypto').KeyObject) =>
  key.export(
    key.type === 'public' ? { type: 'spki', format: 'pem' } : { type: 'pkcs8', format: 'pem' },
  ) as string;

describe('WeChat Pay emulator', () => {
  let app: FastifyInstance;
  let base: string;
  const sent: { at: number; body: string }[] = [];
  let merchantUp = false;
  const emulator = new WechatpayEmulator({
    ...identity,
    merchantPublicKey: merchant.publicKey,
    // 24 hours in about 90 ms.
    retryScale: 1e-6,
    send: async ({ body }) => {
      sent.push({ at: performance.now(), body });
      return merchantUp
        ? { status: 200, body: '' }
        : { status: 500, body: '{"code":"FAIL","message":"down"}' };
    },
  });
  const provider = (over: Partial<ConstructorParameters<typeof WechatpayProvider>[0]> = {}) =>
    new WechatpayProvider({
      ...identity,
      privateKey: pem(merchant.privateKey),
      platformKeys: { [emulator.publicKeyId]: emulator.publicKeyPem },
      baseUrl: `${base}/wechatpay-emulator/`,
      refundNotifyUrl: 'http://127.0.0.1:9/notify',
      ...over,
    });

  beforeAll(async () => {
    app = Fastify();
    await app.register(wechatpayEmulatorRoutes, { emulator, prefix: '/wechatpay-emulator' });
    await app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(() => app?.close());

  const input = (orderNumber: string) => ({
    orderNumber,
    amountFen: 29_900,
    currency: 'CNY',
    subject: '手机延保 / Phone cover',
    notifyUrl: 'http://127.0.0.1:9/notify',
    returnUrl: 'http://127.0.0.1:9/o',
  });

  it('serves a signed Native prepay and query to the merchant, and closes', async () => {
    const created = await provider().createPayment(input('YBNATIVE00000001'));
    expect(created).toEqual({
      providerPaymentId: 'YBNATIVE00000001',
      payUrl: expect.stringMatching(/^weixin:\/\/wxpay\/bizpayurl\?pr=wx/),
    });
    expect(await provider().paymentRecord('YBNATIVE00000001')).toEqual({
      status: 'pending',
      amountFen: 29_900,
      currency: 'CNY',
    });
    expect(await provider().closePayment('YBNATIVE00000001')).toEqual({
      closed: true,
      alreadyCaptured: false,
    });
    expect(await provider().paymentRecord('YBNATIVE00000002')).toBeNull();
  });

  it('refuses a request signed with another key (401 SIGN_ERROR)', async () => {
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const err = await provider({ privateKey: pem(stranger.privateKey) })
      .createPayment(input('YBNATIVE00000003'))
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WechatpayProviderError);
    expect(err).toMatchObject({ status: 401, code: 'SIGN_ERROR' });
    expect(emulator.transaction('YBNATIVE00000003')).toBeUndefined();
  });

  it('is refused by a provider that trusts another WeChat Pay key, or another serial', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await expect(
      provider({ platformKeys: { [emulator.publicKeyId]: pem(other.publicKey) } }).createPayment(
        input('YBNATIVE00000004'),
      ),
    ).rejects.toMatchObject({ code: 'EV3_RES_HEADER_SIGNATURE_DIGEST' });
    await expect(
      provider({
        platformKeys: { PUB_KEY_ID_0100000000000000000000000000: emulator.publicKeyPem },
      }).paymentRecord('YBNATIVE00000004'),
    ).rejects.toMatchObject({ code: 'EV3_RES_HEADER_PLATFORM_SERIAL' });
  });

  it('tries a refused notification 15 times on WeChat’s schedule, then gives up', async () => {
    await provider().createPayment(input('YBNATIVE00000005'));
    emulator.pay('YBNATIVE00000005');
    const deadline = Date.now() + 10_000;
    while (sent.length < WECHATPAY_NOTIFICATION_TRIES && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sent).toHaveLength(WECHATPAY_NOTIFICATION_TRIES);
    // The same notification every time, re-signed per try.
    expect(new Set(sent.map((s) => s.body)).size).toBe(1);
    const attempts = emulator.attempts.filter((a) => a.outTradeNo === 'YBNATIVE00000005');
    expect(attempts.map((a) => a.attempt)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    // Uncompressed, the tries span about 24 hours.
    const span = WECHATPAY_RETRY_DELAYS_MS.slice(1).reduce((sum, ms) => sum + ms, 0);
    expect(span / 3_600_000).toBeGreaterThan(23);
    expect(span / 3_600_000).toBeLessThan(25);
  });

  it('duplicates, delays and reorders notifications when told to', async () => {
    merchantUp = true;
    sent.length = 0;
    await provider().createPayment(input('YBNATIVE00000006'));
    emulator.setBehaviour('YBNATIVE00000006', { copies: 2, reorder: true, delayMs: 50 });
    const paidAt = performance.now();
    emulator.pay('YBNATIVE00000006');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Held back for the next notification: nothing sent yet.
    expect(sent).toHaveLength(0);
    await provider().refund({
      providerPaymentId: 'YBNATIVE00000006',
      amountFen: 100,
      refundId: 'cancellation-test-0006',
    });
    const deadline = Date.now() + 5_000;
    while (sent.length < 4 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const events = sent.map((s) => (JSON.parse(s.body) as { event_type: string }).event_type);
    // The refund overtakes the payment it refunds; each is sent twice; none before the delay.
    expect(events).toEqual([
      'REFUND.SUCCESS',
      'REFUND.SUCCESS',
      'TRANSACTION.SUCCESS',
      'TRANSACTION.SUCCESS',
    ]);
    expect(Math.min(...sent.map((s) => s.at)) - paidAt).toBeGreaterThanOrEqual(45);
  });
});
