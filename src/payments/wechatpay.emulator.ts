/**
 * An offline WeChat Pay API v3, for development and tests only (mounted like the
 * sandbox, never in plain production). It holds its own RSA key pair (made at
 * start, or the development keys every process of one setup shares: see
 * loadOrCreateEmulatorKeys) and behaves as WeChat Pay does towards a merchant: it verifies the
 * merchant's WECHATPAY2-SHA256-RSA2048 request signatures, serves JSAPI/H5/Native
 * prepay, query, close and domestic refunds, signs its answers with its key
 * (public-key mode: serial PUB_KEY_ID_…), and delivers AEAD_AES_256_GCM-encrypted,
 * signed notifications with WeChat's retry schedule, plus the sandbox's
 * duplicate/delay/reorder knobs. Its ledger lives in memory: one process.
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Type } from '@sinclair/typebox';
import escapeHtml from 'escape-html';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { type CallbackSender, fetchSender } from './sandbox-deliverer.ts';

/** Between WeChat Pay's notification tries: 15s/15s/30s/3m/10m/20m/30m/30m/30m/60m/3h/3h/3h/6h/6h. */
export const WECHATPAY_RETRY_DELAYS_MS = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10_800, 10_800, 10_800, 21_600, 21_600,
].map((seconds) => seconds * 1000);
/** Tries per notification: the first at once, then after each delay but the first (about 24 hours in all). */
export const WECHATPAY_NOTIFICATION_TRIES = 15;

export const WECHATPAY_EMULATOR_PREFIX = '/wechatpay-emulator';

export interface WechatpayEmulatorBehaviour {
  /** Each notification delivered this many times (duplicates). */
  copies?: number;
  /** Each notification held back this long before its first try. */
  delayMs?: number;
  /** A notification waits for the transaction's next one and is delivered after it. */
  reorder?: boolean;
  /** What the next refunds end as (REFUND.SUCCESS by default). */
  refundOutcome?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
}

export interface WechatpayEmulatorOptions {
  mchid: string;
  appid: string;
  merchantSerial: string;
  merchantPublicKey: KeyObject;
  apiV3Key: string;
  /** WeChat Pay's own key and its PUB_KEY_ID_… serial; made now when not given. */
  platform?: { publicKeyId: string; privateKey: KeyObject };
  /** Multiplies the retry delays: 1 is WeChat's 24 hours; tests compress it. */
  retryScale?: number;
  send?: CallbackSender;
  log?: { info(details: object, message: string): void };
}

type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

interface Transaction {
  outTradeNo: string;
  appid: string;
  description: string;
  notifyUrl: string;
  totalFen: number;
  channel: 'JSAPI' | 'H5' | 'NATIVE';
  prepayId: string;
  state: TradeState;
  transactionId: string;
  openid: string | null;
  refundedFen: number;
  behaviour: WechatpayEmulatorBehaviour;
  /** Notifications held back by `reorder` until the next one. */
  held: Notification[];
}

interface Refund {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  refundFen: number;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
}

interface Notification {
  id: string;
  eventType: string;
  url: string;
  body: string;
}

/** What a delivery try did, for tests and diagnosis. */
export interface DeliveryAttempt {
  notificationId: string;
  eventType: string;
  outTradeNo: string;
  attempt: number;
  status: number | null;
  at: Date;
}

class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const AUTHORIZATION =
  /^WECHATPAY2-SHA256-RSA2048 mchid="([^"]*)",serial_no="([^"]*)",timestamp="(\d+)",nonce_str="([^"]*)",signature="([^"]*)"$/;

/**
 * The keys of one development setup: WeChat Pay's (the emulator's) key and serial, and the
 * merchant's key and APIv3 key it knows. PEM text, as kept in the shared file.
 */
export interface WechatpayEmulatorKeys {
  publicKeyId: string;
  platformPrivateKey: string;
  merchantPrivateKey: string;
  apiV3Key: string;
}

const newPublicKeyId = () => `PUB_KEY_ID_01${randomBytes(14).toString('hex').toUpperCase()}`;
const rsaPrivatePem = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  }) as string;

