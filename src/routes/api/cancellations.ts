/**
 * Cancellation and refund (issue 4): the consumer's preview and request
 * (with the order link's token), and the manufacturer's list of its
 * cancellations. The API checks everything it can before starting
 * CancellationWorkflow, so a refused request writes nothing; the workflow
 * checks again under the order's row lock.
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager, FilterQuery } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import type { Client } from '@temporalio/client';
import { cancellationRecordOf, quoteCancellation } from '../../../activities/cancellation.activities.ts';
import { CANCELLATION_ERRORS, type CancellationRecord } from '../../../workflows/cancellation.messages.ts';
import type { AppConfig } from '../../config.ts';
import { chinaDate } from '../../domain/coverage.ts';
import { CANCELLATION_STATUSES } from '../../domain/entities/cancellation.entity.ts';
import { Cancellation, Order } from '../../domain/entities/index.ts';
import { conflict, errorMessage, fieldProblem, idempotencyKeyReused, notFound } from '../../domain/errors.ts';
import { REFUND_BASES } from '../../domain/refund.ts';
import { cancellationFingerprint } from '../../domain/request-fingerprint.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { orderByLink } from '../../services/order-view.ts';
import { startCancellation } from '../../temporal/cancellation.client.ts';
import { updateRefusal } from '../../temporal/workflow-calls.ts';
import {
  errors,
  Fen,
  Id,
  OrderParams,
  OrderTokenQuery,
  Pagination,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';

export const CancellationPreview = Type.Object({
  orderNumber: Type.String(),
  quotedOn: Type.String({ format: 'date', description: 'the day (China time) the preview is for' }),
  amountFen: Type.Integer({ description: 'what was paid, integer fen' }),
  basis: StringEnum(
    REFUND_BASES,
    'cooling_off_full: the whole amount; pro_rated: proRatedFen − approvedClaimsFen, not below zero',
  ),
  withinCoolingOff: Type.Boolean(),
  coolingOffEnds: Type.String({ format: 'date', description: 'last day of the cooling-off period' }),
  totalDays: Type.Integer({ description: 'days of coverage bought' }),
  remainingDays: Type.Integer({ description: 'coverage days from today through the end, both included' }),
  proRatedFen: Type.Integer({ description: 'floor(amountFen × remainingDays / totalDays)' }),
  approvedClaimsFen: Type.Integer({ description: 'approved repair costs deducted from a pro-rated refund' }),
  refundFen: Type.Integer({ description: 'what a cancellation today refunds, integer fen' }),
  currency: Type.String(),
});
export type CancellationPreview = (typeof CancellationPreview)['static'];

const CancellationView = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(CANCELLATION_STATUSES),
  withinCoolingOff: Type.Boolean(),
  approvedClaimsFen: Type.Integer(),
  refundFen: Type.Integer(),
  currency: Type.String(),
  requestedAt: Type.String({ format: 'date-time' }),
  refundedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
});

export const CancellationBody = Strict({
  reason: Type.Optional(Text(500, 'why the consumer cancels (optional)')),
  expectedRefundFen: Type.Optional(
    Fen('the refund the consumer was shown; when it no longer holds the request is refused with 409'),
  ),
});
export type CancellationBody = (typeof CancellationBody)['static'];

/** What cancelling the order today would refund; 409 when it cannot be cancelled. */
export async function previewCancellation(
  em: EntityManager,
  order: Order,
  on = chinaDate(new Date()),
): Promise<CancellationPreview> {
  const { quote, refused } = await quoteCancellation(em, order, on);
  if (refused) throw conflict(refused.detail);
  return {
    orderNumber: order.orderNumber,
    quotedOn: on,
    amountFen: quote.amountFen,
    basis: quote.basis,
    withinCoolingOff: quote.withinCoolingOff,
    coolingOffEnds: quote.coolingOffEnds,
    totalDays: quote.totalDays,
    remainingDays: quote.remainingDays,
    proRatedFen: quote.proRatedFen,
    approvedClaimsFen: quote.approvedClaimsFen,
    refundFen: quote.refundFen,
    currency: order.currency,
  };
}

const cancellationReused = () => idempotencyKeyReused('orderNumber', errorMessage('cancellationReused'));

