/**
 * Cancellation and refund (issue 4; services/cancellations.ts): the
 * consumer's preview and request (with the order link's token), and the
 * manufacturer's list of its cancellations.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { CANCELLATION_STATUSES } from '../../domain/entities/cancellation.entity.ts';
import { notFound } from '../../domain/errors.ts';
import { REFUND_BASES } from '../../domain/refund.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { linkedOrder, openOrderLink } from '../../plugins/order-link.ts';
import {
  cancellationOf,
  cancellationRecordOf,
  previewCancellation,
  requestCancellation,
} from '../../services/cancellations.ts';
import { searchCancellations } from '../../services/order-search.ts';
import {
  CursorPage,
  errors,
  Fen,
  Id,
  IsoDate,
  NextCursor,
  OrderParams,
  OrderTokenQuery,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';

const CancellationPreview = Type.Object({
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

const CancellationBody = Strict({
  reason: Type.Optional(Text(500, 'why the consumer cancels (optional)')),
  expectedRefundFen: Type.Optional(
    Fen('the refund the consumer was shown; when it no longer holds the request is refused with 409'),
  ),
});

export const cancellationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config } = app.deps;

  app.get(
    '/public/orders/:orderNumber/cancellation-preview',
    {
      preHandler: openOrderLink,
      schema: {
        tags: ['consumer'],
        summary: 'What cancelling the order today would refund (needs the order link token)',
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: CancellationPreview, ...errors(400, 404, 409) },
      },
    },
    async (request) => {
      const order = linkedOrder(request);
      return previewCancellation(request.em, order);
    },
  );

  app.post(
    '/public/orders/:orderNumber/cancellation',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      preHandler: openOrderLink,
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
      const order = linkedOrder(request);
      const record = await requestCancellation({ em: request.em, client, config }, order, request.body ?? {});
      return reply.code(202).send(record);
    },
  );

  app.get(
    '/public/orders/:orderNumber/cancellation',
    {
      preHandler: openOrderLink,
      schema: {
        tags: ['consumer'],
        summary: "The order's cancellation and its refund, once requested",
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: CancellationView, ...errors(400, 404) },
      },
    },
    async (request) => {
      const order = linkedOrder(request);
      const cancellation = await cancellationOf(request.em, order);
      if (!cancellation) throw notFound('cancellation');
      return cancellation;
    },
  );

  app.get(
    '/cancellations',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['cancellations'],
        summary: "Your manufacturer's cancellations and what they refunded, newest request first, by cursor",
        querystring: Strict({
          status: Type.Optional(StringEnum(CANCELLATION_STATUSES)),
          requestedFrom: Type.Optional({
            ...IsoDate,
            description: 'requested on or after this day (China time)',
          }),
          requestedTo: Type.Optional({
            ...IsoDate,
            description: 'requested on or before this day (China time)',
          }),
          ...CursorPage,
        }),
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
            nextCursor: NextCursor,
          }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { items, nextCursor } = await searchCancellations(request.em, {
        ...request.query,
        manufacturerId: memberOf(request).manufacturer.id,
      });
      return {
        items: items.map(({ cancellation: c, order }) => ({
          ...cancellationRecordOf(c, order),
          id: c.id,
          planId: order.plan,
          amountFen: order.amountFen,
          workflowId: c.workflowId,
        })),
        nextCursor,
      };
    },
  );
};
