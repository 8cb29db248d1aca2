/**
 * WeChat Pay API v3 through `wechatpay-axios-plugin`: every request is signed
 * WECHATPAY2-SHA256-RSA2048 with the merchant key, and every answer's
 * Wechatpay-Signature is verified by the SDK (timestamp within 5 minutes, serial
 * among the configured platform keys) before it is read. Notifications are
 * verified with the same SDK primitives (Rsa.verify over Formatter.response,
 * AesGcm.decrypt of the resource) and then checked against this merchant.
 *
 * The merchant-side key of a transaction is out_trade_no, our order number; it
 * is also our providerPaymentId. WeChat counts money in integer fen already.
 * The base URL is configurable so the offline emulator (wechatpay.emulator.ts)
 * exercises this very code.
 */
import { X509Certificate } from 'node:crypto';
import type { AxiosError } from 'axios';
import { Aes, Decorator, Formatter, Rsa } from 'wechatpay-axios-plugin';
import {
  CallbackRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPaymentRecord,
  type ProviderPaymentStatus,
} from './provider.ts';
import { singleHeader } from './sandbox-signature.ts';

export interface WechatpayProviderOptions {
  /** 商户号. */
  mchid: string;
  /** The AppID (公众号/服务号) the payments are made under; JSAPI's openid belongs to it. */
  appid: string;
  /** Serial number of the merchant API certificate (商户API证书序列号). */
  merchantSerial: string;
  /** The merchant API private key (apiclient_key.pem), PEM. */
  privateKey: string;
  /** The APIv3 key: 32 bytes, decrypts notification resources. */
  apiV3Key: string;
  /**
   * WeChat Pay's verification keys by serial: `PUB_KEY_ID_…` → the WeChat Pay public key (public-key
   * mode), or a platform certificate's serial → that certificate (certificate mode). Both may be given
   * while a merchant migrates.
   */
  platformKeys: Record<string, string>;
  /** https://api.mch.weixin.qq.com/ in production; the emulator's URL in development and tests. */
  baseUrl: string;
  /** Where WeChat Pay posts refund notifications (payment notifications take the order's notify URL). */
  refundNotifyUrl: string;
  timeoutMs?: number;
  /** The clock notification timestamps are judged against (tests pass a fixed one). */
  now?: () => Date;
}

/** WeChat Pay signs each notification delivery afresh: an older timestamp is a replay. */
export const WECHATPAY_MAX_CLOCK_OFFSET_SECONDS = 300;

/** Characters WeChat accepts in out_trade_no and out_refund_no. */
const OUT_NO = /^[0-9A-Za-z_\-|*@]{6,64}$/;

/** A call WeChat Pay answered with an error ({code, message}) or an unverifiable answer. */
export class WechatpayProviderError extends Error {
  readonly status: number | null;
  readonly code: string;
  constructor(operation: string, status: number | null, code: string, message: string) {
    super(`${operation} failed: ${status ?? 'no answer'} ${code} ${message}`);
    this.name = 'WechatpayProviderError';
    this.status = status;
    this.code = code;
  }
}

/** WeChat Pay's trade_state in the provider interface's words. */
const TRADE_STATE: Record<string, ProviderPaymentStatus> = {
  SUCCESS: 'captured',
  REFUND: 'refunded',
  NOTPAY: 'pending',
  USERPAYING: 'pending',
  // A failed attempt is not captured; the order's timeout closes it.
  PAYERROR: 'pending',
  CLOSED: 'closed',
  REVOKED: 'closed',
};

/** The platform keys as the SDK takes them; a certificate must carry the serial it is listed under. */
export function platformKeyObjects(platformKeys: Record<string, string>): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [serial, text] of Object.entries(platformKeys)) {
    const pem = text.replaceAll('\\n', '\n').trim();
    if (pem.includes('BEGIN CERTIFICATE')) {
      const certificate = new X509Certificate(pem);
      if (certificate.serialNumber.toUpperCase() !== serial.toUpperCase())
        throw new Error(`platform certificate listed as ${serial} has serial ${certificate.serialNumber}`);
    }
    // Parsed now so a broken key fails at start, not on the first notification.
    Rsa.from(pem, 'public');
    keys[serial] = pem;
  }
  return keys;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const isFen = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** The SDK's axios is its own dependency, so its errors are recognised by their flag, not their class. */
