import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { COVER_STATUSES } from '../../domain/cover-status.ts';
import { PAYMENT_PROVIDERS } from '../../domain/entities/order.entity.ts';
import { formatFen } from '../../domain/money.ts';
import { VERIFICATION_CODE_PATTERN } from '../../domain/order-links.ts';
import { PUBLIC_CODE_PATTERN } from '../../domain/public-code.ts';
import { MAX_UNIT_TOKEN_LENGTH } from '../../domain/unit-token.ts';
import { linkedOrder, openOrderLink } from '../../plugins/order-link.ts';
import { verifyCertificate } from '../../services/certificate-verification.ts';
import { OrderViewSchema, orderView } from '../../services/order-view.ts';
import { coveragePreview, submitRegistration } from '../../services/registration.ts';
import {
  errors,
  IsoDate,
  MobilePhone,
  OrderNumber,
  OrderParams,
  OrderTokenQuery,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';

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

const CoveragePreviewQuery = Strict({
  productPurchaseDate: IsoDate,
  lang: Type.Optional(
    StringEnum(['zh', 'en'], 'language of error messages; else Accept-Language, else English'),
  ),
});
const CoveragePreview = Type.Object({
  planCode: Type.String(),
  productPurchaseDate: Type.String({ format: 'date' }),
  quotedOn: Type.String({
    format: 'date',
    description: 'today in China: the registration day the dates assume',
  }),
  baseWarrantyEnd: Type.String({ format: 'date', description: "last day of the manufacturer's warranty" }),
  coverageStart: Type.String({ format: 'date', description: 'first covered day' }),
  coverageEnd: Type.String({ format: 'date', description: 'last covered day (inclusive)' }),
  termDays: Type.Integer({ description: "days of the whole window the plan's start rule gives" }),
  coveredDays: Type.Integer({ description: 'days bought: fewer than termDays when the cover has started' }),
  fullPriceFen: Type.Integer({ description: 'the plan price, integer fen' }),
  amountFen: Type.Integer({
    description: 'what this registration costs: pro-rated when the cover has started',
  }),
  amountText: Type.String({ description: 'amountFen written as money, e.g. ¥299.00' }),
  currency: Type.String(),
});
const VerificationParams = Type.Object({
  orderNumber: OrderNumber,
  code: Type.String({
    pattern: VERIFICATION_CODE_PATTERN,
    description: 'the code printed on the certificate',
  }),
});
const Nullable = <T extends ReturnType<typeof Type.String>>(schema: T) => Type.Union([schema, Type.Null()]);
export const CertificateVerificationView = Type.Object({
  orderNumber: Type.String(),
  status: StringEnum(COVER_STATUSES, 'the cover today'),
  coverageStart: Nullable(Type.String({ format: 'date' })),
  coverageEnd: Nullable(Type.String({ format: 'date' })),
  terminatedOn: Nullable(
    Type.String({ format: 'date', description: 'China date it was cancelled or ended' }),
  ),
  plan: Type.Object({ nameZh: Type.String(), nameEn: Type.String(), version: Type.Integer() }),
  product: Type.Object({ brand: Type.String(), name: Type.String(), model: Type.String() }),
  serialNumberMasked: Type.String({
    description: 'first 3 and last 4 characters of a long serial (less of a short one); the rest as *',
  }),
  checkedOn: Type.String({ format: 'date' }),
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
      const result = await submitRegistration(
        { em: request.em, client, config, payments, log: request.log },
        request.body,
      );
      return reply.code(201).send(result);
    },
  );

  app.get(
    '/public/plans/:code/coverage-preview',
    {
      config: { rateLimit: { max: 120, timeWindow: '1 minute' } },
      schema: {
        tags: ['consumer'],
        summary:
          'The dates and price a product purchase date buys under a plan if registered today; 400 on productPurchaseDate when it is refused',
        params: Type.Object({ code: Type.String({ pattern: PUBLIC_CODE_PATTERN }) }),
        querystring: CoveragePreviewQuery,
        response: { 200: CoveragePreview, ...errors(400, 404, 429) },
      },
    },
    async (request) => {
      // A refusal is in the language of ?lang= (the live landing page's), which the error handler reads.
      const { productPurchaseDate } = request.query;
      const { offer, quotedOn, currency, fullPriceFen } = await coveragePreview(
        request.em,
        request.params.code,
        productPurchaseDate,
      );
      const { baseWarrantyEnd, coverageStart, coverageEnd, termDays, coveredDays, amountFen } = offer;
      return {
        planCode: request.params.code,
        productPurchaseDate,
        quotedOn,
        baseWarrantyEnd,
        coverageStart,
        coverageEnd,
        termDays,
        coveredDays,
        fullPriceFen,
        amountFen,
        amountText: formatFen(amountFen, currency),
        currency,
      };
    },
  );

  app.get(
    '/public/orders/:orderNumber',
    {
      preHandler: openOrderLink,
      schema: {
        tags: ['consumer'],
        summary: "An order's status and purchase steps (needs the order link's token)",
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: OrderViewSchema, ...errors(400, 404) },
      },
    },
    async (request, reply) => {
      const order = linkedOrder(request);
      // The holder's order, serial and link token: never kept by a browser or a proxy.
      reply.header('cache-control', 'no-store');
      return orderView(request.em, client, order);
    },
  );

  app.get(
    '/public/certificates/:orderNumber/:code',
    {
      config: { rateLimit: { max: 60, timeWindow: '1 minute' } },
      schema: {
        tags: ['consumer'],
        summary:
          "Check a warranty certificate by its verification code: the cover's status and dates, read-only, no personal data",
        params: VerificationParams,
        response: { 200: CertificateVerificationView, ...errors(400, 404, 429) },
      },
    },
    async (request, reply) => {
      const { orderNumber, code } = request.params;
      reply.header('cache-control', 'no-store');
      return verifyCertificate(request.em, orderNumber, code, config.linkSecret);
    },
  );
};

export const newIdempotencyKey = () => randomUUID().replaceAll('-', '');
