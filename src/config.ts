/**
 * Configuration from the environment, read once. Development defaults are
 * marked as such; production must set real secrets.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type DurationText, isPositiveDuration } from './domain/duration.ts';
import { SMS_TEMPLATES, type SmsTemplate } from './domain/sms-templates.ts';
import type { PayloadKeys } from './temporal/payload-codec.ts';

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Origin printed in QR codes and links, e.g. https://yanbao.example */
  publicBaseUrl: string;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string; webUiUrl: string | null };
  /** AES-256-GCM keys of the Temporal payload codec (src/temporal/payload-codec.ts). */
  payloadKeys: PayloadKeys;
  /** Signs the CSRF secret cookie. */
  cookieSecret: string;
  sessionTtlHours: number;
  /**
   * Failed logins allowed per account (from any address) and per client address (for any account)
   * in each window, counted in PostgreSQL so every web process shares them.
   */
  loginThrottle: { accountFailures: number; addressFailures: number; windowMinutes: number };
  /**
   * How many reverse proxies in front of the app append to X-Forwarded-For: the client address is
   * the one that many hops in from the connection. 0 (the default) ignores the header.
   */
  trustProxy: number;
  planReview: { reminderInterval: DurationText; draftExpiresAfter: DurationText };
  purchase: {
    /** How long a pending order waits for its payment before it expires (e.g. "15 minutes"). */
    paymentTimeout: DurationText;
    /** How long an expired order's workflow still listens for a late payment to refund. */
    latePaymentWindow: DurationText;
  };
  claims: {
    /** How long a submitted repair request may wait for accept/reject before the service desk is reminded. */
    decisionSla: DurationText;
    /** How long an accepted repair request may wait for its repair record before the desk is reminded. */
    repairSla: DurationText;
  };
  stats: {
    /** How often the Temporal Schedule runs StatsRollupWorkflow (e.g. "1 minute"). */
    rollupEvery: DurationText;
    /** Days up to today (China time) each scheduled roll-up recomputes from the source tables. */
    rollupDays: number;
  };
  /** Signs per-unit QR tokens, order access links and idempotent order numbers. */
  linkSecret: string;
  sandbox: {
    /** HMAC key the sandbox gateway signs callbacks with. */
    signingSecret: string;
    /** Seconds a callback timestamp may be off before it counts as stale. */
    toleranceSeconds: number;
  };
  alipay: {
    appId: string | null;
    privateKey: string | null;
    alipayPublicKey: string | null;
    /** The merchant's PID (2088…): Alipay names it as seller_id in every notification for this merchant. */
    sellerId: string | null;
    gateway: string;
  };
  wechatpay: WechatpayConfig;
  payments: PaymentsConfig;
  mail: MailConfig;
  /** Aliyun SMS (dysmsapi); null: SMS goes to the log sink. */
  aliyunSms: AliyunSmsConfig | null;
  outbox: OutboxConfig;
  /** Bearer token that GET /metrics requires (METRICS_TOKEN); null serves no /metrics at all. */
  metricsToken: string | null;
}

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名) every message carries, e.g. 延保. */
  signName: string;
  /** Each SMS kind's approved template code (SMS_…). */
  templates: Record<SmsTemplate, string>;
  /** dysmsapi.aliyuncs.com unless a test points the SDK elsewhere. */
  endpoint: string;
  protocol: 'https' | 'http';
}

export interface MailConfig {
  /** nodemailer's SMTP transport as an smtp:// or smtps:// URL; null: email goes to the log sink. */
  smtpUrl: string | null;
  /** The From header, e.g. `延保平台 <noreply@yanbao.example>`. */
  from: string;
}

/** How the outbox retries a message that could not be delivered (src/notifications/notifier.ts). */
export interface OutboxConfig {
  /** Attempts before a message is marked failed for good. */
  maxAttempts: number;
  /** Delay after the first failed attempt; doubles per failure up to retryMaxSeconds. */
  retryBaseSeconds: number;
  retryMaxSeconds: number;
  /** How often the worker's relay looks for messages due again. */
  relayEverySeconds: number;
}

