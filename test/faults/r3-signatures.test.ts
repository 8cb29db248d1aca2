/**
 * R3 — forged, altered and stale payment notifications, for every provider.
 * One table: provider × {forged, altered body, altered amount, stale
 * timestamp, wrong key, missing signature, a valid notification replayed for
 * another order, the same notification replayed verbatim}, for Alipay a
 * genuine notification for another seller, and for WeChat Pay (through its
 * emulator's key and APIv3 key) a wrong serial, another mchid and an
 * undecryptable resource. Each is posted to
 * the real notify route of a running app (real PostgreSQL, real Temporal) and
 * must be refused with a 4xx — or, for the verbatim replay, get the provider's
 * protocol answer — while no row changes anywhere (payment, payment_event,
 * purchase_order and refund included), compared table by table.
 */
import { createSign, generateKeyPairSync, type KeyObject, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Order } from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { wechatpayEmulatorOf } from '../../src/payments/index.ts';
import { signSandboxPayload } from '../../src/payments/sandbox-signature.ts';
import type { WechatpayEmulator } from '../../src/payments/wechatpay.emulator.ts';
import { alipaySign, alipayTestMerchant, beijingTime } from '../helpers/alipay.ts';
import { changedTables, snapshotTables } from '../helpers/database.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import {
  publishedPlan,
  register,
  registration,
  sandboxCaptureEvent,
  sandboxPaymentId,
} from '../helpers/purchase-fixtures.ts';

const merchant = alipayTestMerchant('2021000000000077');
const { alipayKeys, merchantKeys } = merchant;
const forgerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const APP_ID = merchant.appId;
/** The tables a payment notification could change. */
const MONEY_TABLES = ['payment', 'payment_event', 'purchase_order', 'refund'];

interface Notify {
  body: string;
  headers: Record<string, string>;
}
type PROVIDER = 'sandbox' | 'alipay' | 'wechatpay';
interface Placed {
  orderNumber: string;
  payUrl: string;
  amountFen: number;
}

