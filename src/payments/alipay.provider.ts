/**
 * Alipay through the official `alipay-sdk` (v4): a page-pay URL for the
 * consumer, the asynchronous notify verified with the SDK's own signature
 * check, and query / close / refund through the OpenAPI gateway.
 *
 * Alipay's merchant-side key for a trade is out_trade_no, which is our order
 * number; it is also our providerPaymentId. Amounts cross the wire as yuan
 * decimal strings and are converted to and from integer fen without floats.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import {
  CallbackRejected,
  type CreatedPayment,
  type CreatePaymentInput,
  type PaymentNotification,
  type PaymentProvider,
  type ProviderPaymentRecord,
  type ProviderPaymentStatus,
} from './provider.ts';

export interface AlipayProviderOptions {
  appId: string;
  /** Our application private key: PEM (PKCS#1 or PKCS#8) or the bare base64 Alipay's key tool prints. */
  privateKey: string;
  /** Alipay's public key for this application, PEM or bare base64. */
  alipayPublicKey: string;
  /** The merchant's PID: the seller_id of every trade made through this application. */
  sellerId: string;
  /** OpenAPI gateway, e.g. https://openapi.alipay.com/gateway.do (or the sandbox's). */
  gateway: string;
  timeoutMs?: number;
  /** The clock notifications are judged stale against (tests pass a fixed one). */
  now?: () => Date;
}

/**
 * Alipay retries a notification for about 25 hours; one older than this, or
 * from the future, is a replay and refused even with a valid signature.
 */
const MAX_NOTIFICATION_AGE_MS = 48 * 3_600_000;
const MAX_CLOCK_SKEW_MS = 10 * 60_000;

/** notify_time is Beijing time, "YYYY-MM-DD HH:mm:ss". */
function notifyInstant(notifyTime: string | undefined): Date | null {
  const match = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(notifyTime ?? '');
  if (!match) return null;
  const at = new Date(`${match[1]}T${match[2]}+08:00`);
  return Number.isNaN(at.getTime()) ? null : at;
}

/** A call Alipay answered with something other than success (code 10000). */
export class AlipayProviderError extends Error {
  readonly code: string;
  readonly subCode: string | null;
  constructor(method: string, result: AlipaySdkCommonResult) {
    super(
      `${method} failed: ${result.code} ${result.msg}${result.sub_code ? ` (${result.sub_code}: ${result.sub_msg ?? ''})` : ''}`,
    );
    this.name = 'AlipayProviderError';
    this.code = result.code;
    this.subCode = result.sub_code ?? null;
  }
}

/** 12345 fen → "123.45" with integer arithmetic only. */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`not a non-negative integer amount of fen: ${fen}`);
  const cents = fen % 100;
  return `${(fen - cents) / 100}.${String(cents).padStart(2, '0')}`;
}

/** "123.45" → 12345; null for anything that is not a plain decimal with at most two places. */
export function yuanToFen(yuan: string): number | null {
  const match = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/.exec(yuan);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Env vars often carry keys with literal "\n"; Alipay's tool prints bare base64. Both become a KeyObject. */
function readKey(text: string, kind: 'private' | 'public'): KeyObject {
  const key = text.replaceAll('\\n', '\n').trim();
  if (key.startsWith('-----BEGIN')) return kind === 'private' ? createPrivateKey(key) : createPublicKey(key);
  const der = Buffer.from(key.replace(/\s+/g, ''), 'base64');
  const attempt = (type: 'pkcs8' | 'spki' | 'pkcs1') =>
    kind === 'private'
      ? createPrivateKey({ key: der, format: 'der', type: type === 'spki' ? 'pkcs8' : type })
      : createPublicKey({ key: der, format: 'der', type: type === 'pkcs8' ? 'spki' : type });
  try {
    return attempt(kind === 'private' ? 'pkcs8' : 'spki');
  } catch {
    return attempt('pkcs1');
  }
}

/**
 * Alipay's documented trade_status values. WAIT_BUYER_PAY is notified when the merchant enables
 * it: verified and answered "success" (otherwise Alipay retries for about 25 hours), nothing else.
 */
const TRADE_STATUS_KIND: Record<string, PaymentNotification['kind']> = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'captured',
  TRADE_FINISHED: 'captured',
  TRADE_CLOSED: 'closed',
};

/** What alipay.trade.query's trade_status means for the payment. */
const QUERIED_STATUS: Record<string, ProviderPaymentStatus> = {
  WAIT_BUYER_PAY: 'pending',
  TRADE_SUCCESS: 'captured',
  TRADE_FINISHED: 'captured',
  // Closed unpaid, or fully refunded: Alipay reports both as closed.
  TRADE_CLOSED: 'closed',
};

