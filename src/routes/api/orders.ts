/**
 * The manufacturer's orders (issue 14 §1): the list with filters, searches and
 * cursor pagination, one order in full with the holder's phone masked, and the
 * logged reveal of that phone. Every query is scoped to the signed-in user's
 * manufacturer; another manufacturer's order is not found (404).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type TSchema, Type } from '@sinclair/typebox';
import { COVERAGE_TYPES } from '../../domain/catalog.ts';
import { CANCELLATION_STATUSES } from '../../domain/entities/cancellation.entity.ts';
import { CLAIM_STATUSES, REPAIR_OUTCOMES } from '../../domain/entities/claim.entity.ts';
import { ORDER_STATUSES, PAYMENT_PROVIDERS } from '../../domain/entities/order.entity.ts';
import { PAYMENT_STATUSES } from '../../domain/entities/payment.entity.ts';
import { REFUND_REASONS } from '../../domain/entities/refund.entity.ts';
import { maskPhone } from '../../domain/phone.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { orderDetail, revealPhone } from '../../services/order-detail.ts';
import { LISTED_ORDER_STATUSES, searchOrders } from '../../services/order-search.ts';
import {
  CursorPage,
  errors,
  Fen,
  Id,
  IsoDate,
  NextCursor,
  OrderNumber,
  OrderParams,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Instant = Type.String({ format: 'date-time' });
const Day = Type.String({ format: 'date' });

const OrderListQuery = Strict({
  planId: Type.Optional(Id),
  productId: Type.Optional(Id),
  status: Type.Optional(StringEnum(LISTED_ORDER_STATUSES, 'status of the paid order')),
  paidFrom: Type.Optional({ ...IsoDate, description: 'paid on or after this day (China time)' }),
  paidTo: Type.Optional({ ...IsoDate, description: 'paid on or before this day (China time)' }),
  orderNumber: Type.Optional(OrderNumber),
  serialNumber: Type.Optional(Text(100, 'serial number of the unit, exactly (case-insensitive)')),
  phone: Type.Optional(
    Type.String({
      minLength: 4,
      maxLength: 20,
      description: "the holder's mobile number, or its last 4 digits",
    }),
  ),
  name: Type.Optional(Text(100, "the start of the holder's name (case-insensitive)")),
  ...CursorPage,
});

const OrderListItem = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  planId: Id,
  planVersion: Type.Integer({ description: 'the number of the plan version this order bought' }),
  productId: Id,
  holderName: Type.String(),
  phoneMasked: Type.String({ description: 'e.g. +86139****5678' }),
  serialNumber: Type.String(),
  amountFen: Fen('what was paid'),
  currency: Type.String(),
  paidAt: Instant,
  coverageStart: Nullable(Day),
  coverageEnd: Nullable(Day),
});

const OrderDetail = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(ORDER_STATUSES),
  createdAt: Instant,
  paidAt: Nullable(Instant),
  expiredAt: Nullable(Instant),
  cancelledAt: Nullable(Instant),
  endedAt: Nullable(Instant),
  amountFen: Fen('what the order costs'),
  currency: Type.String(),
  paymentProvider: StringEnum(PAYMENT_PROVIDERS),
  holder: Type.Object({
    name: Type.String(),
    phoneMasked: Type.String({ description: 'the full number only through POST …/phone-reveal' }),
  }),
  unit: Type.Object({
    serialNumber: Type.String(),
    productPurchaseDate: Day,
    retailPriceFen: Fen('retail price as sold, the claim cap'),
    currency: Type.String(),
    baseWarrantyMonths: Type.Integer(),
  }),
  coverage: Type.Object({ start: Nullable(Day), end: Nullable(Day) }),
  plan: Type.Object({ id: Id, code: Type.String(), nameZh: Type.String(), nameEn: Type.String() }),
  planVersion: Type.Object(
    {
      version: Type.Integer({ minimum: 1 }),
      termMonths: Type.Integer(),
      priceFen: Fen('price of the version'),
      currency: Type.String(),
      coolingOffDays: Type.Integer(),
      coverageTypes: Type.Array(StringEnum(COVERAGE_TYPES)),
      publishedAt: Instant,
    },
    { description: 'the version of the plan this order bought (its terms are frozen with it)' },
  ),
  product: Type.Object({ id: Id, brand: Type.String(), name: Type.String(), model: Type.String() }),
  payments: Type.Array(
    Type.Object({
      provider: StringEnum(PAYMENT_PROVIDERS),
      providerPaymentId: Type.String(),
      amountFen: Fen('amount'),
      currency: Type.String(),
      status: StringEnum(PAYMENT_STATUSES),
      createdAt: Instant,
      capturedAt: Nullable(Instant),
    }),
  ),
  refunds: Type.Array(
    Type.Object({
      reason: StringEnum(REFUND_REASONS),
      amountFen: Fen('amount refunded'),
      currency: Type.String(),
      providerRefundId: Type.String(),
      createdAt: Instant,
    }),
  ),
  claims: Type.Array(
    Type.Object({
      claimNumber: Type.String(),
      status: StringEnum(CLAIM_STATUSES),
      coverageType: StringEnum(COVERAGE_TYPES),
      faultDate: Day,
      repairCostFen: Nullable(Fen('repair cost recorded')),
      outcome: Nullable(StringEnum(REPAIR_OUTCOMES)),
      createdAt: Instant,
    }),
  ),
  cancellation: Nullable(
    Type.Object({
      status: StringEnum(CANCELLATION_STATUSES),
      withinCoolingOff: Type.Boolean(),
      approvedClaimsFen: Fen('approved repair costs deducted'),
      refundFen: Fen('refund'),
      reason: Nullable(Type.String()),
      requestedAt: Instant,
      refundedAt: Nullable(Instant),
    }),
  ),
  phoneReveals: Type.Array(Type.Object({ userEmail: Nullable(Type.String()), revealedAt: Instant }), {
    description: 'the latest 20 reveals of the full phone number, newest first',
  }),
});

export const orderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/orders',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['orders'],
        summary:
          "Your manufacturer's paid orders, newest first, by cursor: filters (plan, product, status, paid days) " +
          'and searches (order number, serial, phone or its last 4 digits, start of the name) combine',
        querystring: OrderListQuery,
        response: {
          200: Type.Object({ items: Type.Array(OrderListItem), nextCursor: NextCursor }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const { items, nextCursor } = await searchOrders(request.em, {
        ...request.query,
        manufacturerId: memberOf(request).manufacturer.id,
      });
      return {
        items: items.map(({ order: o, planVersion }) => ({
          orderNumber: o.orderNumber,
          status: o.status,
          planId: o.plan,
          planVersion,
          productId: o.product,
          holderName: o.consumerName,
          phoneMasked: maskPhone(o.consumerPhone),
          serialNumber: o.serialNumber,
          amountFen: o.amountFen,
          currency: o.currency,
          paidAt: (o.paidAt as Date).toISOString(),
          coverageStart: o.coverageStart ?? null,
          coverageEnd: o.coverageEnd ?? null,
        })),
        nextCursor,
      };
    },
  );

  app.get(
    '/orders/:orderNumber',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['orders'],
        summary:
          'One of your orders: holder (phone masked), coverage, the plan version bought, payments, refunds, claims, cancellation',
        params: OrderParams,
        response: { 200: OrderDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) => orderDetail(request.em, memberOf(request).manufacturer.id, request.params.orderNumber),
  );

  app.post(
    '/orders/:orderNumber/phone-reveal',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['orders'],
        summary: "The holder's full phone number; who asked and when is recorded first",
        params: OrderParams,
        response: {
          200: Type.Object({ orderNumber: Type.String(), phone: Type.String(), revealedAt: Instant }),
          ...errors(400, 401, 403, 404),
        },
      },
    },
    async (request) => {
      const member = memberOf(request);
      return revealPhone(
        request.em,
        { manufacturerId: member.manufacturer.id, userId: member.user.id },
        request.params.orderNumber,
      );
    },
  );
};
