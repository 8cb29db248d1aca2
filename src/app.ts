/**
 * The application as a plugin-composed Fastify instance, without listening:
 * tests build it and call `inject`; src/server.ts listens.
 */

import accepts from '@fastify/accepts';
import { AjvCompiler } from '@fastify/ajv-compiler';
import compress from '@fastify/compress';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { AppConfig } from './config.ts';
import {
  DomainError,
  errorMessage,
  FIELD_WORDS,
  invalid,
  isOutage,
  OUTAGE_MESSAGE,
  OUTAGE_RETRY_AFTER_SECONDS,
} from './domain/errors.ts';
import { MAX_UNIT_TOKEN_LENGTH } from './domain/unit-token.ts';
import { UUID } from './domain/uuid.ts';
import { fieldMessages, inWords, problemsInWords, requestLocale } from './i18n/errors.ts';
import type { Notifier } from './notifications/notifier.ts';
import { type AppMetrics, createAppMetrics, metricsPlugin } from './observability/metrics.ts';
import type { Tracing } from './observability/tracing.ts';
import { wechatpayEmulatorOf } from './payments/index.ts';
import type { PaymentProviders } from './payments/provider.ts';
import { WECHATPAY_EMULATOR_PREFIX, wechatpayEmulatorRoutes } from './payments/wechatpay.emulator.ts';
import { authPlugin } from './plugins/auth.ts';
import { orderLinkPlugin } from './plugins/order-link.ts';
import { ormPlugin } from './plugins/orm.ts';
import { sandboxPlugin } from './plugins/sandbox.ts';
import { securityPlugin } from './plugins/security.ts';
import { swaggerPlugin } from './plugins/swagger.ts';
import { apiRoutes } from './routes/api/index.ts';
import { codecRoutes } from './routes/codec.ts';
import { healthRoutes } from './routes/health.ts';
import { accountPages } from './routes/pages/account-pages.ts';
import { consumerCancellationPages } from './routes/pages/consumer-cancellation.ts';
import { consumerClaimPages } from './routes/pages/consumer-claims.ts';
import { consumerPageRoutes } from './routes/pages/consumer-pages.ts';
import { pageNotFound } from './routes/pages/error-pages.ts';
import { sandboxCheckoutRoutes } from './routes/pages/sandbox-checkout.ts';
import { webRoutes } from './routes/pages/web.ts';
import type { ErrorBody } from './routes/schemas.ts';
import { unstorableTextProblems, validationProblems } from './routes/validation.ts';
import { LandingCache } from './services/landing-cache.ts';
import { shareLandingInvalidations } from './services/landing-peers.ts';

export interface AppDeps {
  config: AppConfig;
  orm: MikroORM;
  temporal: Client;
  payments: PaymentProviders;
  notifications: Notifier;
  /** OpenTelemetry (src/observability/tracing.ts); null or absent when OTLP export is off. */
  tracing?: Tracing | null;
  /** The QR landing pages' cache; one with the default TTL when not given. */
  landingCache?: LandingCache;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    landingCache: LandingCache;
    metrics: AppMetrics;
  }
}

/**
 * How request schemas are applied. Query strings, path params and headers arrive as text, so
 * they are coerced ("50" is a limit of 50). Bodies are taken as sent: in JSON `"100"`, `[100000]`
 * and `true` are not prices; the consumer pages' form posts convert their few number fields
 * explicitly (formFields in src/routes/validation.ts).
 */
export const AJV_OPTIONS = {
  allErrors: true,
  removeAdditional: true,
  coerceTypes: 'array',
  useDefaults: true,
} as const;
export const AJV_BODY_OPTIONS = { ...AJV_OPTIONS, coerceTypes: false } as const;

type ExternalSchemas = Parameters<ReturnType<typeof AjvCompiler>>[0];
function validatorCompiler(
  externalSchemas: ExternalSchemas,
  options: typeof AJV_OPTIONS | typeof AJV_BODY_OPTIONS,
) {
  return AjvCompiler()(externalSchemas, {
    customOptions: { ...options },
    // `format: 'uuid'` is the one UUID check (src/domain/uuid.ts), not ajv-formats' looser one.
    onCreate: (ajv) => {
      ajv.addFormat('uuid', UUID);
    },
  });
}
/** Fastify's validator factory with a typed compiler for bodies; the fault suite's fuzzer judges its inputs with it. */
export function requestValidatorFactory(externalSchemas: ExternalSchemas) {
  const coercing = validatorCompiler(externalSchemas, AJV_OPTIONS);
  const typed = validatorCompiler(externalSchemas, AJV_BODY_OPTIONS);
  return (route: Parameters<typeof coercing>[0]) => (route.httpPart === 'body' ? typed : coercing)(route);
}

