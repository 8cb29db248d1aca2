import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PAYMENT_PROVIDERS } from '../domain/entities/order.entity.ts';
import { ORDER_NUMBER_PATTERN } from '../domain/order-links.ts';
import { PUBLIC_CODE_PATTERN } from '../domain/public-code.ts';
import { MAX_UNIT_TOKEN_LENGTH } from '../domain/unit-token.ts';
import { orderByLink, orderView } from '../services/order-view.ts';
import { submitRegistration } from '../services/registration.ts';
import { errors, IsoDate, MobilePhone, Strict, StringEnum, Text } from './schemas.ts';

export const RegistrationBody = Strict({
  planCode: Type.String({
    pattern: PUBLIC_CODE_PATTERN,
    description: 'the public plan code from the QR code',
  }),
  unitToken: Type.Optional(
    Type.String({ minLength: 10, maxLength: MAX_UNIT_TOKEN_LENGTH, description: 'from a per-unit QR code' }),
  ),
  consumerName: Text(100),
  consumerPhone: MobilePhone,
  serialNumber: Type.Optional(Type.String({ maxLength: 100 })),
  productPurchaseDate: IsoDate,
  paymentProvider: StringEnum(PAYMENT_PROVIDERS),
  idempotencyKey: Type.String({
    minLength: 16,
    maxLength: 64,
    pattern: '^[A-Za-z0-9_-]+$',
    description: 'random per form; resubmitting the same key never creates a second order',
  }),
});

const OrderParams = Type.Object({ orderNumber: Type.String({ pattern: ORDER_NUMBER_PATTERN }) });
const TokenQuery = Type.Object({
  t: Type.String({ minLength: 10, maxLength: 64, description: 'access token from the order link' }),
});

/** The consumer's purchase API: the same registration the QR landing page submits, and order status. */
export const publicOrderRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config, payments } = app.deps;

  app.post(
    '/public/orders',
    {
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: {
        tags: ['consumer'],
        summary: 'Register a unit and start paying for a plan (idempotent per idempotencyKey)',
        body: RegistrationBody,
        response: {
          201: Type.Object({ orderNumber: Type.String(), payUrl: Type.String(), orderUrl: Type.String() }),
          ...errors(400, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const result = await submitRegistration({ em: request.em, client, config, payments }, request.body);
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/public/orders/:orderNumber',
    {
      schema: {
        tags: ['consumer'],
        summary: "An order's status and purchase steps (needs the order link's token)",
        params: OrderParams,
        querystring: TokenQuery,
        response: { 200: Type.Unknown(), ...errors(400, 404) },
      },
    },
    async (request) => {
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
      return orderView(request.em, client, order);
    },
  );
};

export const newIdempotencyKey = () => randomUUID().replaceAll('-', '');