/**
 * WeChat Pay API v3 (src/payments/wechatpay.provider.ts). `emulator`: development and test only
 * (WECHATPAY_EMULATOR=on): the offline emulator is mounted and the provider talks to it with
 * development keys (emulatorKeysDir); the other fields are then ignored.
 */
export interface WechatpayConfig {
  mchid: string | null;
  appid: string | null;
  merchantSerial: string | null;
  privateKey: string | null;
  apiV3Key: string | null;
  /** Verification keys by serial: the WeChat Pay public key (PUB_KEY_ID_…) and/or platform certificates. */
  platformKeys: Record<string, string>;
  baseUrl: string;
  emulator: boolean;
  /**
   * With the emulator: the folder its development keys (its own and the merchant's) are shared in,
   * so the web process and the worker of one `scripts/start` sign and verify with the same ones;
   * WECHATPAY_EMULATOR_KEYS_DIR, else .data/wechatpay-emulator in development. Null: keys made at
   * start for this process alone (tests).
   */
  emulatorKeysDir: string | null;
}

/** The real providers (the sandbox gateway only simulates payments). */
export const REAL_PAYMENT_PROVIDERS = ['alipay', 'wechatpay'] as const;
export type RealPaymentProvider = (typeof REAL_PAYMENT_PROVIDERS)[number];

export interface PaymentsConfig {
  /**
   * PAYMENT_PROVIDERS without `sandbox`: the real providers offered; null (the variable unset) offers
   * every real provider whose keys are set.
   */
  real: RealPaymentProvider[] | null;
  /**
   * The sandbox gateway, its checkout routes and callback deliverer: `on` in development and test,
   * `off` in production unless SANDBOX_PAYMENTS=staging (then consumer pages carry a staging banner).
   */
  sandbox: 'on' | 'off' | 'staging';
}

const DEV_COOKIE_SECRET = 'development-only-cookie-secret-change-me-in-production';
const DEV_LINK_SECRET = 'development-only-link-secret-change-me-in-production';
const DEV_SANDBOX_SECRET = 'development-only-sandbox-signing-secret';

