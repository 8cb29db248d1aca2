/**
 * Production refuses to start on a configuration that would crash later, sign links with a
 * default secret, print QR codes pointing at localhost, or take money with the sandbox's free
 * "Pay" button: one error lists every problem by variable name.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig, paymentsFromEnv, productionProblems } from '../../src/config.ts';
import { alipayTestMerchant } from '../helpers/alipay.ts';

const merchant = alipayTestMerchant('2021000000000077');

/** A production environment that starts: real secrets, a public https origin, Alipay configured. */
const VALID: Record<string, string> = {
  NODE_ENV: 'production',
  COOKIE_SECRET: 'c'.repeat(32),
  LINK_SECRET: 'l'.repeat(32),
  PUBLIC_BASE_URL: 'https://yanbao.example',
  ALIPAY_APP_ID: merchant.config.appId,
  ALIPAY_PRIVATE_KEY: merchant.config.privateKey,
  ALIPAY_PUBLIC_KEY: merchant.config.alipayPublicKey,
  ALIPAY_SELLER_ID: merchant.config.sellerId,
  // Temporal payloads are encrypted with it (src/temporal/payload-codec.ts); 32 bytes.
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  // Buyers hear from Yanbao by SMS only.
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'example-access-key-secret',
  ALIYUN_SMS_SIGN_NAME: '延保',
  ALIYUN_SMS_TEMPLATES: 'order_confirmed:SMS_1,order_cancelled:SMS_2,claim_update:SMS_3,lookup_code:SMS_4',
};

const without = (...names: string[]) =>
  Object.fromEntries(Object.entries(VALID).filter(([name]) => !names.includes(name)));

/** Every variable the checks read, so the test runner's own environment cannot leak in. */
const READ = [
  ...Object.keys(VALID),
  'PAYMENT_PROVIDERS',
  'SANDBOX_PAYMENTS',
  'SANDBOX_SIGNING_SECRET',
  'ALIPAY_GATEWAY',
  ...['SMTP_URL', 'SMTP_HOST', 'SMTP_PORT', 'SMTP_USER', 'SMTP_PASS', 'MAIL_FROM'],
  ...[
    'ALIYUN_SMS_ACCESS_KEY_ID',
    'ALIYUN_SMS_ACCESS_KEY_SECRET',
    'ALIYUN_SMS_SIGN_NAME',
    'ALIYUN_SMS_TEMPLATES',
  ],
  'ALIYUN_SMS_ENDPOINT',
  'METRICS_TOKEN',
];
function stubEnv(env: Record<string, string>) {
  for (const name of READ) vi.stubEnv(name, env[name]);
}