export class AlipayProvider implements PaymentProvider {
  readonly name = 'alipay' as const;
  /** Alipay keeps retrying a notification until it reads exactly this. */
  readonly acknowledgement = { contentType: 'text/plain', body: 'success' };
  readonly #sdk: AlipaySdk;
  readonly #appId: string;
  readonly #sellerId: string;
  readonly #now: () => Date;

  constructor(options: AlipayProviderOptions) {
    this.#appId = options.appId;
    this.#sellerId = options.sellerId;
    this.#now = options.now ?? (() => new Date());
    this.#sdk = new AlipaySdk({
      appId: options.appId,
      // Normalised to PKCS#8 / SPKI PEM whatever form they came in; trimmed because the SDK
      // re-wraps keys line by line and a trailing newline would end up inside the base64.
      privateKey: (
        readKey(options.privateKey, 'private').export({ type: 'pkcs8', format: 'pem' }) as string
      ).trim(),
      keyType: 'PKCS8',
      alipayPublicKey: (
        readKey(options.alipayPublicKey, 'public').export({ type: 'spki', format: 'pem' }) as string
      ).trim(),
      gateway: options.gateway,
      signType: 'RSA2',
      timeout: options.timeoutMs ?? 5_000,
      // Keep Alipay's documented snake_case names in results (trade_status, sub_code).
      camelcase: false,
    });
  }

  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    if (input.currency !== 'CNY') throw new RangeError(`Alipay page pay takes CNY, not ${input.currency}`);
    if (input.amountFen <= 0) throw new RangeError('amount must be positive');
    const payUrl = this.#sdk.pageExecute('alipay.trade.page.pay', 'GET', {
      bizContent: {
        out_trade_no: input.orderNumber,
        total_amount: fenToYuan(input.amountFen),
        subject: input.subject.slice(0, 256),
        product_code: 'FAST_INSTANT_TRADE_PAY',
      },
      notifyUrl: input.notifyUrl,
      returnUrl: input.returnUrl,
    });
    return { providerPaymentId: input.orderNumber, payUrl };
  }

  /** The notify body is application/x-www-form-urlencoded; the SDK checks Alipay's RSA2 signature. */
  async verifyCallback(rawBody: string): Promise<PaymentNotification> {
    const fields: Record<string, string> = {};
    const seen = new Set<string>();
    for (const [key, value] of new URLSearchParams(rawBody)) {
      if (seen.has(key)) throw new CallbackRejected(`parameter ${key} given more than once`);
      seen.add(key);
      // Alipay signs only the parameters that have a value.
      if (value !== '') fields[key] = value;
    }
    if (!fields.sign) throw new CallbackRejected('notification is not signed');
    if (fields.sign_type !== undefined && fields.sign_type !== 'RSA2')
      throw new CallbackRejected(`unsupported sign_type ${fields.sign_type}`);
    let verified: boolean;
    try {
      verified = this.#sdk.checkNotifySignV2(fields);
    } catch {
      verified = false;
    }
    if (!verified) throw new CallbackRejected('signature does not match', 401);

    // Signed by Alipay from here on: now check it is meant for us and well-formed.
    if (fields.app_id !== this.#appId) throw new CallbackRejected('notification is for another app_id');
    // Another merchant's trade, even one made through the same application, is not ours to record.
    if (fields.seller_id !== this.#sellerId)
      throw new CallbackRejected('notification is for another seller_id');
    const sentAt = notifyInstant(fields.notify_time);
    if (!sentAt) throw new CallbackRejected('notify_time is missing or malformed');
    const age = this.#now().getTime() - sentAt.getTime();
    if (age > MAX_NOTIFICATION_AGE_MS || age < -MAX_CLOCK_SKEW_MS)
      throw new CallbackRejected('notification is stale (notify_time outside the accepted window)', 401);
    const status = fields.trade_status ?? '';
    let kind = Object.hasOwn(TRADE_STATUS_KIND, status) ? TRADE_STATUS_KIND[status] : undefined;
    if (!kind) throw new CallbackRejected(`trade_status ${status || '(none)'} is not a payment outcome`);
    const amountFen = fields.total_amount === undefined ? null : yuanToFen(fields.total_amount);
    if (amountFen === null)
      throw new CallbackRejected('amount is missing or not a decimal with at most 2 places');
    // A refund is notified with the trade's status (TRADE_SUCCESS when partial, TRADE_CLOSED when
    // full) plus refund_fee, the total refunded on the trade so far, and gmt_refund; it must not read
    // as a second capture. A trade closed after it was paid was closed by refunding all of it.
    let refundedTotalFen: number | undefined;
    const refundFee = fields.refund_fee === undefined ? null : yuanToFen(fields.refund_fee);
    if (fields.refund_fee !== undefined && refundFee === null)
      throw new CallbackRejected('refund_fee is not a decimal with at most 2 places');
    if (fields.gmt_refund !== undefined || (refundFee !== null && refundFee > 0)) {
      if (refundFee === null) throw new CallbackRejected('a refund notification without refund_fee');
      refundedTotalFen = refundFee;
    } else if (kind === 'closed' && fields.gmt_payment !== undefined) {
      refundedTotalFen = amountFen;
    }
    if (refundedTotalFen !== undefined) {
      kind = 'refunded';
      if (refundedTotalFen <= 0 || refundedTotalFen > amountFen)
        throw new CallbackRejected('refund_fee must be more than 0 and at most total_amount');
    }
    if (!fields.notify_id) throw new CallbackRejected('notify_id is missing');
    if (!fields.out_trade_no || fields.out_trade_no.length > 64)
      throw new CallbackRejected('out_trade_no is missing');
    if (fields.out_biz_no !== undefined && fields.out_biz_no.length > 64)
      throw new CallbackRejected('out_biz_no is longer than 64 characters');
    return {
      provider: 'alipay',
      eventId: fields.notify_id,
      providerPaymentId: fields.out_trade_no,
      orderNumber: fields.out_trade_no,
      kind,
      amountFen,
      currency: 'CNY',
      ...(refundedTotalFen === undefined
        ? {}
        : {
            refundedTotalFen,
            ...(fields.out_biz_no === undefined ? {} : { refundRequestId: fields.out_biz_no }),
          }),
    };
  }

  async queryPayment(providerPaymentId: string): Promise<ProviderPaymentStatus> {
    // Alipay creates the trade only once the consumer opens the cashier page.
    return (await this.paymentRecord(providerPaymentId))?.status ?? 'pending';
  }

  /** alipay.trade.query: the trade's status and amount as Alipay has them; null when there is no trade. */
  async paymentRecord(providerPaymentId: string): Promise<ProviderPaymentRecord | null> {
    let result: AlipaySdkCommonResult;
    try {
      result = await this.#exec('alipay.trade.query', { out_trade_no: providerPaymentId });
    } catch (err) {
      if (err instanceof AlipayProviderError && err.subCode === 'ACQ.TRADE_NOT_EXIST') return null;
      throw err;
    }
    const tradeStatus = String(result.trade_status);
    const status = Object.hasOwn(QUERIED_STATUS, tradeStatus) ? QUERIED_STATUS[tradeStatus] : undefined;
    if (!status) throw new Error(`alipay.trade.query answered an unknown trade_status ${tradeStatus}`);
    const amountFen = yuanToFen(String(result.total_amount));
    if (amountFen === null)
      throw new Error(`alipay.trade.query answered a malformed total_amount ${String(result.total_amount)}`);
    return { status, amountFen, currency: 'CNY' };
  }

  async closePayment(providerPaymentId: string): Promise<{ closed: boolean; alreadyCaptured: boolean }> {
    try {
      await this.#exec('alipay.trade.close', { out_trade_no: providerPaymentId });
      return { closed: true, alreadyCaptured: false };
    } catch (err) {
      if (!(err instanceof AlipayProviderError)) throw err;
      // Never opened by the consumer: there is no trade to close.
      if (err.subCode === 'ACQ.TRADE_NOT_EXIST') return { closed: true, alreadyCaptured: false };
      // Already paid or already closed: ask which.
      if (err.subCode === 'ACQ.TRADE_STATUS_ERROR') {
        const status = await this.queryPayment(providerPaymentId);
        if (status === 'captured' || status === 'refunded') return { closed: false, alreadyCaptured: true };
        if (status === 'closed') return { closed: true, alreadyCaptured: false };
      }
      throw err;
    }
  }

  /** out_request_no = refundId makes Alipay treat a retried refund as the same one. */
  async refund(input: { providerPaymentId: string; amountFen: number; refundId: string }): Promise<{
    providerRefundId: string;
  }> {
    if (input.amountFen <= 0) throw new RangeError('refund amount must be positive');
    await this.#exec('alipay.trade.refund', {
      out_trade_no: input.providerPaymentId,
      refund_amount: fenToYuan(input.amountFen),
      out_request_no: input.refundId,
    });
    return { providerRefundId: input.refundId };
  }

  /** One OpenAPI call; the response's signature is verified with Alipay's public key. */
  async #exec(method: string, bizContent: Record<string, string>): Promise<AlipaySdkCommonResult> {
    const result = await this.#sdk.exec(method, { bizContent }, { validateSign: true });
    if (result.code !== '10000') throw new AlipayProviderError(method, result);
    return result;
  }
}