/** A secret from the environment; development and test fall back to a marked default. */
function secretFromEnv(name: string, env: AppConfig['env'], devDefault: string): string {
  const value = process.env[name] ?? (env === 'production' ? '' : devDefault);
  if (value.length < 32) throw new Error(`${name} must be set to at least 32 characters in production`);
  return value;
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer`);
  return value;
}

export function loadConfig(overrides: Partial<AppConfig> = {}): AppConfig {
  const env = (process.env.NODE_ENV ?? 'development') as AppConfig['env'];
  if (!['development', 'test', 'production'].includes(env)) throw new Error(`unknown NODE_ENV ${env}`);
  if (env === 'production') {
    const problems = productionProblems(process.env);
    if (problems.length > 0)
      throw new Error(`refusing to start in production:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const payments = paymentsFromEnv(process.env, env);
  const durations = durationsFromEnv(process.env);
  const port = intFromEnv('PORT', 3000);
  const cookieSecret =
    process.env.COOKIE_SECRET ??
    (env === 'production' ? '' : env === 'test' ? randomBytes(32).toString('hex') : DEV_COOKIE_SECRET);
  if (cookieSecret.length < 32)
    throw new Error('COOKIE_SECRET must be set to at least 32 characters in production');
  return {
    env,
    host: process.env.HOST ?? '127.0.0.1',
    port,
    publicBaseUrl: (process.env.PUBLIC_BASE_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/yanbao',
    temporal: {
      address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
      namespace: process.env.TEMPORAL_NAMESPACE ?? 'default',
      taskQueue: process.env.TEMPORAL_TASK_QUEUE ?? 'yanbao',
      webUiUrl: process.env.TEMPORAL_WEB_URL ?? null,
    },
    payloadKeys: payloadKeysFromEnv(env),
    cookieSecret,
    sessionTtlHours: intFromEnv('SESSION_TTL_HOURS', 12),
    loginThrottle: {
      accountFailures: intFromEnv('LOGIN_FAILURES_PER_ACCOUNT', 5),
      addressFailures: intFromEnv('LOGIN_FAILURES_PER_ADDRESS', 50),
      windowMinutes: intFromEnv('LOGIN_THROTTLE_MINUTES', 15),
    },
    trustProxy: intFromEnv('TRUST_PROXY', 0),
    planReview: {
      reminderInterval: durations.PLAN_REVIEW_REMINDER,
      draftExpiresAfter: durations.PLAN_DRAFT_EXPIRY,
    },
    purchase: {
      paymentTimeout: durations.PAYMENT_TIMEOUT,
      latePaymentWindow: durations.LATE_PAYMENT_WINDOW,
    },
    claims: {
      decisionSla: durations.CLAIM_DECISION_SLA,
      repairSla: durations.CLAIM_REPAIR_SLA,
    },
    stats: {
      rollupEvery: durations.STATS_ROLLUP_EVERY,
      rollupDays: intFromEnv('STATS_ROLLUP_DAYS', 3),
    },
    linkSecret: secretFromEnv('LINK_SECRET', env, DEV_LINK_SECRET),
    sandbox: {
      // Production without the staging sandbox never signs a sandbox callback, so needs no key.
      signingSecret:
        env === 'production' && payments.sandbox === 'off'
          ? ''
          : secretFromEnv('SANDBOX_SIGNING_SECRET', env, DEV_SANDBOX_SECRET),
      toleranceSeconds: intFromEnv('SANDBOX_TOLERANCE_SECONDS', 300),
    },
    alipay: alipayFromEnv(),
    wechatpay: wechatpayFromEnv(process.env, env),
    payments,
    mail: mailFromEnv(process.env),
    aliyunSms: aliyunSmsFromEnv(process.env),
    outbox: {
      maxAttempts: Math.max(1, intFromEnv('OUTBOX_MAX_ATTEMPTS', 8)),
      retryBaseSeconds: intFromEnv('OUTBOX_RETRY_SECONDS', 30),
      retryMaxSeconds: intFromEnv('OUTBOX_RETRY_MAX_SECONDS', 3600),
      relayEverySeconds: Math.max(1, intFromEnv('OUTBOX_RELAY_SECONDS', 10)),
    },
    metricsToken: process.env.METRICS_TOKEN || null,
    ...overrides,
  };
}

/**
 * SMTP_URL (smtp:// or smtps://, user and password in it) or SMTP_HOST with SMTP_PORT (587;
 * 465 means TLS from the start), SMTP_USER and SMTP_PASS; neither: email goes to the log.
 */
export function mailFromEnv(source: Env): MailConfig {
  const from = source.MAIL_FROM || '延保 Yanbao <noreply@localhost>';
  const url = source.SMTP_URL?.trim();
  if (url) {
    if (!URL.canParse(url) || !['smtp:', 'smtps:'].includes(new URL(url).protocol))
      throw new Error('SMTP_URL must be an smtp:// or smtps:// URL');
    return { smtpUrl: url, from };
  }
  const host = source.SMTP_HOST?.trim();
  if (!host) return { smtpUrl: null, from };
  const port = Number(source.SMTP_PORT || 587);
  if (!Number.isSafeInteger(port) || port < 1 || port > 65535)
    throw new Error('SMTP_PORT must be a port number');
  const user = source.SMTP_USER ?? '';
  const auth = user ? `${encodeURIComponent(user)}:${encodeURIComponent(source.SMTP_PASS ?? '')}@` : '';
  return { smtpUrl: `${port === 465 ? 'smtps' : 'smtp'}://${auth}${host}:${port}`, from };
}

const ALIYUN_SMS_KEYS = ['ALIYUN_SMS_ACCESS_KEY_ID', 'ALIYUN_SMS_ACCESS_KEY_SECRET', 'ALIYUN_SMS_SIGN_NAME'];

/** What is wrong with the Aliyun SMS settings: all of them or none. */
function aliyunSmsProblems(source: Env): string[] {
  const set = [...ALIYUN_SMS_KEYS, 'ALIYUN_SMS_TEMPLATES'].filter((name) => source[name]?.trim());
  if (set.length === 0) return [];
  const problems = ALIYUN_SMS_KEYS.filter((name) => !source[name]?.trim()).map(
    (name) => `${name} must be set when Aliyun SMS is configured`,
  );
  const templates = smsTemplateCodes(source.ALIYUN_SMS_TEMPLATES ?? '');
  const missing = SMS_TEMPLATES.filter((name) => !templates.has(name));
  if (missing.length > 0)
    problems.push(
      `ALIYUN_SMS_TEMPLATES must map every SMS kind to its template code (name:SMS_…, comma-separated); missing: ${missing.join(', ')}`,
    );
  return problems;
}

function smsTemplateCodes(raw: string): Map<string, string> {
  const codes = new Map<string, string>();
  for (const entry of raw.split(',')) {
    const [name, code] = entry.split(':').map((part) => part.trim());
    if (name && code) codes.set(name, code);
  }
  return codes;
}

/** ALIYUN_SMS_*: the access key, signature and template codes; none set sends SMS to the log. */
export function aliyunSmsFromEnv(source: Env): AliyunSmsConfig | null {
  const problems = aliyunSmsProblems(source);
  if (problems.length > 0) throw new Error(problems.join('; '));
  if (!source.ALIYUN_SMS_ACCESS_KEY_ID?.trim()) return null;
  const codes = smsTemplateCodes(source.ALIYUN_SMS_TEMPLATES ?? '');
  const endpoint = source.ALIYUN_SMS_ENDPOINT?.trim() || 'https://dysmsapi.aliyuncs.com';
  if (!URL.canParse(endpoint) || !['http:', 'https:'].includes(new URL(endpoint).protocol))
    throw new Error('ALIYUN_SMS_ENDPOINT must be an http(s) URL');
  const url = new URL(endpoint);
  return {
    accessKeyId: source.ALIYUN_SMS_ACCESS_KEY_ID.trim(),
    accessKeySecret: source.ALIYUN_SMS_ACCESS_KEY_SECRET?.trim() ?? '',
    signName: source.ALIYUN_SMS_SIGN_NAME?.trim() ?? '',
    templates: Object.fromEntries(SMS_TEMPLATES.map((name) => [name, codes.get(name) ?? ''])) as Record<
      SmsTemplate,
      string
    >,
    endpoint: url.host,
    protocol: url.protocol === 'http:' ? 'http' : 'https',
  };
}

/** An Alipay PID: 2088 and twelve more digits. */
export const ALIPAY_PID = /^2088\d{12}$/;

/**
 * Alipay's settings; the seller id is required as soon as any key is set, since without it a
 * notification for another merchant's trade cannot be told apart.
 */
function alipayFromEnv(): AppConfig['alipay'] {
  const alipay = {
    appId: process.env.ALIPAY_APP_ID || null,
    privateKey: process.env.ALIPAY_PRIVATE_KEY || null,
    alipayPublicKey: process.env.ALIPAY_PUBLIC_KEY || null,
    sellerId: process.env.ALIPAY_SELLER_ID || null,
    gateway: process.env.ALIPAY_GATEWAY ?? 'https://openapi.alipay.com/gateway.do',
  };
  const configured = alipay.appId || alipay.privateKey || alipay.alipayPublicKey;
  if (configured && !ALIPAY_PID.test(alipay.sellerId ?? ''))
    throw new Error(
      'ALIPAY_SELLER_ID must be set to the merchant PID (2088 and 12 digits) when Alipay is configured',
    );
  return alipay;
}

const WECHATPAY_MCHID = /^\d{8,12}$/;
const WECHATPAY_APPID = /^wx[0-9a-zA-Z]{16}$/;
const WECHATPAY_SERIAL = /^[0-9A-Fa-f]{8,40}$/;
const WECHATPAY_PUBLIC_KEY_ID = /^PUB_KEY_ID_[0-9A-Za-z]{1,64}$/;
const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Everything wrong with the WeChat Pay variables once any of them is set, each naming its variable. */
export function wechatpayProblems(source: Env): string[] {
  const names = [
    'WECHATPAY_MCHID',
    'WECHATPAY_APPID',
    'WECHATPAY_MERCHANT_SERIAL',
    'WECHATPAY_PRIVATE_KEY',
    'WECHATPAY_API_V3_KEY',
  ] as const;
  const any =
    names.some((name) => source[name]) ||
    source.WECHATPAY_PUBLIC_KEY ||
    source.WECHATPAY_PLATFORM_CERTIFICATES;
  if (!any) return [];
  const problems: string[] = [];
  for (const name of names)
    if (!source[name]) problems.push(`${name} must be set when WeChat Pay is configured`);
  if (source.WECHATPAY_MCHID && !WECHATPAY_MCHID.test(source.WECHATPAY_MCHID))
    problems.push('WECHATPAY_MCHID must be the merchant number (8–12 digits)');
  if (source.WECHATPAY_APPID && !WECHATPAY_APPID.test(source.WECHATPAY_APPID))
    problems.push('WECHATPAY_APPID must be the AppID (wx and 16 letters or digits)');
  if (source.WECHATPAY_MERCHANT_SERIAL && !WECHATPAY_SERIAL.test(source.WECHATPAY_MERCHANT_SERIAL))
    problems.push('WECHATPAY_MERCHANT_SERIAL must be the merchant API certificate serial (hex)');
  if (source.WECHATPAY_API_V3_KEY && Buffer.byteLength(source.WECHATPAY_API_V3_KEY) !== 32)
    problems.push('WECHATPAY_API_V3_KEY must be the 32-byte APIv3 key');
  if (source.WECHATPAY_PRIVATE_KEY && !source.WECHATPAY_PRIVATE_KEY.includes('PRIVATE KEY-----'))
    problems.push('WECHATPAY_PRIVATE_KEY must be the PEM merchant API private key (apiclient_key.pem)');
  const publicKeySet = Boolean(source.WECHATPAY_PUBLIC_KEY || source.WECHATPAY_PUBLIC_KEY_ID);
  if (publicKeySet && !WECHATPAY_PUBLIC_KEY_ID.test(source.WECHATPAY_PUBLIC_KEY_ID ?? ''))
    problems.push('WECHATPAY_PUBLIC_KEY_ID must be the WeChat Pay public key ID (PUB_KEY_ID_…)');
  if (publicKeySet && !source.WECHATPAY_PUBLIC_KEY?.includes('PUBLIC KEY-----'))
    problems.push('WECHATPAY_PUBLIC_KEY must be the PEM WeChat Pay public key');
  if (!publicKeySet && !source.WECHATPAY_PLATFORM_CERTIFICATES)
    problems.push(
      'WECHATPAY_PUBLIC_KEY_ID and WECHATPAY_PUBLIC_KEY (or WECHATPAY_PLATFORM_CERTIFICATES) must be set: without them no answer or notification can be verified',
    );
  const baseUrl = source.WECHATPAY_BASE_URL;
  if (baseUrl && (!URL.canParse(baseUrl) || new URL(baseUrl).protocol !== 'https:'))
    problems.push(`WECHATPAY_BASE_URL must be an https URL (got ${baseUrl})`);
  return problems;
}

/** Beside the embedded database and Temporal's data of `scripts/start` (src/start.ts). */
const DEV_WECHATPAY_EMULATOR_KEYS_DIR = fileURLToPath(
  new URL('../.data/wechatpay-emulator', import.meta.url),
);

/** WeChat Pay's settings (refused unless complete and well-formed once any is set). */
export function wechatpayFromEnv(source: Env, env: AppConfig['env']): WechatpayConfig {
  const emulator = source.WECHATPAY_EMULATOR === 'on';
  if (emulator && env === 'production')
    throw new Error('WECHATPAY_EMULATOR is for development and tests only; unset it in production');
  const problems = emulator ? [] : wechatpayProblems(source);
  if (problems.length > 0)
    throw new Error(`bad WeChat Pay settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  const platformKeys: Record<string, string> = {};
  if (source.WECHATPAY_PUBLIC_KEY_ID && source.WECHATPAY_PUBLIC_KEY)
    platformKeys[source.WECHATPAY_PUBLIC_KEY_ID] = source.WECHATPAY_PUBLIC_KEY.replaceAll('\\n', '\n');
  for (const pem of source.WECHATPAY_PLATFORM_CERTIFICATES?.replaceAll('\\n', '\n').match(PEM_CERTIFICATE) ??
    [])
    platformKeys[new X509Certificate(pem).serialNumber] = pem;
  return {
    mchid: source.WECHATPAY_MCHID || null,
    appid: source.WECHATPAY_APPID || null,
    merchantSerial: source.WECHATPAY_MERCHANT_SERIAL || null,
    privateKey: source.WECHATPAY_PRIVATE_KEY?.replaceAll('\\n', '\n') || null,
    apiV3Key: source.WECHATPAY_API_V3_KEY || null,
    platformKeys,
    baseUrl: source.WECHATPAY_BASE_URL || 'https://api.mch.weixin.qq.com/',
    emulator,
    emulatorKeysDir: !emulator
      ? null
      : source.WECHATPAY_EMULATOR_KEYS_DIR ||
        (env === 'development' ? DEV_WECHATPAY_EMULATOR_KEYS_DIR : null),
  };
}

/** Development and test only: a fixed key so the worker, web process and tests read each other's payloads. */
const DEV_PAYLOAD_KEY_ID = 'development-only';
const DEV_PAYLOAD_KEY = createHash('sha256').update('development-only-payload-key-change-me').digest();

/**
 * PAYLOAD_KEYS = "id1:base64key,id2:base64key" (32-byte keys); PAYLOAD_KEY_ID picks the one new
 * payloads are encrypted with (the first by default); every listed key still decrypts, so a key
 * rotates by adding the new one in front and keeping the old one listed while old histories live.
 */
export function payloadKeysFromEnv(
  env: AppConfig['env'],
  vars: NodeJS.ProcessEnv = process.env,
): PayloadKeys {
  const raw = vars.PAYLOAD_KEYS ?? '';
  if (raw.trim() === '') {
    if (env === 'production') throw new Error('PAYLOAD_KEYS must be set in production');
    return { currentKeyId: DEV_PAYLOAD_KEY_ID, keys: new Map([[DEV_PAYLOAD_KEY_ID, DEV_PAYLOAD_KEY]]) };
  }
  const keys = new Map<string, Buffer>();
  for (const entry of raw.split(',')) {
    const [id, encoded, ...rest] = entry.trim().split(':');
    const key = Buffer.from(encoded ?? '', 'base64');
    if (!id || rest.length > 0 || key.length !== 32)
      throw new Error('PAYLOAD_KEYS must list id:base64key pairs with 32-byte keys, separated by commas');
    if (keys.has(id)) throw new Error(`PAYLOAD_KEYS lists key id "${id}" twice`);
    keys.set(id, key);
  }
  const currentKeyId = vars.PAYLOAD_KEY_ID || [...keys.keys()][0] || '';
  if (!keys.has(currentKeyId))
    throw new Error(`PAYLOAD_KEY_ID "${currentKeyId}" is not listed in PAYLOAD_KEYS`);
  return { currentKeyId, keys };
}

type Env = Readonly<Record<string, string | undefined>>;

/** Every duration setting with its default; workflows receive the text, as written, in their input. */
const DURATION_DEFAULTS = {
  PLAN_REVIEW_REMINDER: '24 hours',
  PLAN_DRAFT_EXPIRY: '30 days',
  PAYMENT_TIMEOUT: '15 minutes',
  LATE_PAYMENT_WINDOW: '7 days',
  CLAIM_DECISION_SLA: '2 days',
  CLAIM_REPAIR_SLA: '10 days',
  STATS_ROLLUP_EVERY: '1 minute',
} as const;

/**
 * The duration settings, each checked now: a typo would otherwise surface only when a workflow
 * or the schedule first reads it, hours into a purchase or a claim. One error names every bad one.
 */
export function durationsFromEnv(source: Env): Record<keyof typeof DURATION_DEFAULTS, DurationText> {
  const durations: Record<keyof typeof DURATION_DEFAULTS, DurationText> = { ...DURATION_DEFAULTS };
  const problems: string[] = [];
  for (const name of Object.keys(DURATION_DEFAULTS) as (keyof typeof DURATION_DEFAULTS)[]) {
    const value = source[name];
    if (value === undefined || value === '') continue;
    if (isPositiveDuration(value)) durations[name] = value;
    else
      problems.push(`${name} must be a positive duration such as "15 minutes" or "2 days", not "${value}"`);
  }
  if (problems.length > 0)
    throw new Error(`bad duration settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return durations;
}

/** PAYMENT_PROVIDERS as names, or null when unset. */
function providerList(source: Env): string[] | null {
  const raw = source.PAYMENT_PROVIDERS?.trim();
  return raw
    ? raw
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean)
    : null;
}

/** Which providers are offered; production's refusals are in productionProblems. */
export function paymentsFromEnv(source: Env, env: AppConfig['env']): PaymentsConfig {
  const list = providerList(source);
  const unknown = list?.filter((name) => name !== 'sandbox' && !isRealProvider(name)) ?? [];
  if (unknown.length > 0) throw new Error(`PAYMENT_PROVIDERS names unknown providers: ${unknown.join(', ')}`);
  const staging = source.SANDBOX_PAYMENTS === 'staging';
  const sandboxListed = list ? list.includes('sandbox') : env !== 'production' || staging;
  return {
    real: list ? list.filter(isRealProvider) : null,
    sandbox: !sandboxListed ? 'off' : env === 'production' ? (staging ? 'staging' : 'off') : 'on',
  };
}

function isRealProvider(name: string): name is RealPaymentProvider {
  return (REAL_PAYMENT_PROVIDERS as readonly string[]).includes(name);
}

const LOCAL_HOSTS = /^(localhost|.*\.localhost|127\.\d+\.\d+\.\d+|\[::1?\]|0\.0\.0\.0)$/i;

/**
 * Everything wrong with a production environment, each naming its variable, so one failed start
 * lists them all. Pure over the environment object.
 */
export function productionProblems(source: Env): string[] {
  const problems: string[] = [];
  for (const name of ['COOKIE_SECRET', 'LINK_SECRET']) {
    if ((source[name] ?? '').length < 32) problems.push(`${name} must be set to at least 32 characters`);
  }
  const base = source.PUBLIC_BASE_URL;
  const url = base && URL.canParse(base) ? new URL(base) : null;
  if (!base) problems.push('PUBLIC_BASE_URL must be set to the https origin printed in QR codes');
  else if (url?.protocol !== 'https:') problems.push(`PUBLIC_BASE_URL must be an https origin (got ${base})`);
  else if (LOCAL_HOSTS.test(url.hostname))
    problems.push(
      `PUBLIC_BASE_URL must not point at this machine (${url.hostname}): QR codes are printed on boxes`,
    );

  const sandboxMode = source.SANDBOX_PAYMENTS;
  if (sandboxMode !== undefined && sandboxMode !== '' && sandboxMode !== 'staging')
    problems.push(`SANDBOX_PAYMENTS may only be "staging" (got ${sandboxMode})`);
  const staging = sandboxMode === 'staging';
  const list = providerList(source);
  const unknown = list?.filter((name) => name !== 'sandbox' && !isRealProvider(name)) ?? [];
  if (unknown.length > 0) problems.push(`PAYMENT_PROVIDERS names unknown providers: ${unknown.join(', ')}`);
  if (list?.includes('sandbox') && !staging)
    problems.push(
      'PAYMENT_PROVIDERS lists sandbox, which production offers only with SANDBOX_PAYMENTS=staging',
    );
  const alipaySet = Boolean(source.ALIPAY_APP_ID && source.ALIPAY_PRIVATE_KEY && source.ALIPAY_PUBLIC_KEY);
  if (list?.includes('alipay') && !alipaySet)
    problems.push(
      'PAYMENT_PROVIDERS lists alipay, but ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY and ALIPAY_PUBLIC_KEY are not all set',
    );
  const alipayAny = source.ALIPAY_APP_ID || source.ALIPAY_PRIVATE_KEY || source.ALIPAY_PUBLIC_KEY;
  if (alipayAny && !ALIPAY_PID.test(source.ALIPAY_SELLER_ID ?? ''))
    problems.push(
      'ALIPAY_SELLER_ID must be set to the merchant PID (2088 and 12 digits) when Alipay is configured',
    );
  if (source.WECHATPAY_EMULATOR)
    problems.push('WECHATPAY_EMULATOR is for development and tests only; unset it in production');
  const wechatpayIssues = wechatpayProblems(source);
  problems.push(...wechatpayIssues);
  const wechatpaySet = Boolean(source.WECHATPAY_MCHID) && wechatpayIssues.length === 0;
  if (list?.includes('wechatpay') && !source.WECHATPAY_MCHID)
    problems.push('PAYMENT_PROVIDERS lists wechatpay, but the WECHATPAY_* variables are not set');
  const realOffered =
    (alipaySet && (list === null || list.includes('alipay'))) ||
    (wechatpaySet && (list === null || list.includes('wechatpay')));
  if (!realOffered && !staging)
    problems.push(
      'PAYMENT_PROVIDERS: no real payment provider is configured (set ALIPAY_APP_ID, ALIPAY_PRIVATE_KEY, ALIPAY_PUBLIC_KEY and ALIPAY_SELLER_ID, or the WECHATPAY_* variables)',
    );
  // Without SMTP, email goes to the log (recorded as such): consumers' messages are SMS, and what
  // manufacturers are emailed (reminders, notices, sale confirmations) is also in their portal.
  const smtpSet = Boolean(source.SMTP_URL?.trim() || source.SMTP_HOST?.trim());
  if (smtpSet && !source.MAIL_FROM)
    problems.push('MAIL_FROM must be set to the sender address when SMTP is configured');
  if (source.SMTP_URL?.trim() && !/^smtps?:\/\/./.test(source.SMTP_URL.trim()))
    problems.push('SMTP_URL must be an smtp:// or smtps:// URL');
  // Consumers hear from Yanbao only by SMS: without it a buyer gets no confirmation and phone
  // lookup cannot send its code. A staging deployment (no real money) may leave them in the log.
  const smsProblems = aliyunSmsProblems(source);
  problems.push(...smsProblems);
  if (!staging && !source.ALIYUN_SMS_ACCESS_KEY_ID?.trim() && smsProblems.length === 0)
    problems.push(
      'ALIYUN_SMS_ACCESS_KEY_ID, ALIYUN_SMS_ACCESS_KEY_SECRET, ALIYUN_SMS_SIGN_NAME and ALIYUN_SMS_TEMPLATES must be set: without SMS, buyers get no confirmation and no lookup code',
    );
  if (staging && (source.SANDBOX_SIGNING_SECRET ?? '').length < 32)
    problems.push(
      'SANDBOX_SIGNING_SECRET must be set to at least 32 characters when SANDBOX_PAYMENTS=staging',
    );
  const metricsToken = source.METRICS_TOKEN;
  if (metricsToken && metricsToken.length < 32)
    problems.push('METRICS_TOKEN must be at least 32 characters (or unset, which serves no /metrics)');
  return problems;
}
