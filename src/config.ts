/**
 * Configuration from the environment, read once. Development defaults are
 * marked as such; production must set real secrets.
 */
import { randomBytes } from 'node:crypto';

export interface AppConfig {
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  /** Origin printed in QR codes and links, e.g. https://yanbao.example */
  publicBaseUrl: string;
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string; webUiUrl: string | null };
  /** Signs the CSRF secret cookie. */
  cookieSecret: string;
  sessionTtlHours: number;
  loginRateLimitPerMinute: number;
  planReview: { reminderInterval: string; draftExpiresAfter: string };
}

const DEV_COOKIE_SECRET = 'development-only-cookie-secret-change-me-in-production';

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
    cookieSecret,
    sessionTtlHours: intFromEnv('SESSION_TTL_HOURS', 12),
    loginRateLimitPerMinute: intFromEnv('LOGIN_RATE_LIMIT_PER_MINUTE', 10),
    planReview: {
      reminderInterval: process.env.PLAN_REVIEW_REMINDER ?? '24 hours',
      draftExpiresAfter: process.env.PLAN_DRAFT_EXPIRY ?? '30 days',
    },
    ...overrides,
  };
}
