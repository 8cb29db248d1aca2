/**
 * The web process's Prometheus metrics (prom-client), served at /metrics behind METRICS_TOKEN.
 *
 * Which number comes from where:
 * - HTTP requests: an in-process histogram per route pattern (never the raw URL, so order numbers and
 *   tokens add no series); each web process counts its own requests and Prometheus sums them.
 * - Refused payment callbacks: an in-process counter where the refusal happens. Refusals are not
 *   stored, and only web processes refuse, so a counter reset by a restart is what `rate()` expects.
 * - Orders, claims and plans by status: read from PostgreSQL at scrape time. The events behind them
 *   happen in activities on several worker processes, are retried, and survive restarts; a count of
 *   rows is right across all of that, where in-process counters would reset or count a retry twice.
 *   A purchase started is an order row, paid is a row with `paid_at`, expired is status `expired`.
 */
import { timingSafeEqual } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { CLAIM_STATUSES } from '../domain/entities/claim.entity.ts';
import { ORDER_STATUSES } from '../domain/entities/order.entity.ts';
import { PLAN_STATUSES } from '../domain/entities/plan.entity.ts';

/** Why a payment callback was refused; a fixed set, so the label stays small. */
export type CallbackRefusal =
  | 'signature'
  | 'malformed'
  | 'other_provider'
  | 'unknown_order'
  | 'unknown_payment'
  | 'amount_mismatch';

export interface AppMetrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  callbacksRefused: Counter<'provider' | 'reason'>;
}

/**
 * Rows per status of one table; every known status is listed, so one that empties reads 0 instead
 * of keeping its last value.
 */
async function countsByStatus(orm: MikroORM, table: string, statuses: readonly string[]) {
  const rows: { status: string; count: string }[] = await orm.em
    .fork()
    .getConnection()
    .execute(`select status, count(*)::text as count from ${table} group by status`);
  const counts = new Map(statuses.map((status) => [status, 0]));
  for (const row of rows) counts.set(row.status, Number(row.count));
  return counts;
}

export function createAppMetrics(orm: MikroORM): AppMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'yanbao_http_request_duration_seconds',
    help: 'HTTP requests by method, route pattern and status code, with their duration',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const callbacksRefused = new Counter({
    name: 'yanbao_payment_callbacks_refused_total',
    help: 'Payment provider callbacks refused by this process, by provider and reason',
    labelNames: ['provider', 'reason'] as const,
    registers: [registry],
  });
  // Counted in PostgreSQL at each scrape: right across workers, restarts and activity retries.
  const byStatus = [
    [
      'yanbao_orders',
      'Orders by current status (every purchase started is one order), from the database',
      'purchase_order',
      ORDER_STATUSES,
    ],
    ['yanbao_claims', 'Repair claims by current status, from the database', 'claim', CLAIM_STATUSES],
    [
      'yanbao_plans',
      'Published plans by current status (on_sale, retired), from the database',
      'plan',
      PLAN_STATUSES,
    ],
  ] as const;
  for (const [name, help, table, statuses] of byStatus)
    new Gauge({
      name,
      help,
      labelNames: ['status'] as const,
      registers: [registry],
      async collect() {
        for (const [status, count] of await countsByStatus(orm, table, statuses)) this.set({ status }, count);
      },
    });
  new Gauge({
    name: 'yanbao_orders_paid',
    help: 'Orders ever paid (whatever their status now), from the database',
    registers: [registry],
    async collect() {
      const [row] = await orm.em
        .fork()
        .getConnection()
        .execute<{ count: string }[]>(
          'select count(*)::text as count from purchase_order where paid_at is not null',
        );
      this.set(Number(row?.count ?? 0));
    },
  });
  return { registry, httpDuration, callbacksRefused };
}

/** The route pattern a request matched (`/o/:orderNumber`), or `unmatched` for a 404 without a route. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

/** Compares the bearer token in constant time. */
function bearerMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Times every request by route and, when a token is configured, serves GET /metrics to callers that
 * send it as `Authorization: Bearer <token>`; without a token the route does not exist.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, { metrics, token }: { metrics: AppMetrics; token: string | null }) => {
    app.addHook('onResponse', async (request, reply) => {
      metrics.httpDuration.observe(
        { method: request.method, route: routeOf(request), status_code: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
    if (token === null) return;
    app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
      if (!bearerMatches(request.headers.authorization, token))
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer')
          .send({ error: 'unauthenticated', message: 'send the metrics token as a bearer token' });
      return reply
        .header('cache-control', 'no-store')
        .type(metrics.registry.contentType)
        .send(await metrics.registry.metrics());
    });
  },
  { name: 'yanbao-metrics' },
);