export async function buildApp(deps: AppDeps, options: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    schemaController: { compilersFactory: { buildValidator: requestValidatorFactory } },
    // The longest path parameter is a per-unit QR token (/u/<token>); no route has a regex parameter.
    routerOptions: { maxParamLength: MAX_UNIT_TOKEN_LENGTH },
    // TRUST_PROXY hops, never `true`: trusting every X-Forwarded-For entry would let any client name its
    // own address. Hop 0 is the connection's peer, then X-Forwarded-For from right to left; the client is
    // the first untrusted one. (Fastify takes a bare number as "trust nothing".)
    trustProxy:
      deps.config.trustProxy > 0 ? (_address: string, hop: number) => hop < deps.config.trustProxy : false,
    ...options,
  }).withTypeProvider<TypeBoxTypeProvider>();
  // First, so every hook and route runs inside the request's span.
  if (deps.tracing) await app.register(deps.tracing.fastifyPlugin());
  app.decorate('deps', deps);
  const landingCache = deps.landingCache ?? new LandingCache();
  app.decorate('landingCache', landingCache);
  // Only a server that serves requests keeps its cache in step with the others (an app used for its
  // OpenAPI document, or through inject(), opens no connection for it).
  let peers: ReturnType<typeof shareLandingInvalidations> | undefined;
  app.addHook('onListen', async () => {
    peers = shareLandingInvalidations(landingCache, deps.config.databaseUrl, app.log);
    await peers.ready;
  });
  app.addHook('onClose', async () => peers?.close());
  app.decorate('metrics', createAppMetrics(deps.orm));
  app.setErrorHandler(errorHandler);
  // Every log line of a request about one order (its pages, claims, cancellation) carries its number.
  app.addHook('onRequest', async (request, reply) => {
    const { orderNumber } = request.params as { orderNumber?: unknown };
    if (typeof orderNumber !== 'string') return;
    request.log = request.log.child({ orderNumber });
    reply.log = request.log;
  });
  app.addHook('preValidation', async (request) => {
    const problems = unstorableTextProblems([
      { context: 'body', value: request.body },
      { context: 'querystring', value: request.query },
      { context: 'params', value: request.params },
    ]);
    if (problems.length > 0) throw invalid(problems);
  });
  // A person who follows a bad link gets a page; API clients keep their JSON error.
  app.setNotFoundHandler((request, reply) =>
    request.url.startsWith('/api/')
      ? reply.code(404).send({
          error: 'not_found',
          ...inWords(
            requestLocale(request, 'en'),
            errorMessage('notFound.route', { method: request.method, url: request.url }),
          ),
        })
      : pageNotFound(request, reply),
  );
  await app.register(compress, { threshold: 1024 });
  // request.languages(): the consumer pages pick zh or en from Accept-Language.
  await app.register(accepts);
  await app.register(securityPlugin, { config: deps.config });
  await app.register(swaggerPlugin);
  await app.register(ormPlugin, { orm: deps.orm });
  await app.register(authPlugin);
  await app.register(orderLinkPlugin);
  await app.register(metricsPlugin, { metrics: app.metrics, token: deps.config.metricsToken });
  await app.register(healthRoutes);
  await app.register(apiRoutes, { prefix: '/api/v1' });
  // The Temporal Web UI's codec server: outside /api/v1, the UI appends /decode and /encode itself.
  await app.register(codecRoutes, { prefix: '/codec' });
  // The sandbox's free "Pay" button exists only where the sandbox is on (never plain production).
  if (deps.config.payments.sandbox !== 'off') {
    await app.register(sandboxPlugin);
    await app.register(sandboxCheckoutRoutes);
  }
  const wechatpayEmulator = wechatpayEmulatorOf(deps.payments);
  if (wechatpayEmulator && deps.config.env !== 'production')
    await app.register(wechatpayEmulatorRoutes, {
      emulator: wechatpayEmulator,
      prefix: WECHATPAY_EMULATOR_PREFIX,
    });
  await app.register(consumerPageRoutes);
  await app.register(consumerClaimPages);
  await app.register(consumerCancellationPages);
  await app.register(accountPages);
  await app.register(webRoutes);
  return app;
}

/** Yanbao's codes for the framework's and plugins' own refusals (never `FST_…`). */
const PLUGIN_CODES: Readonly<Record<string, string>> = {
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
};
const STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
};

/** One place maps errors to HTTP: field-level 400s, typed domain errors, and 5xx that never leak internals. */
export function errorHandler(
  this: FastifyInstance,
  error: FastifyError,
  request: Parameters<Parameters<FastifyInstance['setErrorHandler']>[0]>[1],
  reply: Parameters<Parameters<FastifyInstance['setErrorHandler']>[0]>[2],
) {
  // API clients that name no language get English, as before codes existed; the portal names its own.
  const locale = requestLocale(request, 'en');
  if (error.validation) {
    const problems = validationProblems(error.validation, error.validationContext);
    const body: ErrorBody = {
      error: 'validation_failed',
      message: problemsInWords(locale, problems),
      fields: fieldMessages(locale, problems),
    };
    return reply.code(400).send(body);
  }
  if (error instanceof DomainError) {
    const body: ErrorBody = { error: error.code, ...inWords(locale, error.detail) };
    if (error.detail.code === FIELD_WORDS.code) body.message = problemsInWords(locale, error.fields);
    if (error.fields.length > 0) body.fields = fieldMessages(locale, error.fields);
    return reply.code(error.status).send(body);
  }
  const status = error.statusCode ?? 500;
  if (status < 500) {
    const code = (error.code && PLUGIN_CODES[error.code]) ?? STATUS_CODES[status] ?? 'bad_request';
    // The framework's and plugins' own words (a body too large, a bad content type) are English only.
    return reply.code(status).send({ error: code, message: error.message });
  }
  // PostgreSQL or Temporal down: a retry shortly will work, so say so instead of a 500.
  if (isOutage(error)) {
    request.log.warn({ err: error }, 'dependency unavailable');
    return reply
      .code(503)
      .header('retry-after', String(OUTAGE_RETRY_AFTER_SECONDS))
      .send({ error: 'service_unavailable', ...inWords(locale, OUTAGE_MESSAGE) });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ error: 'internal_error', ...inWords(locale, errorMessage('internal')) });
}
