/**
 * Repair requests (报修): the consumer files one with the order link's token
 * (JSON or multipart with photos), and the manufacturer's service desk works
 * the queue. The API stores what the consumer entered and starts
 * ClaimWorkflow; every desk action is a workflow Update, answered
 * synchronously, that the workflow's activities record.
 *
 * Roles: any member of the manufacturer reads the queue, claims and photos;
 * deciding, recording a repair and closing need the approver or admin role,
 * because they commit the manufacturer's money (like approving a plan).
 */

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CLAIM_NUMBER_PATTERN } from '../../domain/claim-rules.ts';
import { CLAIM_STATUSES, REPAIR_OUTCOMES } from '../../domain/entities/claim.entity.ts';
import type { ClaimPhoto } from '../../domain/entities/index.ts';
import { notFound } from '../../domain/errors.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { linkedOrder, openOrderLink } from '../../plugins/order-link.ts';
import {
  claimsOfOrder,
  consumerClaimView,
  deskDetail,
  deskQueue,
  photosOf,
} from '../../services/claim-view.ts';
import {
  type ClaimForm,
  claimPageUrl,
  claimPhoto,
  closeClaim,
  consumerClaim,
  decideClaim,
  deskClaim,
  fileClaim,
  recordClaimRepair,
} from '../../services/claims.ts';
import { ClaimBody, claimUploadHook, registerClaimUploads, uploadOf } from '../claim-uploads.ts';
import {
  errors,
  Fen,
  Id,
  OrderNumber,
  OrderParams,
  OrderTokenQuery,
  Pagination,
  Strict,
  StringEnum,
} from '../schemas.ts';
import { schemaProblemsOf } from '../validation.ts';

// --- response schemas (the shapes services/claim-view.ts returns) ---------------