/**
 * Starts (or meets) the order's CancellationWorkflow with update-with-start
 * and answers with the recorded cancellation. Refusals the API can see are
 * answered before anything is started or written. The order is the
 * cancellation's idempotency key: the same request again is the recorded
 * cancellation, a different reason or confirmed refund is refused (422).
 */
export async function requestCancellation(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  order: Order,
  body: CancellationBody,
): Promise<CancellationRecord> {
  const fingerprint = cancellationFingerprint(body);
  const recorded = await deps.em.findOne(Cancellation, { order: order.id });
  if (recorded) {
    if (recorded.requestFingerprint && recorded.requestFingerprint !== fingerprint)
      throw cancellationReused();
    return cancellationRecordOf(recorded, order);
  }
  const today = chinaDate(new Date());
  const preview = await previewCancellation(deps.em, order, today);
  if (body.expectedRefundFen !== undefined && body.expectedRefundFen !== preview.refundFen)
    throw conflict(errorMessage('refundChanged'), [
      fieldProblem('expectedRefundFen', 'refundChanged', { refundFen: preview.refundFen }),
    ]);
  try {
    return await startCancellation(deps.client, deps.config, order, {
      orderNumber: order.orderNumber,
      requestedOn: today,
      reason: body.reason?.trim() || null,
      fingerprint,
    });
  } catch (err) {
    const refusal = updateRefusal(err);
    if (refusal?.type === CANCELLATION_ERRORS.idempotencyKeyReused) throw cancellationReused();
    if (refusal) throw conflict(refusal.detail ?? errorMessage('notCancellable', { status: order.status }));
    throw err;
  }
}

export const cancellationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config } = app.deps;

  app.get(
    '/public/orders/:orderNumber/cancellation-preview',
    {
      schema: {
        tags: ['consumer'],
        summary: 'What cancelling the order today would refund (needs the order link token)',
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: CancellationPreview, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
      return previewCancellation(request.em, order);
    },
  );

  app.post(
    '/public/orders/:orderNumber/cancellation',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['consumer'],
        summary:
          'Cancel the order: the refund is computed now and frozen, paid back through the payment provider ' +
          '(CancellationWorkflow); a repeated request is the same cancellation',
        params: OrderParams,
        querystring: OrderTokenQuery,
        body: CancellationBody,
        response: { 202: CancellationView, ...errors(400, 404, 409, 422, 429) },
      },
    },
    async (request, reply) => {
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
      const record = await requestCancellation({ em: request.em, client, config }, order, request.body ?? {});
      return reply.code(202).send(record);
    },
  );

  app.get(
    '/public/orders/:orderNumber/cancellation',
    {
      schema: {
        tags: ['consumer'],
        summary: "The order's cancellation and its refund, once requested",
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: CancellationView, ...errors(400, 404) },
      },
    },
    async (request) => {
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
      const cancellation = await request.em.findOne(Cancellation, { order: order.id });
      if (!cancellation) throw notFound('cancellation');
      return cancellationRecordOf(cancellation, order);
    },
  );

  app.get(
    '/cancellations',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['cancellations'],
        summary: "Your manufacturer's cancelled orders and what they refunded, newest first",
        querystring: Type.Composite([
          Type.Object({ status: Type.Optional(StringEnum(CANCELLATION_STATUSES)) }),
          Pagination,
        ]),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Composite([
                CancellationView,
                Type.Object({
                  id: Id,
                  planId: Id,
                  amountFen: Type.Integer({ description: 'what was paid' }),
                  workflowId: Type.String(),
                }),
              ]),
            ),
            total: Type.Integer(),
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const [rows, total] = await request.em.findAndCount(
        Cancellation,
        // Tenant filter through the order (a join): cancellations carry no manufacturer of their own.
        {
          order: { manufacturer: memberOf(request).manufacturer.id },
          ...(status ? { status } : {}),
        } as FilterQuery<Cancellation>,
        { orderBy: { createdAt: 'desc', id: 'asc' }, limit, offset },
      );
      const orders = await request.em.find(Order, { id: { $in: rows.map((c) => c.order) } });
      const byId = new Map(orders.map((o) => [o.id, o]));
      return {
        items: rows.map((c) => {
          const order = byId.get(c.order) as Order;
          return {
            ...cancellationRecordOf(c, order),
            id: c.id,
            planId: order.plan,
            amountFen: order.amountFen,
            workflowId: c.workflowId,
          };
        }),
        total,
      };
    },
  );
};
