import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

/** A key as PEM: PKCS#8 / PKCS#1 for private keys, SPKI / PKCS#1 for public ones. */
export const pem = (key: KeyObject, type: 'pkcs8' | 'pkcs1' | 'spki') =>
  type === 'spki' || (type === 'pkcs1' && key.type === 'public')
    ? (key.export({ type: type as 'spki' | 'pkcs1', format: 'pem' }) as string)
    : (key.export({ type: type as 'pkcs8' | 'pkcs1', format: 'pem' }) as string);

/**
 * How Alipay signs an asynchronous notification (RSA2): sign, sign_type and
 * empty values left out, keys sorted, `k=v` joined by `&`, SHA256withRSA.
 */
export function alipaySign(params: Record<string, string>, key: KeyObject): string {
  const content = Object.keys(params)
    .filter((k) => k !== 'sign' && k !== 'sign_type' && params[k] !== '')
    .sort()
    .map((k) => `${k}=${params[k]}`)
    .join('&');
  return createSign('RSA-SHA256').update(content, 'utf8').sign(key, 'base64');
}

/** An instant as Alipay writes times: Beijing time, "YYYY-MM-DD HH:mm:ss". */
export function beijingTime(at: Date = new Date()): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * A merchant's Alipay setup for tests: Alipay's key pair (it signs notifications), the merchant's,
 * and the `alipay` section of the app config that uses them.
 */
export function alipayTestMerchant(appId: string) {
  const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    appId,
    alipayKeys,
    merchantKeys,
    config: {
      appId,
      privateKey: pem(merchantKeys.privateKey, 'pkcs8'),
      alipayPublicKey: pem(alipayKeys.publicKey, 'spki'),
      gateway: 'https://openapi.alipay.com/gateway.do',
    },
  };
}