describe('R3: forged, altered and stale notifications change nothing, for every provider', () => {
  let h: Harness;
  /** Per provider: an order already paid (its notification is replayed) and one still waiting. */
  const orders = {} as Record<PROVIDER, { paid: Placed; pending: Placed; paidNotify: Notify }>;
  let emulator: WechatpayEmulator;
  const nowSeconds = () => Math.floor(Date.now() / 1000);

  const post = (provider: string, { body, headers }: Notify) =>
    h.app.inject({ method: 'POST', url: `/api/v1/payments/${provider}/notify`, headers, payload: body });

  // ——— sandbox: HMAC-SHA256 over `${t}.${body}` in x-sandbox-signature ———
  const sandboxEvent = (order: Placed, over: Record<string, unknown> = {}) =>
    sandboxCaptureEvent(order, order.amountFen, {
      id: `captured-${sandboxPaymentId(order.payUrl)}`,
      ...over,
    });
  const sandboxNotify = (body: string, signature?: string): Notify => ({
    body,
    headers: {
      'content-type': 'application/json',
      ...(signature === undefined ? {} : { 'x-sandbox-signature': signature }),
    },
  });
  const sandboxSigned = (body: string, secret = h.config.sandbox.signingSecret, t = nowSeconds()) =>
    sandboxNotify(body, signSandboxPayload(secret, body, t));

  // ——— Alipay: RSA2 over the sorted parameters, form-encoded ———
  const alipayParams = (order: Placed, over: Record<string, string> = {}) => ({
    notify_time: beijingTime(),
    notify_type: 'trade_status_sync',
    notify_id: `notify-${randomUUID()}`,
    app_id: APP_ID,
    seller_id: merchant.sellerId,
    charset: 'utf-8',
    version: '1.0',
    trade_no: `2026112522001446880${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`,
    out_trade_no: order.orderNumber,
    trade_status: 'TRADE_SUCCESS',
    total_amount: (order.amountFen / 100).toFixed(2),
    subject: 'plan',
    ...over,
  });
  const alipayForm = (params: Record<string, string>) => ({
    body: new URLSearchParams(params).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const alipaySigned = (params: Record<string, string>, key: KeyObject = alipayKeys.privateKey) =>
    alipayForm({ ...params, sign_type: 'RSA2', sign: alipaySign(params, key) });

  // ——— WeChat Pay: RSA over `timestamp\nnonce\nbody\n`, resource AES-256-GCM under the APIv3 key ———
  const MCHID = '1900000109';
  const wechatResource = (order: Placed, over: Record<string, unknown> = {}) => ({
    mchid: MCHID,
    appid: 'wxd678efh567hg6787',
    out_trade_no: order.orderNumber,
    transaction_id: `4200${Date.now()}`,
    trade_type: 'NATIVE',
    trade_state: 'SUCCESS',
    amount: { total: order.amountFen, payer_total: order.amountFen, currency: 'CNY', payer_currency: 'CNY' },
    ...over,
  });
  const wechatBody = (resource: object, apiV3Key?: string) =>
    emulator.envelope('TRANSACTION.SUCCESS', 'TRANSACTION', '支付成功', resource, apiV3Key).body;
  const wechatNotify = (body: string, headers: Record<string, string>): Notify => ({
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const wechatSigned = (body: string, timestamp?: string) =>
    wechatNotify(body, emulator.signedHeaders(body, timestamp));
  /** Signed with `key` under the emulator's serial. */
  const wechatSignedWith = (body: string, key: KeyObject) => {
    const headers = emulator.signedHeaders(body);
    const message = `${headers['Wechatpay-Timestamp']}\n${headers['Wechatpay-Nonce']}\n${body}\n`;
    return wechatNotify(body, {
      ...headers,
      'Wechatpay-Signature': createSign('RSA-SHA256').update(message).sign(key, 'base64'),
    });
  };

  beforeAll(async () => {
    h = await startHarness(
      {
        purchase: { paymentTimeout: '10 minutes', latePaymentWindow: '1 minute' },
        alipay: merchant.config,
        wechatpay: { ...loadConfig().wechatpay, emulator: true },
      },
      // WeChat Pay's prepay goes over HTTP to the emulator the app serves.
      { listen: true },
    );
    emulator = wechatpayEmulatorOf(h.payments) as WechatpayEmulator;
    const plan = await publishedPlan(h);
    const place = async (paymentProvider: PROVIDER): Promise<Placed> => {
      const placed = await register(h, registration(plan.code, { paymentProvider }));
      const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
      return { ...placed, amountFen: order.amountFen };
    };
    for (const provider of ['sandbox', 'alipay', 'wechatpay'] as const) {
      const paid = await place(provider);
      const pending = await place(provider);
      const paidNotify =
        provider === 'sandbox'
          ? sandboxSigned(sandboxEvent(paid))
          : provider === 'alipay'
            ? alipaySigned(alipayParams(paid))
            : wechatSigned(wechatBody(wechatResource(paid)));
      const accepted = await post(provider, paidNotify);
      expect(accepted.statusCode, accepted.body).toBe(200);
      const outcome = await h.client.workflow.getHandle(purchaseWorkflowId(paid.orderNumber)).result();
      expect(outcome.stage).toBe('completed');
      orders[provider] = { paid, pending, paidNotify };
    }
  });
  afterAll(() => h?.close());

  type Attack = (o: (typeof orders)['sandbox']) => Notify;
  const attacks: Record<PROVIDER, Record<string, Attack>> = {
    sandbox: {
      forged: ({ pending }) =>
        sandboxNotify(sandboxEvent(pending), `t=${nowSeconds()},v1=${'ab'.repeat(32)}`),
      'altered body': ({ pending }) => {
        const signed = sandboxSigned(sandboxEvent(pending));
        return { ...signed, body: signed.body.replace('"currency":"CNY"', '"currency":"CNY","note":"x"') };
      },
      'altered amount': ({ pending }) => {
        const body = sandboxEvent(pending, { amount_fen: 1 });
        const genuine = sandboxSigned(sandboxEvent(pending));
        // the genuine signature, over the genuine amount, on a body that claims 1 fen
        return sandboxNotify(body, genuine.headers['x-sandbox-signature']);
      },
      'stale timestamp': ({ pending }) =>
        sandboxSigned(sandboxEvent(pending), h.config.sandbox.signingSecret, nowSeconds() - 3_600),
      'wrong key': ({ pending }) =>
        sandboxSigned(sandboxEvent(pending), 'another-merchants-signing-secret-0123456789'),
      'missing signature': ({ pending }) => sandboxNotify(sandboxEvent(pending)),
      'valid notification replayed for another order': ({ paid, pending, paidNotify }) => ({
        ...paidNotify,
        body: paidNotify.body.replace(paid.orderNumber, pending.orderNumber),
      }),
      'valid notification replayed verbatim': ({ paidNotify }) => paidNotify,
    },
    alipay: {
      forged: ({ pending }) => alipaySigned(alipayParams(pending), forgerKeys.privateKey),
      'altered body': ({ pending }) => {
        const params = alipayParams(pending);
        const signed = alipaySigned(params);
        return {
          ...signed,
          body: signed.body.replace(`trade_no=${params.trade_no}`, 'trade_no=2026000000000000000000000001'),
        };
      },
      'altered amount': ({ pending }) => {
        const params = alipayParams(pending);
        const signed = alipaySigned(params);
        return {
          ...signed,
          body: signed.body.replace(`total_amount=${params.total_amount}`, 'total_amount=0.01'),
        };
      },
      'stale timestamp': ({ pending }) =>
        alipaySigned(
          alipayParams(pending, { notify_time: beijingTime(new Date(Date.now() - 3 * 86_400_000)) }),
        ),
      // Our own application key, not Alipay's: a merchant cannot sign Alipay's notifications.
      'wrong key': ({ pending }) => alipaySigned(alipayParams(pending), merchantKeys.privateKey),
      'missing signature': ({ pending }) => alipayForm(alipayParams(pending)),
      // Signed by Alipay, but for another merchant's trade.
      "another seller's notification": ({ pending }) =>
        alipaySigned(alipayParams(pending, { seller_id: '2088000000000001' })),
      'valid notification replayed for another order': ({ paid, pending, paidNotify }) => ({
        ...paidNotify,
        body: paidNotify.body.replace(
          `out_trade_no=${paid.orderNumber}`,
          `out_trade_no=${pending.orderNumber}`,
        ),
      }),
      'valid notification replayed verbatim': ({ paidNotify }) => paidNotify,
    },
    wechatpay: {
      forged: ({ pending }) => wechatSignedWith(wechatBody(wechatResource(pending)), forgerKeys.privateKey),
      'altered body': ({ pending }) => {
        const signed = wechatSigned(wechatBody(wechatResource(pending)));
        return { ...signed, body: signed.body.replace('支付成功', '支付失败') };
      },
      // Genuinely signed and encrypted, but for 1 fen: the order's amount decides.
      'altered amount': ({ pending }) =>
        wechatSigned(wechatBody(wechatResource(pending, { amount: { total: 1, currency: 'CNY' } }))),
      'stale timestamp': ({ pending }) =>
        wechatSigned(wechatBody(wechatResource(pending)), String(Math.floor(Date.now() / 1000) - 360)),
      // Our own merchant key is not WeChat Pay's.
      'wrong key': ({ pending }) =>
        wechatSignedWith(
          wechatBody(wechatResource(pending)),
          generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
        ),
      'wrong serial': ({ pending }) => {
        const signed = wechatSigned(wechatBody(wechatResource(pending)));
        return {
          ...signed,
          headers: { ...signed.headers, 'Wechatpay-Serial': 'PUB_KEY_ID_0100000000000000000000000000' },
        };
      },
      "another mchid's notification": ({ pending }) =>
        wechatSigned(wechatBody(wechatResource(pending, { mchid: '1900000999' }))),
      undecryptable: ({ pending }) =>
        wechatSigned(wechatBody(wechatResource(pending), randomBytes(16).toString('hex'))),
      'missing signature': ({ pending }) => {
        const { 'Wechatpay-Signature': _dropped, ...headers } = wechatSigned(
          wechatBody(wechatResource(pending)),
        ).headers;
        return wechatNotify(wechatBody(wechatResource(pending)), headers);
      },
      // The paid order's genuine signature on a body made for the pending one.
      'valid notification replayed for another order': ({ pending, paidNotify }) => ({
        ...paidNotify,
        body: wechatBody(wechatResource(pending)),
      }),
      'valid notification replayed verbatim': ({ paidNotify }) => paidNotify,
    },
  };
  const ACKNOWLEDGEMENT = {
    sandbox: '{"received":true}',
    alipay: 'success',
    wechatpay: '{"code":"SUCCESS","message":"OK"}',
  };

  const table = (['sandbox', 'alipay', 'wechatpay'] as const).flatMap((provider) =>
    Object.keys(attacks[provider]).map((attack) => ({ provider, attack })),
  );

  it.each(table)('$provider: $attack → refused, nothing changed', async ({ provider, attack }) => {
    const make = attacks[provider][attack] as Attack;
    const before = await snapshotTables(h.db.orm);
    const response = await post(provider, make(orders[provider]));
    if (attack.endsWith('verbatim')) {
      // A duplicate is acknowledged the way the provider expects, so it stops retrying.
      expect(response.statusCode, response.body).toBe(200);
      expect(response.body).toBe(ACKNOWLEDGEMENT[provider]);
    } else {
      expect(response.statusCode, response.body).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, response.body).toBeLessThan(500);
      expect(response.json().error).toBe('callback_rejected');
      if (provider === 'wechatpay') expect(response.json().code).toBe('FAIL');
    }
    const changed = changedTables(before, await snapshotTables(h.db.orm));
    expect(changed).toEqual({});
    expect(MONEY_TABLES.every((t) => t in before)).toBe(true);
    const pending = await h.db.orm.em
      .fork()
      .findOneOrFail(Order, { orderNumber: orders[provider].pending.orderNumber });
    expect(pending.status).toBe('pending_payment');
  });
});