/** Fresh keys for one process alone. */
export function generateEmulatorKeys(): WechatpayEmulatorKeys {
  return {
    publicKeyId: newPublicKeyId(),
    platformPrivateKey: rsaPrivatePem(),
    merchantPrivateKey: rsaPrivatePem(),
    apiV3Key: randomBytes(16).toString('hex'),
  };
}

function readEmulatorKeys(file: string): WechatpayEmulatorKeys {
  const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<WechatpayEmulatorKeys>;
  const { publicKeyId, platformPrivateKey, merchantPrivateKey, apiV3Key } = keys;
  if (
    typeof publicKeyId !== 'string' ||
    typeof platformPrivateKey !== 'string' ||
    typeof merchantPrivateKey !== 'string' ||
    typeof apiV3Key !== 'string' ||
    Buffer.byteLength(apiV3Key) !== 32
  )
    throw new Error(`${file} does not hold WeChat Pay emulator keys; delete it to make new ones`);
  return { publicKeyId, platformPrivateKey, merchantPrivateKey, apiV3Key };
}

/**
 * The development keys kept in `dir`/keys.json: read when there, else made and published by
 * whichever process comes first. The file appears whole (written aside, then hard-linked into
 * place, which fails if another process won the race: its keys are then read instead), so
 * `scripts/start`'s web process and worker always end up with the same keys.
 */