const isAxiosError = (err: unknown): err is AxiosError => isObject(err) && err.isAxiosError === true;

export class WechatpayProvider implements PaymentProvider {
  readonly name = 'wechatpay' as const;
  /** WeChat Pay wants a 2xx (200 or 204); a body is optional. */
  readonly acknowledgement = { contentType: 'application/json', body: '{"code":"SUCCESS","message":"OK"}' };
  readonly #client: ReturnType<typeof Decorator.jsonBased>;
  readonly #options: WechatpayProviderOptions;
  readonly #verifyKeys: Record<string, ReturnType<typeof Rsa.from>>;
  readonly #now: () => Date;

  constructor(options: WechatpayProviderOptions) {
    if (Buffer.byteLength(options.apiV3Key) !== 32) throw new Error('the APIv3 key must be 32 bytes');
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    const certs = platformKeyObjects(options.platformKeys);
    this.#verifyKeys = Object.fromEntries(
      Object.entries(certs).map(([serial, pem]) => [serial, Rsa.from(pem, 'public')]),
    );
    this.#client = Decorator.jsonBased({
      mchid: options.mchid,
      serial: options.merchantSerial,
      privateKey: options.privateKey.replaceAll('\\n', '\n'),
      certs,
      baseURL: options.baseUrl,
      timeout: options.timeoutMs ?? 5_000,
    } as Parameters<typeof Decorator.jsonBased>[0]);
  }

  /**
   * A Native (QR code) prepay: code_url is where the consumer pays, by scanning it in WeChat.
   * A retried create of the same out_trade_no with the same content answers the same code_url.
   */
  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    if (input.currency !== 'CNY') throw new RangeError(`WeChat Pay takes CNY, not ${input.currency}`);
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new RangeError('amount must be a positive integer');
    const data = await this.#call('native prepay', 'POST', '/v3/pay/transactions/native', {
      appid: this.#options.appid,
      mchid: this.#options.mchid,
      description: input.subject.slice(0, 127),
      out_trade_no: input.orderNumber,
      notify_url: input.notifyUrl,
      amount: { total: input.amountFen, currency: 'CNY' },
    });
    if (typeof data?.code_url !== 'string') throw new Error('native prepay answered without code_url');
    return { providerPaymentId: input.orderNumber, payUrl: data.code_url };
  }

  async verifyCallback(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<PaymentNotification> {
    const timestamp = singleHeader(headers, 'wechatpay-timestamp');
    const nonce = singleHeader(headers, 'wechatpay-nonce');
    const signature = singleHeader(headers, 'wechatpay-signature');
    const serial = singleHeader(headers, 'wechatpay-serial');
    if (!timestamp || !nonce || !signature || !serial)
      throw new CallbackRejected('Wechatpay-Timestamp, -Nonce, -Signature and -Serial are all required');
    const signatureType = singleHeader(headers, 'wechatpay-signature-type');
    if (signatureType !== undefined && signatureType !== 'WECHATPAY2-SHA256-RSA2048')
      throw new CallbackRejected(`unsupported Wechatpay-Signature-Type ${signatureType}`);
    if (!/^\d{1,12}$/.test(timestamp)) throw new CallbackRejected('malformed Wechatpay-Timestamp');
    const key = Object.hasOwn(this.#verifyKeys, serial) ? this.#verifyKeys[serial] : undefined;
    if (!key) throw new CallbackRejected(`unknown Wechatpay-Serial ${serial.slice(0, 64)}`, 401);
    let verified: boolean;
    try {
      verified = Rsa.verify(Formatter.response(timestamp, nonce, rawBody), signature, key);
    } catch {
      verified = false;
    }
    if (!verified) throw new CallbackRejected('signature does not match', 401);
    const age = Math.floor(this.#now().getTime() / 1000) - Number(timestamp);
    if (Math.abs(age) > WECHATPAY_MAX_CLOCK_OFFSET_SECONDS)
      throw new CallbackRejected('Wechatpay-Timestamp is more than 5 minutes away from now', 401);

    // Signed by WeChat Pay from here on: now decrypt and check it is meant for us.
    let envelope: unknown;
    try {
      envelope = JSON.parse(rawBody);
    } catch {
      throw new CallbackRejected('body is not JSON');
    }
    if (!isObject(envelope) || !isObject(envelope.resource))
      throw new CallbackRejected('notification has no resource');
    const { id, event_type: eventType, resource } = envelope;
    if (typeof id !== 'string' || id.length === 0 || id.length > 64)
      throw new CallbackRejected('notification id is missing');
    if (resource.algorithm !== 'AEAD_AES_256_GCM')
      throw new CallbackRejected(`unsupported resource algorithm ${String(resource.algorithm)}`);
    let plain: unknown;
    try {
      plain = JSON.parse(
        Aes.AesGcm.decrypt(
          String(resource.ciphertext),
          this.#options.apiV3Key,
          String(resource.nonce),
          String(resource.associated_data ?? ''),
        ),
      );
    } catch {
      throw new CallbackRejected('resource does not decrypt with the APIv3 key');
    }
    if (!isObject(plain)) throw new CallbackRejected('resource is not a JSON object');
    if (plain.mchid !== this.#options.mchid) throw new CallbackRejected('notification is for another mchid');
    const outTradeNo = plain.out_trade_no;
    if (typeof outTradeNo !== 'string' || !OUT_NO.test(outTradeNo))
      throw new CallbackRejected('out_trade_no is missing');
    const amount = isObject(plain.amount) ? plain.amount : {};
    const common = {
      provider: 'wechatpay' as const,
      eventId: id,
      providerPaymentId: outTradeNo,
      orderNumber: outTradeNo,
    };

    if (eventType === 'TRANSACTION.SUCCESS') {
      if (plain.appid !== this.#options.appid)
        throw new CallbackRejected('notification is for another appid');
      if (plain.trade_state !== 'SUCCESS')
        throw new CallbackRejected('TRANSACTION.SUCCESS without trade_state SUCCESS');
      if (!isFen(amount.total) || typeof amount.currency !== 'string')
        throw new CallbackRejected('amount.total and amount.currency are required');
      return { ...common, kind: 'captured', amountFen: amount.total, currency: amount.currency };
    }
    if (eventType === 'REFUND.SUCCESS' || eventType === 'REFUND.ABNORMAL' || eventType === 'REFUND.CLOSED') {
      const outRefundNo = plain.out_refund_no;
      if (typeof outRefundNo !== 'string' || !OUT_NO.test(outRefundNo))
        throw new CallbackRejected('out_refund_no is missing');
      if (!isFen(amount.refund) || !isFen(amount.total) || amount.refund > amount.total)
        throw new CallbackRejected('amount.refund and amount.total are required, refund at most total');
      // Refund notifications carry no currency: WeChat Pay refunds in the payment's, which is CNY.
      return {
        ...common,
        kind: eventType === 'REFUND.SUCCESS' ? 'refunded' : 'refund_failed',
        amountFen: amount.refund,
        currency: 'CNY',
        refundRequestId: outRefundNo,
      };
    }
    throw new CallbackRejected(`event_type ${String(eventType)} is not a payment outcome`);
  }

  async queryPayment(providerPaymentId: string): Promise<ProviderPaymentStatus> {
    return (await this.paymentRecord(providerPaymentId))?.status ?? 'pending';
  }

  /** The transaction as WeChat Pay has it; null when it has none (ORDER_NOT_EXIST). */
  async paymentRecord(providerPaymentId: string): Promise<ProviderPaymentRecord | null> {
    let data: Json | null;
    try {
      data = await this.#call(
        'query',
        'GET',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(providerPaymentId)}?mchid=${encodeURIComponent(this.#options.mchid)}`,
      );
    } catch (err) {
      if (err instanceof WechatpayProviderError && err.code === 'ORDER_NOT_EXIST') return null;
      throw err;
    }
    if (!data || data.mchid !== this.#options.mchid || data.out_trade_no !== providerPaymentId)
      throw new Error('query answered for another merchant or transaction');
    const state = String(data.trade_state);
    const status = Object.hasOwn(TRADE_STATE, state) ? TRADE_STATE[state] : undefined;
    if (!status) throw new Error(`query answered an unknown trade_state ${state}`);
    const amount = isObject(data.amount) ? data.amount : {};
    if (!isFen(amount.total)) throw new Error('query answered without amount.total');
    return {
      status,
      amountFen: amount.total,
      currency: typeof amount.currency === 'string' ? amount.currency : 'CNY',
    };
  }

  /** Closes the transaction; when WeChat refuses (paid already, say), its own state decides. */
  async closePayment(providerPaymentId: string): Promise<{ closed: boolean; alreadyCaptured: boolean }> {
    try {
      await this.#call(
        'close',
        'POST',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(providerPaymentId)}/close`,
        { mchid: this.#options.mchid },
      );
    } catch (err) {
      if (!(err instanceof WechatpayProviderError) || err.status === null || err.status >= 500) throw err;
    }
    const status = await this.queryPayment(providerPaymentId);
    if (status === 'captured' || status === 'refunded') return { closed: false, alreadyCaptured: true };
    if (status === 'closed') return { closed: true, alreadyCaptured: false };
    // Never opened (no transaction) reads as pending too: nothing is left that could be paid.
    const record = await this.paymentRecord(providerPaymentId);
    if (record === null) return { closed: true, alreadyCaptured: false };
    throw new Error(`transaction ${providerPaymentId} is still ${status} after close`);
  }

  /**
   * out_refund_no = refundId (deterministic per order and reason), so a retried refund is the same
   * refund at WeChat Pay. The refund names the transaction's total, read from WeChat Pay itself.
   */
  async refund(input: { providerPaymentId: string; amountFen: number; refundId: string }): Promise<{
    providerRefundId: string;
  }> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new RangeError('refund amount must be a positive integer');
    if (!OUT_NO.test(input.refundId)) throw new RangeError(`${input.refundId} is not a valid out_refund_no`);
    const record = await this.paymentRecord(input.providerPaymentId);
    if (!record) throw new Error(`no WeChat Pay transaction ${input.providerPaymentId} to refund`);
    const data = await this.#call('refund', 'POST', '/v3/refund/domestic/refunds', {
      out_trade_no: input.providerPaymentId,
      out_refund_no: input.refundId,
      notify_url: this.#options.refundNotifyUrl,
      amount: { refund: input.amountFen, total: record.amountFen, currency: 'CNY' },
    });
    if (data?.out_refund_no !== input.refundId) throw new Error('refund answered for another out_refund_no');
    return { providerRefundId: input.refundId };
  }

  /** One API call; the SDK has verified the answer's signature before this reads it. */
  async #call(operation: string, method: 'GET' | 'POST', path: string, body?: Json): Promise<Json | null> {
    try {
      const response = await this.#client.request({ method, url: path.replace(/^\//, ''), data: body });
      const data: unknown = response.data;
      return isObject(data) ? data : null;
    } catch (err) {
      if (isAxiosError(err)) {
        const answer: unknown = err.response?.data;
        const details = isObject(answer) ? answer : {};
        throw new WechatpayProviderError(
          operation,
          err.response?.status ?? null,
          String(details.code ?? err.code ?? 'ERROR'),
          String(details.message ?? err.message),
        );
      }
      throw err;
    }
  }
}
