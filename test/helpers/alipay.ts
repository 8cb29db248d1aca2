import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

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
 * its PID (seller_id) and the `alipay` section of the app config that uses them.
 */
export function alipayTestMerchant(appId: string, sellerId = '2088102177000077') {
  const alipayKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const merchantKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    appId,
    sellerId,
    alipayKeys,
    merchantKeys,
    config: {
      appId,
      privateKey: pem(merchantKeys.privateKey, 'pkcs8'),
      alipayPublicKey: pem(alipayKeys.publicKey, 'spki'),
      sellerId,
      gateway: 'https://openapi.alipay.com/gateway.do',
    },
  };
}

/** A trade as the stand-in gateway reports it to alipay.trade.query. */
export interface StandInTrade {
  tradeStatus: 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_FINISHED' | 'TRADE_CLOSED';
  totalAmount: string;
}

/**
 * A local stand-in for Alipay's OpenAPI gateway, answering signed with Alipay's key the way the
 * real one does (`{"<method>_response":{…},"sign":"…"}`): alipay.trade.query from `trades`
 * (ACQ.TRADE_NOT_EXIST for others), alipay.trade.refund and alipay.trade.close succeed.
 */
export async function startAlipayStandIn(alipayPrivateKey: KeyObject) {
  const trades = new Map<string, StandInTrade>();
  const calls: { method: string; biz: Record<string, string> }[] = [];
  const answer = (method: string, biz: Record<string, string>): Record<string, unknown> => {
    const ok = { code: '10000', msg: 'Success', out_trade_no: biz.out_trade_no };
    if (method === 'alipay.trade.query') {
      const trade = trades.get(biz.out_trade_no ?? '');
      if (!trade)
        return {
          code: '40004',
          msg: 'Business Failed',
          sub_code: 'ACQ.TRADE_NOT_EXIST',
          sub_msg: '交易不存在',
        };
      return { ...ok, trade_status: trade.tradeStatus, total_amount: trade.totalAmount };
    }
    if (method === 'alipay.trade.refund') return { ...ok, fund_change: 'Y', refund_fee: biz.refund_amount };
    return ok;
  };
  const server = createServer((request, response) => {
    let raw = '';
    request.on('data', (chunk) => {
      raw += chunk;
    });
    request.on('end', () => {
      const method = new URL(request.url ?? '/', 'http://localhost').searchParams.get('method') ?? '';
      const biz = JSON.parse(new URLSearchParams(raw).get('biz_content') ?? '{}');
      calls.push({ method, biz });
      const inner = JSON.stringify(answer(method, biz));
      const sign = createSign('RSA-SHA256').update(inner, 'utf8').sign(alipayPrivateKey, 'base64');
      response.setHeader('content-type', 'application/json;charset=utf-8');
      response.end(`{"${method.replaceAll('.', '_')}_response":${inner},"sign":"${sign}"}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/gateway.do`,
    trades,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