export function loadOrCreateEmulatorKeys(dir: string): WechatpayEmulatorKeys {
  const file = path.join(dir, 'keys.json');
  try {
    return readEmulatorKeys(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keys = generateEmulatorKeys();
  const draft = `${file}.${process.pid}.${randomUUID()}`;
  writeFileSync(draft, JSON.stringify(keys, null, 2), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(draft, file);
    return keys;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return readEmulatorKeys(file);
  } finally {
    rmSync(draft, { force: true });
  }
}

/** The made-up merchant and the emulator's key, as key objects, from a set of keys. */
export function emulatorMerchant(keys: WechatpayEmulatorKeys) {
  return {
    mchid: '1900000109',
    appid: 'wxd678efh567hg6787',
    merchantSerial: '3775B6A45ACD588826D15E583A95F5DD00000001',
    apiV3Key: keys.apiV3Key,
    merchantPrivateKey: keys.merchantPrivateKey,
    merchantPublicKey: createPublicKey(keys.merchantPrivateKey),
    platform: { publicKeyId: keys.publicKeyId, privateKey: createPrivateKey(keys.platformPrivateKey) },
  };
}

export class WechatpayEmulator {
  readonly publicKeyId: string;
  readonly #privateKey: KeyObject;
  readonly #options: WechatpayEmulatorOptions;
  readonly #transactions = new Map<string, Transaction>();
  readonly #refunds = new Map<string, Refund>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly attempts: DeliveryAttempt[] = [];

  constructor(options: WechatpayEmulatorOptions) {
    this.#options = options;
    this.publicKeyId = options.platform?.publicKeyId ?? newPublicKeyId();
    this.#privateKey =
      options.platform?.privateKey ?? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  }

  /** The WeChat Pay public key merchants verify with (public-key mode), PEM. */
  get publicKeyPem(): string {
    return createPublicKey(this.#privateKey).export({ type: 'spki', format: 'pem' }) as string;
  }

  transaction(outTradeNo: string): Readonly<Transaction> | undefined {
    return this.#transactions.get(outTradeNo);
  }

  /** Stops every pending delivery (app close). */
  stop(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  // ——— the payer's side ———

  /** The payer pays: a NOTPAY transaction succeeds and TRANSACTION.SUCCESS is owed (even after a close, as a late payment). */
  pay(outTradeNo: string, options: { evenIfClosed?: boolean } = {}): Transaction {
    const trade = this.#find(outTradeNo);
    if (trade.state === 'CLOSED' && !options.evenIfClosed)
      throw new ApiError(400, 'ORDER_CLOSED', 'the transaction is closed');
    if (trade.state !== 'NOTPAY' && trade.state !== 'CLOSED') return trade;
    trade.state = 'SUCCESS';
    this.#notify(trade, trade.notifyUrl, 'TRANSACTION.SUCCESS', 'TRANSACTION', '支付成功', {
      appid: trade.appid,
      mchid: this.#options.mchid,
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      trade_type: trade.channel,
      trade_state: 'SUCCESS',
      trade_state_desc: '支付成功',
      success_time: new Date().toISOString(),
      payer: { openid: trade.openid ?? 'o-emulated-payer' },
      amount: { total: trade.totalFen, payer_total: trade.totalFen, currency: 'CNY', payer_currency: 'CNY' },
    });
    return trade;
  }

  setBehaviour(outTradeNo: string, behaviour: WechatpayEmulatorBehaviour): WechatpayEmulatorBehaviour {
    const trade = this.#find(outTradeNo);
    if (
      behaviour.copies !== undefined &&
      !(Number.isSafeInteger(behaviour.copies) && behaviour.copies >= 1 && behaviour.copies <= 10)
    )
      throw new ApiError(400, 'PARAM_ERROR', 'copies must be 1–10');
    if (
      behaviour.delayMs !== undefined &&
      !(Number.isSafeInteger(behaviour.delayMs) && behaviour.delayMs >= 0 && behaviour.delayMs <= 86_400_000)
    )
      throw new ApiError(400, 'PARAM_ERROR', 'delayMs must be 0–86400000');
    trade.behaviour = { ...trade.behaviour, ...behaviour };
    return trade.behaviour;
  }

  // ——— the merchant API ———

  #prepay(channel: Transaction['channel'], body: Record<string, unknown>): Record<string, unknown> {
    const amount = (body.amount ?? {}) as Record<string, unknown>;
    const outTradeNo = String(body.out_trade_no ?? '');
    if (body.mchid !== this.#options.mchid) throw new ApiError(400, 'MCH_NOT_EXISTS', 'mchid does not match');
    if (body.appid !== this.#options.appid)
      throw new ApiError(400, 'APPID_MCHID_NOT_MATCH', 'appid does not belong to mchid');
    if (!/^[0-9A-Za-z_\-|*]{6,32}$/.test(outTradeNo)) throw new ApiError(400, 'PARAM_ERROR', 'out_trade_no');
    const total = amount.total;
    if (typeof total !== 'number' || !Number.isSafeInteger(total) || total <= 0)
      throw new ApiError(400, 'PARAM_ERROR', 'amount.total must be a positive integer');
    if ((amount.currency ?? 'CNY') !== 'CNY') throw new ApiError(400, 'PARAM_ERROR', 'currency must be CNY');
    const openid = ((body.payer ?? {}) as Record<string, unknown>).openid;
    if (channel === 'JSAPI' && typeof openid !== 'string')
      throw new ApiError(400, 'PARAM_ERROR', 'payer.openid is required');
    if (
      channel === 'H5' &&
      typeof ((body.scene_info ?? {}) as Record<string, unknown>).payer_client_ip !== 'string'
    )
      throw new ApiError(400, 'PARAM_ERROR', 'scene_info.payer_client_ip is required');
    let trade = this.#transactions.get(outTradeNo);
    if (trade) {
      if (trade.totalFen !== total || trade.channel !== channel)
        throw new ApiError(400, 'INVALID_REQUEST', 'out_trade_no was used with other parameters');
      if (trade.state !== 'NOTPAY') throw new ApiError(400, 'ORDERPAID', 'the transaction is not open');
    } else {
      trade = {
        outTradeNo,
        appid: this.#options.appid,
        description: String(body.description ?? '').slice(0, 127),
        notifyUrl: String(body.notify_url ?? ''),
        totalFen: total,
        channel,
        prepayId: `wx${Date.now()}${randomBytes(8).toString('hex')}`,
        state: 'NOTPAY',
        transactionId: `4200${Date.now()}${randomBytes(4).readUInt32BE(0)}`,
        openid: typeof openid === 'string' ? openid : null,
        refundedFen: 0,
        behaviour: {},
        held: [],
      };
      this.#transactions.set(outTradeNo, trade);
    }
    if (channel === 'NATIVE') return { code_url: `weixin://wxpay/bizpayurl?pr=${trade.prepayId}` };
    if (channel === 'H5') return { h5_url: `${WECHATPAY_EMULATOR_PREFIX}/checkout/${outTradeNo}?channel=h5` };
    return { prepay_id: trade.prepayId };
  }

  #query(outTradeNo: string, mchid: unknown): Record<string, unknown> {
    if (mchid !== this.#options.mchid) throw new ApiError(400, 'PARAM_ERROR', 'mchid does not match');
    const trade = this.#transactions.get(outTradeNo);
    if (!trade) throw new ApiError(404, 'ORDER_NOT_EXIST', 'no such transaction');
    return {
      appid: trade.appid,
      mchid: this.#options.mchid,
      out_trade_no: trade.outTradeNo,
      ...(trade.state === 'SUCCESS' || trade.state === 'REFUND'
        ? { transaction_id: trade.transactionId }
        : {}),
      trade_type: trade.channel,
      trade_state: trade.state,
      amount: { total: trade.totalFen, currency: 'CNY' },
    };
  }

  #close(outTradeNo: string, mchid: unknown): void {
    if (mchid !== this.#options.mchid) throw new ApiError(400, 'PARAM_ERROR', 'mchid does not match');
    const trade = this.#find(outTradeNo);
    if (trade.state === 'SUCCESS' || trade.state === 'REFUND')
      throw new ApiError(400, 'ORDERPAID', 'already paid');
    trade.state = 'CLOSED';
  }

  #refund(body: Record<string, unknown>): Record<string, unknown> {
    const amount = (body.amount ?? {}) as Record<string, unknown>;
    const outRefundNo = String(body.out_refund_no ?? '');
    if (!/^[0-9A-Za-z_\-|*@]{1,64}$/.test(outRefundNo))
      throw new ApiError(400, 'PARAM_ERROR', 'out_refund_no');
    const trade = this.#find(String(body.out_trade_no ?? ''));
    const refundFen = amount.refund;
    if (typeof refundFen !== 'number' || !Number.isSafeInteger(refundFen) || refundFen <= 0)
      throw new ApiError(400, 'PARAM_ERROR', 'amount.refund must be a positive integer');
    if (amount.total !== trade.totalFen)
      throw new ApiError(400, 'PARAM_ERROR', 'amount.total is not the transaction total');
    const existing = this.#refunds.get(outRefundNo);
    if (existing) {
      if (existing.outTradeNo !== trade.outTradeNo || existing.refundFen !== refundFen)
        throw new ApiError(400, 'INVALID_REQUEST', 'out_refund_no was used with other parameters');
      return this.#refundView(existing);
    }
    if (trade.state !== 'SUCCESS' && trade.state !== 'REFUND')
      throw new ApiError(400, 'INVALID_REQUEST', 'not paid');
    if (refundFen > trade.totalFen - trade.refundedFen)
      throw new ApiError(400, 'NOT_ENOUGH', 'refund exceeds what is left');
    const refund: Refund = {
      outRefundNo,
      refundId: `5030${Date.now()}${randomBytes(4).readUInt32BE(0)}`,
      outTradeNo: trade.outTradeNo,
      refundFen,
      status: 'PROCESSING',
    };
    this.#refunds.set(outRefundNo, refund);
    const outcome = trade.behaviour.refundOutcome ?? 'SUCCESS';
    refund.status = outcome;
    if (outcome === 'SUCCESS') {
      trade.refundedFen += refundFen;
      trade.state = 'REFUND';
    }
    const notifyUrl = typeof body.notify_url === 'string' ? body.notify_url : trade.notifyUrl;
    this.#notify(trade, notifyUrl, `REFUND.${outcome}`, 'REFUND', '退款', {
      mchid: this.#options.mchid,
      out_trade_no: trade.outTradeNo,
      transaction_id: trade.transactionId,
      out_refund_no: outRefundNo,
      refund_id: refund.refundId,
      refund_status: outcome,
      ...(outcome === 'SUCCESS' ? { success_time: new Date().toISOString() } : {}),
      user_received_account: '支付用户零钱',
      amount: {
        total: trade.totalFen,
        refund: refundFen,
        payer_total: trade.totalFen,
        payer_refund: refundFen,
      },
    });
    return { ...this.#refundView(refund), status: 'PROCESSING' };
  }

  #refundView(refund: Refund): Record<string, unknown> {
    const trade = this.#find(refund.outTradeNo);
    return {
      refund_id: refund.refundId,
      out_refund_no: refund.outRefundNo,
      transaction_id: trade.transactionId,
      out_trade_no: refund.outTradeNo,
      channel: 'ORIGINAL',
      status: refund.status,
      amount: { total: trade.totalFen, refund: refund.refundFen, currency: 'CNY' },
    };
  }

  #find(outTradeNo: string): Transaction {
    const trade = this.#transactions.get(outTradeNo);
    if (!trade) throw new ApiError(404, 'ORDER_NOT_EXIST', 'no such transaction');
    return trade;
  }

  // ——— signatures ———

  /** Checks a merchant request's Authorization header over `METHOD\nURL\ntimestamp\nnonce\nbody\n`. */
  verifyRequest(method: string, url: string, body: string, authorization: string | undefined): void {
    const match = AUTHORIZATION.exec(authorization ?? '');
    if (!match) throw new ApiError(401, 'SIGN_ERROR', 'Authorization is missing or malformed');
    const [, mchid, serial, timestamp, nonce, signature] = match as unknown as string[];
    if (mchid !== this.#options.mchid) throw new ApiError(401, 'SIGN_ERROR', 'mchid does not match');
    if (serial !== this.#options.merchantSerial)
      throw new ApiError(401, 'SIGN_ERROR', 'unknown merchant serial_no');
    if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300)
      throw new ApiError(401, 'SIGN_ERROR', 'stale timestamp');
    let valid = false;
    try {
      valid = Rsa.verify(
        Formatter.request(method, url, timestamp as string, nonce as string, body),
        signature as string,
        this.#options.merchantPublicKey,
      );
    } catch {
      valid = false;
    }
    if (!valid) throw new ApiError(401, 'SIGN_ERROR', 'signature does not verify');
  }

  /** Wechatpay-* headers for a body, signed with the emulator's key (now, unless a test says when). */
  signedHeaders(body: string, timestamp = String(Formatter.timestamp())): Record<string, string> {
    const nonce = Formatter.nonce();
    return {
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': nonce,
      'Wechatpay-Serial': this.publicKeyId,
      'Wechatpay-Signature': Rsa.sign(Formatter.response(timestamp, nonce, body), this.#privateKey),
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    };
  }

  /** A notification envelope with `resource` encrypted under the APIv3 key, as WeChat Pay sends it. */
  envelope(
    eventType: string,
    resourceType: string,
    summary: string,
    resource: object,
    apiV3Key = this.#options.apiV3Key,
  ): { id: string; body: string } {
    const id = randomUUID();
    const nonce = randomBytes(6).toString('hex');
    const associatedData = resourceType.toLowerCase();
    return {
      id,
      body: JSON.stringify({
        id,
        create_time: new Date().toISOString(),
        resource_type: 'encrypt-resource',
        event_type: eventType,
        summary,
        resource: {
          original_type: resourceType.toLowerCase(),
          algorithm: 'AEAD_AES_256_GCM',
          ciphertext: Aes.AesGcm.encrypt(JSON.stringify(resource), apiV3Key, nonce, associatedData),
          associated_data: associatedData,
          nonce,
        },
      }),
    };
  }

  // ——— delivery ———

  /** Owes the merchant one notification, delivered per the transaction's knobs. */
  #notify(
    trade: Transaction,
    notifyUrl: string,
    eventType: string,
    resourceType: string,
    summary: string,
    resource: object,
  ): void {
    const { id, body } = this.envelope(eventType, resourceType, summary, resource);
    const notification: Notification = { id, eventType, url: notifyUrl, body };
    const { copies = 1, delayMs = 0, reorder = false } = trade.behaviour;
    const release = (item: Notification, afterMs: number) => {
      for (let copy = 0; copy < copies; copy++) this.#schedule(item, trade.outTradeNo, 1, afterMs);
    };
    const held = trade.held.splice(0);
    if (reorder && held.length === 0) {
      // Held until the transaction's next notification overtakes it (or a second passes).
      trade.held.push(notification);
      this.#later(
        () => {
          const index = trade.held.indexOf(notification);
          if (index >= 0) for (const item of trade.held.splice(index, 1)) release(item, 0);
        },
        Math.max(delayMs, 1000),
      );
      return;
    }
    release(notification, delayMs);
    for (const item of held) release(item, delayMs + 1);
  }

  #later(fn: () => void, ms: number): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      fn();
    }, ms);
    timer.unref();
    this.#timers.add(timer);
  }

  #schedule(notification: Notification, outTradeNo: string, attempt: number, delayMs: number): void {
    this.#later(() => void this.#deliver(notification, outTradeNo, attempt), delayMs);
  }

  async #deliver(notification: Notification, outTradeNo: string, attempt: number): Promise<void> {
    let status: number | null = null;
    try {
      const response = await (this.#options.send ?? fetchSender)({
        url: notification.url,
        headers: { 'content-type': 'application/json', ...this.signedHeaders(notification.body) },
        body: notification.body,
        signal: AbortSignal.timeout(5_000),
      });
      status = response.status;
    } catch {
      status = null;
    }
    this.attempts.push({
      notificationId: notification.id,
      eventType: notification.eventType,
      outTradeNo,
      attempt,
      status,
      at: new Date(),
    });
    if (status !== null && status >= 200 && status < 300) return;
    if (attempt >= WECHATPAY_NOTIFICATION_TRIES) return;
    const delay = (WECHATPAY_RETRY_DELAYS_MS[attempt] ?? 0) * (this.#options.retryScale ?? 1);
    this.#options.log?.info(
      { notificationId: notification.id, attempt, status },
      'wechatpay emulator: notification not accepted; will retry',
    );
    this.#schedule(notification, outTradeNo, attempt + 1, delay);
  }

  // ——— HTTP ———

  /** Adds the emulator's routes to `app` (registered under WECHATPAY_EMULATOR_PREFIX). */
  async mount(app: FastifyInstance): Promise<void> {
    // Signatures cover the exact bytes: the body is read raw.
    app.addContentTypeParser(
      ['application/json', 'application/x-www-form-urlencoded'],
      { parseAs: 'string', bodyLimit: 64 * 1024 },
      (_r, body, done) => done(null, body),
    );
    app.addHook('onClose', async () => this.stop());
    const api =
      (handler: (request: FastifyRequest, body: Record<string, unknown>) => Record<string, unknown> | null) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        const raw = typeof request.body === 'string' ? request.body : '';
        try {
          this.verifyRequest(request.method, request.url, raw, request.headers.authorization);
          const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
          const answer = handler(request, body);
          const text = answer === null ? '' : JSON.stringify(answer);
          reply.headers(this.signedHeaders(text));
          if (answer === null) return reply.code(204).send();
          return reply.type('application/json').send(text);
        } catch (err) {
          const failure =
            err instanceof ApiError ? err : new ApiError(400, 'PARAM_ERROR', 'malformed request');
          const text = JSON.stringify({ code: failure.code, message: failure.message });
          return reply
            .code(failure.status)
            .headers(this.signedHeaders(text))
            .type('application/json')
            .send(text);
        }
      };
    const raw = Type.Optional(Type.String());
    const tradeParams = Type.Object({ outTradeNo: Type.String({ maxLength: 64 }) });
    const hide = { hide: true };
    for (const channel of ['jsapi', 'h5', 'native'] as const)
      app.post(
        `/v3/pay/transactions/${channel}`,
        { schema: { ...hide, body: raw } },
        api((_r, body) =>
          this.#prepay(channel === 'native' ? 'NATIVE' : channel === 'h5' ? 'H5' : 'JSAPI', body),
        ),
      );
    app.get(
      '/v3/pay/transactions/out-trade-no/:outTradeNo',
      { schema: { ...hide, params: tradeParams, querystring: Type.Object({ mchid: Type.String() }) } },
      api((request) =>
        this.#query(
          (request.params as { outTradeNo: string }).outTradeNo,
          (request.query as { mchid: string }).mchid,
        ),
      ),
    );
    app.post(
      '/v3/pay/transactions/out-trade-no/:outTradeNo/close',
      { schema: { ...hide, params: tradeParams, body: raw } },
      api((request, body) => {
        this.#close((request.params as { outTradeNo: string }).outTradeNo, body.mchid);
        return null;
      }),
    );
    app.post(
      '/v3/refund/domestic/refunds',
      { schema: { ...hide, body: raw } },
      api((_r, body) => this.#refund(body)),
    );

    // The payer's side and the test knobs: not WeChat's API, so unsigned.
    const control =
      (fn: (outTradeNo: string, body: Record<string, unknown>) => object) =>
      async (request: FastifyRequest, reply: FastifyReply) => {
        try {
          const json = request.headers['content-type']?.startsWith('application/json');
          const raw = json && typeof request.body === 'string' && request.body ? request.body : '{}';
          return reply.send(fn((request.params as { outTradeNo: string }).outTradeNo, JSON.parse(raw)));
        } catch (err) {
          const failure =
            err instanceof ApiError ? err : new ApiError(400, 'PARAM_ERROR', 'malformed request');
          return reply.code(failure.status).send({ code: failure.code, message: failure.message });
        }
      };
    app.post(
      '/control/transactions/:outTradeNo/pay',
      { schema: { ...hide, params: tradeParams, body: raw } },
      control((outTradeNo, body) => {
        const trade = this.pay(outTradeNo, { evenIfClosed: body.evenIfClosed === true });
        return { out_trade_no: trade.outTradeNo, trade_state: trade.state };
      }),
    );
    app.post(
      '/control/transactions/:outTradeNo/behaviour',
      { schema: { ...hide, params: tradeParams, body: raw } },
      control((outTradeNo, body) => this.setBehaviour(outTradeNo, body as WechatpayEmulatorBehaviour)),
    );
    app.get('/checkout/:outTradeNo', { schema: { ...hide, params: tradeParams } }, async (request, reply) => {
      const trade = this.#transactions.get((request.params as { outTradeNo: string }).outTradeNo);
      if (!trade) return reply.code(404).type('text/plain').send('no such transaction');
      const yuan = `${Math.floor(trade.totalFen / 100)}.${String(trade.totalFen % 100).padStart(2, '0')}`;
      return reply.type('text/html; charset=utf-8').send(
        `<!doctype html><html lang="zh-CN"><meta name="viewport" content="width=device-width"><title>WeChat Pay emulator</title>
<h1>WeChat Pay emulator (${trade.channel})</h1><p>${escapeHtml(trade.description)}</p><p>¥${yuan} · ${escapeHtml(trade.state)}</p>
<form method="post" action="${WECHATPAY_EMULATOR_PREFIX}/control/transactions/${escapeHtml(trade.outTradeNo)}/pay"><button>Pay</button></form></html>`,
      );
    });
  }
}

/** The emulator as a Fastify plugin (app.ts registers it in development and tests only). */
export const wechatpayEmulatorRoutes: FastifyPluginAsync<{ emulator: WechatpayEmulator }> = async (
  app,
  { emulator },
) => emulator.mount(app);
