/**
 * WeChat Pay's settings: nothing set leaves it off; once any is set, every one must be there and
 * well-formed (refused at start, each problem by name); production refuses the emulator and offers
 * WeChat Pay as its real provider when it is complete.
 */
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { productionProblems, wechatpayFromEnv, wechatpayProblems } from '../../src/config.ts';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const WECHATPAY: Record<string, string> = {
  WECHATPAY_MCHID: '1900000109',
  WECHATPAY_APPID: 'wxd678efh567hg6787',
  WECHATPAY_MERCHANT_SERIAL: '3775B6A45ACD588826D15E583A95F5DD00000001',
  WECHATPAY_PRIVATE_KEY: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  WECHATPAY_API_V3_KEY: 'an-apiv3-key-of-exactly-32-bytes',
  WECHATPAY_PUBLIC_KEY_ID: 'PUB_KEY_ID_0114232134912410000000000000',
  WECHATPAY_PUBLIC_KEY: keys.publicKey.export({ type: 'spki', format: 'pem' }) as string,
};
/** A production environment whose only real provider is WeChat Pay. */
const PRODUCTION: Record<string, string> = {
  NODE_ENV: 'production',
  COOKIE_SECRET: 'c'.repeat(32),
  LINK_SECRET: 'l'.repeat(32),
  PUBLIC_BASE_URL: 'https://yanbao.example',
  PAYLOAD_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  ALIYUN_SMS_ACCESS_KEY_ID: 'LTAI5tExampleKeyId',
  ALIYUN_SMS_ACCESS_KEY_SECRET: 'example-access-key-secret',
  ALIYUN_SMS_SIGN_NAME: '延保',
  ALIYUN_SMS_TEMPLATES: 'order_confirmed:SMS_1,order_cancelled:SMS_2,claim_update:SMS_3,lookup_code:SMS_4',
  ...WECHATPAY,
};

describe('WeChat Pay configuration', () => {
  it('is off with nothing set, and reads a complete public-key-mode setup', () => {
    expect(wechatpayFromEnv({}, 'development')).toMatchObject({
      mchid: null,
      emulator: false,
      platformKeys: {},
    });
    const config = wechatpayFromEnv(WECHATPAY, 'production');
    expect(config).toMatchObject({ mchid: '1900000109', baseUrl: 'https://api.mch.weixin.qq.com/' });
    expect(Object.keys(config.platformKeys)).toEqual([WECHATPAY.WECHATPAY_PUBLIC_KEY_ID]);
  });

  it('shares the emulator’s development keys through .data/ in development only, or a folder given', () => {
    const on = { WECHATPAY_EMULATOR: 'on' };
    expect(wechatpayFromEnv(on, 'development').emulatorKeysDir).toBe(
      fileURLToPath(new URL('../../.data/wechatpay-emulator', import.meta.url)),
    );
    expect(wechatpayFromEnv(on, 'test').emulatorKeysDir).toBeNull();
    expect(
      wechatpayFromEnv({ ...on, WECHATPAY_EMULATOR_KEYS_DIR: '/tmp/keys' }, 'test').emulatorKeysDir,
    ).toBe('/tmp/keys');
    expect(wechatpayFromEnv({}, 'development').emulatorKeysDir).toBeNull();
  });

  it.each([
    ['WECHATPAY_MCHID', 'abc', /WECHATPAY_MCHID/],
    ['WECHATPAY_APPID', 'not-an-appid', /WECHATPAY_APPID/],
    ['WECHATPAY_API_V3_KEY', 'too short', /WECHATPAY_API_V3_KEY/],
    ['WECHATPAY_PRIVATE_KEY', 'not a key', /WECHATPAY_PRIVATE_KEY/],
    ['WECHATPAY_PUBLIC_KEY_ID', '0114232134912410', /WECHATPAY_PUBLIC_KEY_ID/],
    ['WECHATPAY_BASE_URL', 'http://api.mch.weixin.qq.com/', /WECHATPAY_BASE_URL/],
  ])('refuses a malformed %s', (name, value, message) => {
    expect(() => wechatpayFromEnv({ ...WECHATPAY, [name]: value }, 'development')).toThrow(message);
  });

  it('names every variable missing once any is set, and needs a key to verify with', () => {
    const problems = wechatpayProblems({ WECHATPAY_MCHID: '1900000109' });
    for (const name of [
      'WECHATPAY_APPID',
      'WECHATPAY_MERCHANT_SERIAL',
      'WECHATPAY_PRIVATE_KEY',
      'WECHATPAY_API_V3_KEY',
    ])
      expect(problems.join('\n')).toContain(name);
    expect(problems.join('\n')).toMatch(
      /WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY \(or WECHATPAY_PLATFORM_CERTIFICATES\)/,
    );
  });

  it('lets production start on WeChat Pay alone, and refuses the emulator or an incomplete setup there', () => {
    expect(productionProblems(PRODUCTION)).toEqual([]);
    expect(productionProblems({ ...PRODUCTION, WECHATPAY_EMULATOR: 'on' }).join('\n')).toMatch(
      /WECHATPAY_EMULATOR/,
    );
    expect(() => wechatpayFromEnv({ WECHATPAY_EMULATOR: 'on' }, 'production')).toThrow(/WECHATPAY_EMULATOR/);
    const { WECHATPAY_API_V3_KEY: _dropped, ...incomplete } = PRODUCTION;
    const problems = productionProblems(incomplete).join('\n');
    expect(problems).toMatch(/WECHATPAY_API_V3_KEY must be set/);
    expect(problems).toMatch(/no real payment provider is configured/);
  });
});
