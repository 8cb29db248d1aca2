/**
 * A manufacturer's sales statistics (patent module 10): the dashboard's
 * figures, the daily rows behind them and the orders themselves as CSV, and
 * the charting library the dashboard page draws with. Every query filters by
 * the signed-in user's manufacturer; any of its users may read them.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { addDays, chinaDate, compareDates, daysBetween } from '../../domain/coverage.ts';
import { MainProduct, Plan } from '../../domain/entities/index.ts';
import { fieldProblem, invalid, notFound } from '../../domain/errors.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import {
  attachRates,
  dailyRowsCsv,
  GRANULARITIES,
  MAX_RANGE_DAYS,
  manufacturerStatistics,
  ordersCsv,
  paidWithinMs,
  type StatisticsQuery,
} from '../../services/statistics.ts';
import { errors, Fen, FenTotal, Id, IsoDate, Strict, StringEnum } from '../schemas.ts';

/** Without `from`/`to`: the last 30 days up to today (China time). */
const DEFAULT_DAYS = 30;

const Query = Strict({
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  granularity: Type.Optional(StringEnum(GRANULARITIES, 'bucket of the series: day, ISO week or month')),
  planId: Type.Optional(Id),
  productId: Type.Optional(Id),
});

const Count = (description: string) => Type.Integer({ minimum: 0, description });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Signed = (description: string) => Type.Integer({ description: `${description}, integer fen` });

const measures = {
  orders: Count('orders paid'),
  revenueFen: FenTotal('revenue of the orders paid'),
  cancellations: Count('orders cancelled'),
  refundsFen: FenTotal('money refunded for cancellations'),
  claims: Count('repair requests filed'),
  approvedClaims: Count('repair requests with a recorded repair cost'),
  claimCostFen: FenTotal('repair cost recorded'),
};
const ClaimsRate = Nullable(Type.Number({ description: 'claims ÷ orders; null without orders' }));
const figures = {
  ...measures,
  netRevenueFen: Signed('revenue minus refunds'),
  claimsRate: ClaimsRate,
  averageRepairCostFen: Nullable(Fen('repair cost ÷ approved claims')),
};

const StatisticsView = Type.Object({
  from: IsoDate,
  to: IsoDate,
  granularity: Type.String(),
  today: Type.String({
    format: 'date',
    description: 'the day computed live; earlier days come from the roll-up',
  }),
  currency: Type.String(),
  generatedAt: Type.String({ format: 'date-time' }),
  totals: Type.Object(figures),
  series: Type.Array(
    Type.Object({
      period: Type.String({ description: 'first day of the bucket' }),
      ...measures,
      claimsRate: ClaimsRate,
    }),
  ),
  byPlan: Type.Array(
    Type.Object({
      planId: Id,
      code: Type.String(),
      nameZh: Type.String(),
      nameEn: Type.String(),
      productId: Id,
      status: Type.String(),
      ...figures,
    }),
  ),
  byProduct: Type.Array(
    Type.Object({
      productId: Id,
      brand: Type.String(),
      name: Type.String(),
      model: Type.String(),
      ...figures,
    }),
  ),
});

const AttachRates = Type.Object({
  items: Type.Array(
    Type.Object({
      planId: Id,
      unitsIssued: Count('units with a per-unit QR code for the plan'),
      attachedUnits: Count('of those, units with an active, cancelled or ended order for the plan'),
      attachRate: Nullable(Type.Number({ description: 'attachedUnits ÷ unitsIssued' })),
    }),
  ),
});

/** The browser (UMD) build of Chart.js, next to its CommonJS entry in node_modules (not in its exports map). */
const CHART_JS = join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');

export const statisticsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const readOptions = () => ({ paidWithinMs: paidWithinMs(config) });

  /** The validated query with defaults, for the signed-in manufacturer; a plan or product of another answers 404. */
  async function statisticsQuery(
    request: FastifyRequest,
    query: {
      from?: string;
      to?: string;
      granularity?: StatisticsQuery['granularity'];
      planId?: string;
      productId?: string;
    },
  ): Promise<StatisticsQuery> {
    const manufacturerId = memberOf(request).manufacturer.id;
    const to = query.to ?? (query.from ? addDays(query.from, DEFAULT_DAYS - 1) : chinaDate(new Date()));
    const from = query.from ?? addDays(to, -(DEFAULT_DAYS - 1));
    if (compareDates(from, to) > 0) throw invalid([fieldProblem('querystring.from', 'fromAfterTo')]);
    if (daysBetween(from, to) + 1 > MAX_RANGE_DAYS)
      throw invalid([fieldProblem('querystring.from', 'rangeTooLong', { max: MAX_RANGE_DAYS })]);
    if (query.planId && !(await request.em.count(Plan, { id: query.planId, manufacturer: manufacturerId })))
      throw notFound('plan');
    if (
      query.productId &&
      !(await request.em.count(MainProduct, { id: query.productId, manufacturer: manufacturerId }))
    )
      throw notFound('mainProduct');
    return {
      manufacturerId,
      from,
      to,
      granularity: query.granularity ?? 'day',
      planId: query.planId,
      productId: query.productId,
    };
  }

  const fileName = (kind: string, q: StatisticsQuery) => `yanbao-${kind}-${q.from}-${q.to}.csv`;

  app.get(
    '/statistics',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['statistics'],
        summary:
          'Sales statistics of the signed-in manufacturer: totals, a series by day/week/month, figures by plan (with attach rates) and by main product',
        querystring: Query,
        response: { 200: StatisticsView, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      manufacturerStatistics(request.em, await statisticsQuery(request, request.query), readOptions()),
  );

  app.get(
    '/statistics/attach-rates',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['statistics'],
        summary:
          'Attach rates of the plans with per-unit QR codes (all time): units issued, units with an active, cancelled or ended order',
        querystring: Strict({ planId: Type.Optional(Id), productId: Type.Optional(Id) }),
        response: { 200: AttachRates, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const q = await statisticsQuery(request, request.query);
      return { items: await attachRates(request.em, q) };
    },
  );

  app.get(
    '/statistics/daily.csv',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['statistics'],
        summary:
          'The rows behind the dashboard as CSV: one line per day and plan with any figure (amounts in fen)',
        querystring: Query,
        response: errors(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const q = await statisticsQuery(request, request.query);
      const body = await dailyRowsCsv(request.em, q, readOptions());
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('daily', q)}"`)
        .send(body);
    },
  );

  app.get(
    '/statistics/orders.csv',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['statistics'],
        summary: 'The orders paid in the range as CSV, streamed (no consumer names or phone numbers)',
        querystring: Query,
        response: errors(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const q = await statisticsQuery(request, request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName('orders', q)}"`)
        .send(ordersCsv(request.em, q, readOptions()));
    },
  );

  // Chart.js from node_modules, for the dashboard page (no CDN: the pages' CSP allows only this origin).
  const chartJs = await readFile(CHART_JS);
  app.get('/statistics/chart.umd.min.js', { schema: { hide: true } }, (_request, reply) =>
    reply
      .type('text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=86400')
      .send(chartJs),
  );
};
