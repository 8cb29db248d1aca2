/**
 * WeChat Pay notification verification, against notifications built here with
 * node:crypto alone from WeChat Pay's documented format (not with the project's
 * code or the SDK): the signed message is `timestamp\nnonce\nbody\n`,
 * SHA256withRSA, base64 in Wechatpay-Signature; the resource is
 * AEAD_AES_256_GCM under the APIv3 key, ciphertext ‖ 16-byte tag in base64.
 * Both verification modes are covered: the WeChat Pay public key (PUB_KEY_ID_…)
 * and a platform certificate (made with the openssl CLI).
 */
import { execFileSync } from 'node:child_process';
import {
  createCipheriv,
  createSign,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  X509Certificate,
} from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CallbackRejected } from '../../src/payments/provider.ts';
import { WechatpayProvider } from '../../src/payments/wechatpay.provider.ts';

const MCHID = '1900000109';
const APPID = 'wxd678efh567hg6787';
const API_V3_KEY = 'an-apiv3-key-of-exactly-32-bytes';
const PUB_KEY_ID = 'PUB_KEY_ID_0114232134912410000000000000';
const wechatKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: KeyObject) =>
  key.export(
    key.type === 'public' ? { type: 'spki', format: 'pem' } : { type: 'pkcs8', format: 'pem' },
  ) as string;

function provider(platformKeys: Record<string, string> = { [PUB_KEY_ID]: pem(wechatKeys.publicKey) }) {
  return new WechatpayProvider({
    mchid: MCHID,
    appid: APPID,
    merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000001',
    privateKey: pem(merchantKeys.privateKey),
    apiV3Key: API_V3_KEY,
    platformKeys,
    baseUrl: 'https://api.mch.weixin.qq.com/',
    refundNotifyUrl: 'https://yanbao.test/api/v1/payments/wechatpay/notify',
  });
}

/** AEAD_AES_256_GCM as WeChat Pay documents it. */
function encrypt(plaintext: string, key: string, nonce: string, aad: string): string {
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(key), Buffer.from(nonce)).setAAD(Buffer.from(aad));
  return Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]).toString(
    'base64',
  );
}

const transaction = (over: Record<string, unknown> = {}) => ({
  mchid: MCHID,
  appid: APPID,
  out_trade_no: 'YBABCDEFGHJKLMNP',
  transaction_id: '4200000000202612030000000001',
  trade_type: 'NATIVE',
  trade_state: 'SUCCESS',
  success_time: '2026-12-03T18:00:00+08:00',
  payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
  amount: { total: 29_900, payer_total: 29_900, currency: 'CNY', payer_currency: 'CNY' },
  ...over,
});