describe('production configuration', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('accepts a production environment with secrets, a public https origin and Alipay', () => {
    expect(productionProblems(VALID)).toEqual([]);
    stubEnv(VALID);
    const config = loadConfig();
    expect(config.env).toBe('production');
    expect(config.payments).toEqual({ real: null, sandbox: 'off' });
  });

  it.each([
    ['COOKIE_SECRET', without('COOKIE_SECRET')],
    ['COOKIE_SECRET', { ...VALID, COOKIE_SECRET: 'short' }],
    ['LINK_SECRET', without('LINK_SECRET')],
    ['LINK_SECRET', { ...VALID, LINK_SECRET: 'x'.repeat(31) }],
    ['PUBLIC_BASE_URL', without('PUBLIC_BASE_URL')],
    ['PUBLIC_BASE_URL', { ...VALID, PUBLIC_BASE_URL: 'http://yanbao.example' }],
    ['PUBLIC_BASE_URL', { ...VALID, PUBLIC_BASE_URL: 'not a url' }],
    ['PUBLIC_BASE_URL', { ...VALID, PUBLIC_BASE_URL: 'https://localhost:3000' }],
    ['PUBLIC_BASE_URL', { ...VALID, PUBLIC_BASE_URL: 'https://[::1]' }],
    ['PAYMENT_PROVIDERS', without('ALIPAY_APP_ID', 'ALIPAY_PRIVATE_KEY', 'ALIPAY_PUBLIC_KEY')],
    ['PAYMENT_PROVIDERS', { ...VALID, PAYMENT_PROVIDERS: 'alipay,sandbox' }],
    ['PAYMENT_PROVIDERS', { ...VALID, PAYMENT_PROVIDERS: 'alipay,wechat' }],
    ['ALIPAY_SELLER_ID', without('ALIPAY_SELLER_ID')],
    ['SANDBOX_PAYMENTS', { ...VALID, SANDBOX_PAYMENTS: 'yes' }],
    ['SANDBOX_SIGNING_SECRET', { ...VALID, SANDBOX_PAYMENTS: 'staging' }],
    ['METRICS_TOKEN', { ...VALID, METRICS_TOKEN: 'm'.repeat(31) }],
    [
      'ALIYUN_SMS_TEMPLATES',
      without(
        'ALIYUN_SMS_ACCESS_KEY_ID',
        'ALIYUN_SMS_ACCESS_KEY_SECRET',
        'ALIYUN_SMS_SIGN_NAME',
        'ALIYUN_SMS_TEMPLATES',
      ),
    ],
    ['ALIYUN_SMS_SIGN_NAME', without('ALIYUN_SMS_SIGN_NAME')],
  ])('refuses when %s is wrong, naming it (%#)', (name, env) => {
    const problems = productionProblems(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
  });

  it('refuses every loopback address as the public origin', () => {
    fc.assert(
      fc.property(fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255)), ([a, b, c]) => {
        const problems = productionProblems({ ...VALID, PUBLIC_BASE_URL: `https://127.${a}.${b}.${c}` });
        expect(problems).toEqual([expect.stringContaining('PUBLIC_BASE_URL')]);
      }),
    );
  });

  it('lists every problem of an empty production environment in one error', () => {
    stubEnv({ NODE_ENV: 'production' });
    let message = '';
    try {
      loadConfig();
    } catch (err) {
      message = (err as Error).message;
    }
    for (const name of ['COOKIE_SECRET', 'LINK_SECRET', 'PUBLIC_BASE_URL', 'PAYMENT_PROVIDERS'])
      expect(message).toContain(name);
  });

  it('needs no sandbox signing secret unless the staging sandbox is on, and then offers it', () => {
    stubEnv(VALID);
    expect(loadConfig().sandbox.signingSecret).toBe('');
    const staging = { ...VALID, SANDBOX_PAYMENTS: 'staging', SANDBOX_SIGNING_SECRET: 's'.repeat(32) };
    stubEnv(staging);
    expect(loadConfig().payments.sandbox).toBe('staging');
    // A staging deployment may run on the sandbox alone.
    const sandboxOnly = { ...staging, ALIPAY_APP_ID: '', ALIPAY_PRIVATE_KEY: '', ALIPAY_PUBLIC_KEY: '' };
    expect(productionProblems(sandboxOnly)).toEqual([]);
    // …and send its SMS to the log, as no real buyer is waiting for them.
    const noSms = { ...sandboxOnly, ALIYUN_SMS_ACCESS_KEY_ID: '', ALIYUN_SMS_ACCESS_KEY_SECRET: '' };
    expect(productionProblems({ ...noSms, ALIYUN_SMS_SIGN_NAME: '', ALIYUN_SMS_TEMPLATES: '' })).toEqual([]);
  });

  it('offers the sandbox by default in development and test only', () => {
    expect(paymentsFromEnv({}, 'development')).toEqual({ real: null, sandbox: 'on' });
    expect(paymentsFromEnv({}, 'test')).toEqual({ real: null, sandbox: 'on' });
    expect(paymentsFromEnv({}, 'production')).toEqual({ real: null, sandbox: 'off' });
    expect(paymentsFromEnv({ PAYMENT_PROVIDERS: 'alipay' }, 'development')).toEqual({
      real: ['alipay'],
      sandbox: 'off',
    });
    expect(() => paymentsFromEnv({ PAYMENT_PROVIDERS: 'paypal' }, 'test')).toThrow(/PAYMENT_PROVIDERS/);
  });
});