const ClaimNumber = Type.String({ pattern: CLAIM_NUMBER_PATTERN, description: 'claim number, e.g. CL…' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

const PhotoView = Type.Object({
  id: Id,
  fileName: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  url: Type.String({ description: 'where the photo is served to whoever may see it' }),
});
const ConsumerClaimView = Type.Object({
  claimNumber: Type.String(),
  status: StringEnum(CLAIM_STATUSES),
  coverageType: Type.String(),
  faultDate: Type.String(),
  faultDescription: Type.String(),
  contactPhone: Type.String(),
  decisionReason: Nullable(Type.String()),
  outcome: Nullable(StringEnum(REPAIR_OUTCOMES)),
  repairCostFen: Nullable(Type.Integer()),
  parts: Nullable(Type.String()),
  currency: Type.String(),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  repairedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  photos: Type.Array(PhotoView),
});

const DeskClaimSummary = Type.Object({
  claimNumber: Type.String(),
  status: StringEnum(CLAIM_STATUSES),
  orderNumber: Type.String(),
  product: Type.String({ description: 'brand, name and model' }),
  coverageType: Type.String(),
  faultDate: Type.String(),
  faultDescription: Type.String(),
  photoCount: Type.Integer(),
  slaRemindersSent: Type.Integer(),
  createdAt: DateTime,
  decidedAt: Nullable(DateTime),
  repairedAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
});
const DeskClaimListItem = Type.Composite([
  DeskClaimSummary,
  Type.Object({ overdue: Type.Boolean({ description: 'waiting longer than its SLA' }) }),
]);

const DeskClaimDetail = Type.Composite([
  DeskClaimSummary,
  Type.Object({
    contactPhone: Type.String(),
    decisionReason: Nullable(Type.String()),
    repairCostFen: Nullable(Type.Integer()),
    parts: Nullable(Type.String()),
    outcome: Nullable(StringEnum(REPAIR_OUTCOMES)),
    currency: Type.String(),
    order: Type.Object({
      orderNumber: Type.String(),
      status: Type.String(),
      consumerName: Type.String(),
      serialNumber: Type.String(),
      coverageStart: Nullable(Type.String()),
      coverageEnd: Nullable(Type.String()),
      planNameZh: Type.String(),
      planNameEn: Type.String(),
    }),
    cap: Type.Object(
      { retailPriceFen: Type.Integer(), approvedFen: Type.Integer(), remainingFen: Type.Integer() },
      {
        description:
          "the claim cap: the order's approved repair costs never exceed the retail price it was sold under",
      },
    ),
    photos: Type.Array(PhotoView),
    workflowId: Type.String(),
    workflow: Nullable(
      Type.Object({ status: Type.String(), remindersSent: Type.Integer(), busy: Type.Boolean() }),
    ),
  }),
]);

// --- routes ---------------------------------------------------------------------

const OrderClaimParams = Type.Object({
  orderNumber: OrderNumber,
  claimNumber: ClaimNumber,
});
const ClaimParams = Type.Object({ claimNumber: ClaimNumber });
const PhotoParams = Type.Object({ claimNumber: ClaimNumber, photoId: Id });

/** A photo's bytes, never cached by shared caches and never sniffed into something else. */
function sendPhoto(reply: FastifyReply, photo: ClaimPhoto) {
  const extension = photo.contentType.split('/')[1] === 'jpeg' ? 'jpg' : photo.contentType.split('/')[1];
  return reply
    .type(photo.contentType)
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `inline; filename="claim-photo-${photo.id}.${extension}"`)
    .send(Buffer.from(photo.content));
}

export const claimRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config } = app.deps;
  const deps = (request: FastifyRequest) => ({ em: request.em, client, config });
  await registerClaimUploads(app);

  // --- the consumer, with the order link's token ---

  app.post(
    '/public/orders/:orderNumber/claims',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      preValidation: claimUploadHook(config.linkSecret, () => {
        throw notFound('order');
      }),
      preHandler: openOrderLink,
      schema: {
        tags: ['consumer'],
        summary:
          'File a repair request for an active order (needs the order link token); starts its ClaimWorkflow',
        consumes: ['application/json', 'multipart/form-data'],
        params: OrderParams,
        querystring: OrderTokenQuery,
        body: ClaimBody,
        response: {
          201: Type.Object({ claimNumber: Type.String(), status: Type.String(), claimUrl: Type.String() }),
          ...errors(400, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const order = linkedOrder(request);
      const claim = await fileClaim(
        deps(request),
        order,
        (request.body ?? {}) as Partial<ClaimForm>,
        uploadOf(request),
        schemaProblemsOf(request),
      );
      return reply.code(201).send({
        claimNumber: claim.claimNumber,
        status: claim.status,
        claimUrl: claimPageUrl(config.publicBaseUrl, order.orderNumber, claim.claimNumber, request.query.t),
      });
    },
  );

  app.get(
    '/public/orders/:orderNumber/claims',
    {
      preHandler: openOrderLink,
      schema: {
        tags: ['consumer'],
        summary: "An order's repair requests with their status (needs the order link token)",
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: Type.Object({ items: Type.Array(ConsumerClaimView) }), ...errors(400, 404) },
      },
    },
    async (request) => {
      const order = linkedOrder(request);
      const { claims, photos } = await claimsOfOrder(request.em, order);
      return { items: claims.map((c) => consumerClaimView(c, order, photos, request.query.t)) };
    },
  );

  app.get(
    '/public/orders/:orderNumber/claims/:claimNumber',
    {
      schema: {
        tags: ['consumer'],
        summary: 'One repair request and its photos (needs the order link token)',
        params: OrderClaimParams,
        querystring: OrderTokenQuery,
        response: { 200: ConsumerClaimView, ...errors(400, 404) },
      },
    },
    async (request) => {
      const { order, claim } = await consumerClaim(
        request.em,
        { ...request.params, token: request.query.t },
        config.linkSecret,
      );
      return consumerClaimView(claim, order, await photosOf(request.em, [claim.id]), request.query.t);
    },
  );

  app.get(
    '/public/orders/:orderNumber/claims/:claimNumber/photos/:photoId',
    {
      schema: {
        tags: ['consumer'],
        summary: "A photo of the consumer's own repair request (needs the order link token)",
        params: Type.Composite([OrderClaimParams, Type.Object({ photoId: Id })]),
        querystring: OrderTokenQuery,
        response: errors(400, 404),
      },
    },
    async (request, reply) => {
      const { claim } = await consumerClaim(
        request.em,
        { ...request.params, token: request.query.t },
        config.linkSecret,
      );
      return sendPhoto(reply, await claimPhoto(request.em, claim.id, request.params.photoId));
    },
  );

  // --- the manufacturer's service desk ---

  const DESK_ROLES = ['approver', 'admin'] as const;
  const manufacturerOf = (request: FastifyRequest) => memberOf(request).manufacturer.id;

  app.get(
    '/claims',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['claims'],
        summary:
          "The service desk's queue: your manufacturer's repair requests, by status, overdue, or searched",
        querystring: Type.Composite([
          Type.Object({
            status: Type.Optional(StringEnum(CLAIM_STATUSES)),
            overdue: Type.Optional(
              Type.Boolean({
                description: 'only claims waiting longer than their SLA (submitted or accepted)',
              }),
            ),
            q: Type.Optional(
              Type.String({
                maxLength: 64,
                description:
                  'a claim number or serial number (exactly, any case), a mobile number, or its last 4 digits',
              }),
            ),
          }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(DeskClaimListItem), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => deskQueue(request.em, manufacturerOf(request), config.claims, request.query),
  );

  app.get(
    '/claims/:claimNumber',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['claims'],
        summary: 'A repair request with its order, the claim cap, photos and the live state of its workflow',
        params: ClaimParams,
        response: { 200: DeskClaimDetail, ...errors(400, 401, 403, 404) },
      },
    },
    async (request) =>
      deskDetail(
        deps(request),
        await deskClaim(request.em, manufacturerOf(request), request.params.claimNumber),
      ),
  );

  app.get(
    '/claims/:claimNumber/photos/:photoId',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['claims'],
        summary: "A photo of one of your manufacturer's repair requests",
        params: PhotoParams,
        response: errors(400, 401, 403, 404),
      },
    },
    async (request, reply) => {
      const claim = await deskClaim(request.em, manufacturerOf(request), request.params.claimNumber);
      return sendPhoto(reply, await claimPhoto(request.em, claim.id, request.params.photoId));
    },
  );

  app.post(
    '/claims/:claimNumber/decision',
    {
      onRequest: requireMember(app, ...DESK_ROLES),
      schema: {
        tags: ['claims'],
        summary: 'Accept or reject a submitted repair request (a reason is required to reject)',
        params: ClaimParams,
        body: Strict({
          decision: StringEnum(['accept', 'reject'] as const),
          reason: Type.String({
            maxLength: 2000,
            default: '',
            description: 'why it is rejected (required to reject; the consumer reads it), or a note',
          }),
        }),
        response: { 200: DeskClaimDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      deskDetail(
        deps(request),
        await decideClaim(deps(request), manufacturerOf(request), request.params.claimNumber, {
          ...request.body,
          decidedBy: memberOf(request).user.id,
        }),
      ),
  );

  app.post(
    '/claims/:claimNumber/repair',
    {
      onRequest: requireMember(app, ...DESK_ROLES),
      schema: {
        tags: ['claims'],
        summary:
          "Record the repair of an accepted claim; refused when it would pass the claim cap (the product's retail price)",
        params: ClaimParams,
        body: Strict({
          repairCostFen: Fen('repair cost paid under the plan'),
          parts: Type.String({ maxLength: 2000, default: '', description: 'parts used' }),
          outcome: StringEnum(REPAIR_OUTCOMES, "'replaced' ends the plan"),
        }),
        response: { 200: DeskClaimDetail, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      deskDetail(
        deps(request),
        await recordClaimRepair(deps(request), manufacturerOf(request), request.params.claimNumber, {
          ...request.body,
          recordedBy: memberOf(request).user.id,
        }),
      ),
  );

  app.post(
    '/claims/:claimNumber/close',
    {
      onRequest: requireMember(app, ...DESK_ROLES),
      schema: {
        tags: ['claims'],
        summary: 'Close a repaired claim',
        params: ClaimParams,
        response: { 200: DeskClaimDetail, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request) =>
      deskDetail(
        deps(request),
        await closeClaim(deps(request), manufacturerOf(request), request.params.claimNumber, {
          closedBy: memberOf(request).user.id,
        }),
      ),
  );
};