function notification(
  resource: object,
  options: { eventType?: string; key?: string; signWith?: KeyObject; serial?: string; at?: number } = {},
) {
  const nonce = randomBytes(6).toString('hex');
  const body = JSON.stringify({
    id: 'EV-2018022511223320873',
    create_time: '2026-12-03T18:00:00+08:00',
    resource_type: 'encrypt-resource',
    event_type: options.eventType ?? 'TRANSACTION.SUCCESS',
    summary: '支付成功',
    resource: {
      original_type: 'transaction',
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encrypt(JSON.stringify(resource), options.key ?? API_V3_KEY, nonce, 'transaction'),
      associated_data: 'transaction',
      nonce,
    },
  });
  const timestamp = String(options.at ?? Math.floor(Date.now() / 1000));
  const headerNonce = randomBytes(16).toString('hex');
  const signature = createSign('RSA-SHA256')
    .update(`${timestamp}\n${headerNonce}\n${body}\n`)
    .sign(options.signWith ?? wechatKeys.privateKey, 'base64');
  return {
    body,
    headers: {
      'wechatpay-timestamp': timestamp,
      'wechatpay-nonce': headerNonce,
      'wechatpay-signature': signature,
      'wechatpay-serial': options.serial ?? PUB_KEY_ID,
      'wechatpay-signature-type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}

const refusal = async (promise: Promise<unknown>) => {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CallbackRejected);
  return (err as CallbackRejected).status;
};

describe('WeChat Pay notifications', () => {
  it('verifies an independently made vector, and not the same with one byte changed', async () => {
    const { body, headers } = notification(transaction());
    expect(await provider().verifyCallback(body, headers)).toEqual({
      provider: 'wechatpay',
      eventId: 'EV-2018022511223320873',
      providerPaymentId: 'YBABCDEFGHJKLMNP',
      orderNumber: 'YBABCDEFGHJKLMNP',
      kind: 'captured',
      amountFen: 29_900,
      currency: 'CNY',
    });
    const altered = body.replace('支付成功', '支付成劝');
    expect(altered).not.toBe(body);
    expect(await refusal(provider().verifyCallback(altered, headers))).toBe(401);
  });

  it('verifies with a platform certificate listed under its serial (older merchants)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wechatpay-cert-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          join(dir, 'key.pem'),
          '-out',
          join(dir, 'cert.pem'),
          '-days',
          '2',
          '-subj',
          '/CN=Tenpay.com Root CA',
        ],
        { stdio: 'ignore' },
      );
      const certificate = readFileSync(join(dir, 'cert.pem'), 'utf8');
      const serial = new X509Certificate(certificate).serialNumber;
      const key = (await import('node:crypto')).createPrivateKey(readFileSync(join(dir, 'key.pem')));
      const { body, headers } = notification(transaction(), { signWith: key, serial });
      expect((await provider({ [serial]: certificate }).verifyCallback(body, headers)).kind).toBe('captured');
      // The certificate's key does not verify what the public-key mode's key signed, and vice versa.
      const other = notification(transaction(), { serial });
      expect(
        await refusal(provider({ [serial]: certificate }).verifyCallback(other.body, other.headers)),
      ).toBe(401);
      expect(() => provider({ ABCDEF: certificate })).toThrow(/serial/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [
      'forged (another key)',
      () =>
        notification(transaction(), {
          signWith: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey,
        }),
      401,
    ],
    [
      'stale (6 minutes old)',
      () => notification(transaction(), { at: Math.floor(Date.now() / 1000) - 360 }),
      401,
    ],
    [
      'from the future (6 minutes ahead)',
      () => notification(transaction(), { at: Math.floor(Date.now() / 1000) + 360 }),
      401,
    ],
    [
      'wrong serial',
      () => notification(transaction(), { serial: 'PUB_KEY_ID_0999999999999999999999999999' }),
      401,
    ],
    ['wrong mchid', () => notification(transaction({ mchid: '1900000999' })), 400],
    ['wrong appid', () => notification(transaction({ appid: 'wx0000000000000000' })), 400],
    [
      'undecryptable (another APIv3 key)',
      () => notification(transaction(), { key: 'another-apiv3-key-of-32-bytes!!!' }),
      400,
    ],
    ['not a success', () => notification(transaction({ trade_state: 'NOTPAY' })), 400],
    ['unknown event', () => notification(transaction(), { eventType: 'TRANSACTION.CLOSED' }), 400],
    ['amount missing', () => notification(transaction({ amount: { currency: 'CNY' } })), 400],
  ])('refuses a notification: %s', async (_name, make, status) => {
    const { body, headers } = make();
    expect(await refusal(provider().verifyCallback(body, headers))).toBe(status);
  });

  it('refuses missing and repeated signature headers', async () => {
    const { body, headers } = notification(transaction());
    const { 'wechatpay-signature': _dropped, ...unsigned } = headers;
    expect(await refusal(provider().verifyCallback(body, unsigned))).toBe(400);
    const twice = { ...headers, 'wechatpay-serial': [PUB_KEY_ID, PUB_KEY_ID] };
    expect(await refusal(provider().verifyCallback(body, twice))).toBe(400);
  });

  it('reads refund notifications: SUCCESS is a refund of its own amount, ABNORMAL and CLOSED are failed refunds', async () => {
    const refund = (status: string) => ({
      mchid: MCHID,
      out_trade_no: 'YBABCDEFGHJKLMNP',
      transaction_id: '4200000000202612030000000001',
      out_refund_no: 'cancellation-8b6c1f5e-8f5a-4a39-9c38-1f5d2a0b1c2d',
      refund_id: '50300000000000000000000001',
      refund_status: status,
      amount: { total: 29_900, refund: 10_000, payer_total: 29_900, payer_refund: 10_000 },
    });
    const success = notification(refund('SUCCESS'), { eventType: 'REFUND.SUCCESS' });
    expect(await provider().verifyCallback(success.body, success.headers)).toMatchObject({
      kind: 'refunded',
      amountFen: 10_000,
      currency: 'CNY',
      refundRequestId: 'cancellation-8b6c1f5e-8f5a-4a39-9c38-1f5d2a0b1c2d',
    });
    for (const eventType of ['REFUND.ABNORMAL', 'REFUND.CLOSED']) {
      const failed = notification(refund(eventType.slice(7)), { eventType });
      expect((await provider().verifyCallback(failed.body, failed.headers)).kind).toBe('refund_failed');
    }
    const wrongMchid = notification(
      { ...refund('SUCCESS'), mchid: '1900000999' },
      { eventType: 'REFUND.SUCCESS' },
    );
    expect(await refusal(provider().verifyCallback(wrongMchid.body, wrongMchid.headers))).toBe(400);
  });
});
