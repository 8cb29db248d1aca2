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

import { createHmac, randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { type Static, Type } from '@sinclair/typebox';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { FastifyReply, FastifyRequest, FastifySchemaValidationError } from 'fastify';
import {
  CLAIM_ERRORS,
  type ClaimProgress,
  claimProgressQuery,
  claimWorkflowId,
  closeUpdate,
  decideUpdate,
  recordRepairUpdate,
} from '../../../workflows/claim.messages.ts';
import type { AppConfig } from '../../config.ts';
import {
  CLAIM_NUMBER_PATTERN,
  type ClaimFacts,
  claimableCoverageTypes,
  claimProblems,
  cleanFileName,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  orderClaimability,
  photoProblems,
  photoTypeOf,
  remainingCapFen,
  type UploadedPhoto,
} from '../../domain/claim-rules.ts';
import { chinaDate } from '../../domain/coverage.ts';
import { CLAIM_STATUSES, REPAIR_OUTCOMES } from '../../domain/entities/claim.entity.ts';
import { Claim, ClaimPhoto, MainProduct, Order, Plan, PlanVersion } from '../../domain/entities/index.ts';
import {
  conflict,
  DomainError,
  errorMessage,
  FIELD_WORDS,
  type FieldProblem,
  fieldProblem,
  idempotencyKeyReused,
  invalid,
  notFound,
  rejected,
} from '../../domain/errors.ts';
import { verifyOrderAccessToken } from '../../domain/order-links.ts';
import { normalizeMobile } from '../../domain/phone.ts';
import { claimFingerprint } from '../../domain/request-fingerprint.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { orderByLink } from '../../services/order-view.ts';
import { startClaimWorkflow } from '../../temporal/claim.client.ts';
import { queryIfExists, updateRefusal } from '../../temporal/workflow-calls.ts';
import {
  CoverageTypeSchema,
  errors,
  Fen,
  Id,
  IsoDate,
  MobilePhone,
  OrderNumber,
  OrderParams,
  OrderTokenQuery,
  Pagination,
  Strict,
  StringEnum,
  Text,
} from '../schemas.ts';
import { validationProblems } from '../validation.ts';

// --- claim numbers and the workflow --------------------------------------------

const BASE32 = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/**
 * "CL" + 16 characters (80 bits) from the order and the random key of the
 * consumer's form: the same submission is always the same claim, and nobody
 * can guess another consumer's claim number.
 */
export function claimNumberFor(orderNumber: string, idempotencyKey: string, secret: string): string {
  const bytes = createHmac('sha256', secret).update(`claim-number:${orderNumber}:${idempotencyKey}`).digest();
  let out = 'CL';
  for (let i = 0; i < 16; i++) out += BASE32[(bytes[i] as number) % 32];
  return out;
}

export const newClaimKey = () => randomUUID().replaceAll('-', '');

export const claimProgress = (client: Client, claimNumber: string): Promise<ClaimProgress | null> =>
  queryIfExists(client, claimWorkflowId(claimNumber), claimProgressQuery);

/** Maps a workflow's refusal (validator or activity) to the HTTP-facing domain error. */
function translate(err: unknown): never {
  const refusal = updateRefusal(err);
  switch (refusal?.type) {
    case CLAIM_ERRORS.wrongStage:
      throw conflict(errorMessage('claimWrongStage'));
    case CLAIM_ERRORS.invalidInput:
      throw invalid(refusal.fields, FIELD_WORDS);
    case CLAIM_ERRORS.capExceeded:
      throw rejected('claim_cap_exceeded', errorMessage('claimCap'), refusal.fields);
    case CLAIM_ERRORS.missing:
      throw notFound('claim');
  }
  if (err instanceof WorkflowNotFoundError) throw conflict(errorMessage('claimNotOpen'));
  throw err;
}

// --- filing a claim (consumer) ------------------------------------------------

export const ClaimBody = Strict(
  {
    faultDescription: Text(2000, 'what is wrong with the product'),
    faultDate: IsoDate,
    contactPhone: MobilePhone,
    coverageType: CoverageTypeSchema,
    idempotencyKey: Type.String({
      minLength: 16,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_-]+$',
      description: 'random per form; resubmitting the same key never files a second claim',
    }),
  },
  `As JSON, or as multipart/form-data with the same fields plus up to ${MAX_PHOTOS} "photos" files (JPEG, PNG or WebP, ${MAX_PHOTO_BYTES / 1024 / 1024} MB each).`,
);
export type ClaimForm = Static<typeof ClaimBody>;

interface ClaimUpload {
  photos: UploadedPhoto[];
  /** Files beyond MAX_PHOTOS, counted but not kept. */
  extra: number;
  problems: FieldProblem[];
}
const uploads = new WeakMap<FastifyRequest, ClaimUpload>();
const NO_UPLOAD: ClaimUpload = { photos: [], extra: 0, problems: [] };
export const uploadOf = (request: FastifyRequest): ClaimUpload => uploads.get(request) ?? NO_UPLOAD;

/** Files beyond this are refused by the parser itself (413); up to it they are counted and named. */
const MAX_FILE_PARTS = MAX_PHOTOS + 6;

/** Registers multipart parsing in the calling plugin's scope only. */
export async function registerClaimUploads(app: Parameters<FastifyPluginAsyncTypebox>[0]) {
  await app.register(multipart, {
    limits: { fileSize: MAX_PHOTO_BYTES, files: MAX_FILE_PARTS, fields: 20, fieldSize: 16_384, parts: 40 },
    throwFileSizeLimit: false,
  });
}

/**
 * A preValidation hook for the routes that file a claim: the order link's
 * token is checked before any upload is read (an unauthorised upload is never
 * buffered), then a multipart body becomes the fields for the schema and the
 * photos for photoProblems. Oversized files are cut at the limit and named.
 * A query without a well-formed token is a 400 naming it, as on every route
 * that takes one; a well-formed token that does not open the order is onBadLink.
 */
export function claimUploadHook(
  secret: string,
  onBadLink: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | Promise<FastifyReply>,
) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const validateQuery = request.getValidationFunction('querystring');
    if (validateQuery && !validateQuery(request.query))
      throw invalid(validationProblems(validateQuery.errors ?? [], 'querystring'));
    const { orderNumber } = request.params as { orderNumber?: string };
    const { t } = (request.query ?? {}) as { t?: unknown };
    if (!orderNumber || typeof t !== 'string' || !verifyOrderAccessToken(orderNumber, t, secret))
      return onBadLink(request, reply);
    if (!request.isMultipart()) return;
    const fields: Record<string, string> = {};
    const upload: ClaimUpload = { photos: [], extra: 0, problems: [] };
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          fields[part.fieldname] = typeof part.value === 'string' ? part.value : JSON.stringify(part.value);
          continue;
        }
        const keep = part.fieldname === 'photos' && upload.photos.length < MAX_PHOTOS;
        const chunks: Buffer[] = [];
        for await (const chunk of part.file) if (keep) chunks.push(chunk as Buffer);
        // A file input left empty still sends a part without a name or content.
        if (part.fieldname !== 'photos' || (part.filename === '' && (!keep || chunks.length === 0))) continue;
        if (!keep) {
          upload.extra++;
          continue;
        }
        upload.photos.push({
          fileName: cleanFileName(part.filename),
          declaredType: part.mimetype,
          bytes: Buffer.concat(chunks),
          truncated: part.file.truncated,
        });
      }
    } catch (err) {
      const code = (err as { code?: string }).code;
      // More files than the parser takes: photoProblems names it like any other count over the limit.
      if (code === 'FST_FILES_LIMIT') upload.extra++;
      else if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT')
        upload.problems.push(fieldProblem('body', 'tooManyParts'));
      else if ((err as { statusCode?: number }).statusCode !== undefined) throw err;
      // The parser's own complaints (no boundary, a cut-off or garbled part) are the sender's fault.
      else throw invalid([fieldProblem('body', 'notMultipart')]);
    }
    request.body = fields;
    uploads.set(request, upload);
  };
}

/** Schema problems of a request validated with attachValidation. */
export function schemaProblemsOf(request: FastifyRequest): FieldProblem[] {
  const error = request.validationError as
    | (Error & { validation?: FastifySchemaValidationError[]; validationContext?: string })
    | undefined;
  return error?.validation ? validationProblems(error.validation, error.validationContext) : [];
}

export interface ClaimDeps {
  em: EntityManager;
  client: Client;
  config: AppConfig;
}

/**
 * Checks a repair request completely (schema problems, photos, the phone, the
 * fault date against the coverage window, the coverage type against the
 * plan's clauses), then stores it with its photos and starts its workflow.
 * Bad input is refused with every problem named and nothing written.
 */
export async function fileClaim(
  { em, client, config }: ClaimDeps,
  order: Order,
  form: Partial<ClaimForm>,
  upload: ClaimUpload,
  schemaProblems: FieldProblem[],
): Promise<Claim> {
  const notClaimable = orderClaimability(order.status);
  if (notClaimable) throw conflict(notClaimable);
  const version = await em.findOneOrFail(PlanVersion, { id: order.planVersion });
  const facts: ClaimFacts = {
    orderStatus: order.status,
    coverageStart: order.coverageStart ?? null,
    coverageEnd: order.coverageEnd ?? null,
    paidOn: order.paidAt ? chinaDate(order.paidAt) : null,
    rule: version.coverageStartRule,
    claimableTypes: claimableCoverageTypes(version.clauses),
    today: chinaDate(new Date()),
  };
  const flagged = new Set(schemaProblems.map((p) => p.field));
  const phone = typeof form.contactPhone === 'string' ? normalizeMobile(form.contactPhone) : null;
  const malformed = [
    ...schemaProblems,
    ...(flagged.has('contactPhone') || phone ? [] : [fieldProblem('contactPhone', 'phone')]),
    ...upload.problems,
    ...photoProblems(upload.photos, upload.extra),
  ];
  const notCovered = claimProblems(
    { faultDate: String(form.faultDate ?? ''), coverageType: String(form.coverageType ?? '') },
    facts,
  ).filter((p) => !flagged.has(p.field));
  // A malformed request is a 400 naming every problem; a well-formed one the plan does not cover, a 422.
  if (malformed.length > 0 || !phone) throw invalid([...malformed, ...notCovered]);
  const valid = form as ClaimForm;

  const claimNumber = claimNumberFor(order.orderNumber, valid.idempotencyKey, config.linkSecret);
  const fingerprint = claimFingerprint({
    faultDescription: valid.faultDescription,
    faultDate: valid.faultDate,
    contactPhone: phone,
    coverageType: valid.coverageType,
    photos: upload.photos.map((p) => p.bytes),
  });
  /** The claim this key already filed, unless it was filed with a different form. */
  const sameRequest = (claim: Claim) => {
    if (claim.requestFingerprint && claim.requestFingerprint !== fingerprint) throw idempotencyKeyReused();
    return claim;
  };
  const existing = await em.findOne(Claim, { claimNumber });
  if (existing) {
    // The same form sent again (a double tap, a retried request): the same claim.
    sameRequest(existing);
    if (existing.status === 'submitted') await startClaimWorkflow(client, config, existing, order);
    return existing;
  }
  // After the key's check: a key reused with another form is that, whatever the new form says.
  if (notCovered.length > 0) throw rejected('claim_not_covered', errorMessage('claimNotCovered'), notCovered);
  const claim = em.create(Claim, {
    id: randomUUID(),
    claimNumber,
    order: order.id,
    manufacturer: order.manufacturer,
    faultDescription: valid.faultDescription.trim(),
    faultDate: valid.faultDate,
    contactPhone: phone,
    coverageType: valid.coverageType,
    workflowId: claimWorkflowId(claimNumber),
    requestFingerprint: fingerprint,
  });
  for (const photo of upload.photos)
    em.create(ClaimPhoto, {
      claim: claim.id,
      fileName: photo.fileName,
      contentType: photoTypeOf(photo.bytes) as string,
      sizeBytes: photo.bytes.length,
      content: Buffer.from(photo.bytes),
    });
  try {
    await em.flush();
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    // The same key raced itself: its claim is there now, filed by whichever form came first.
    const raced = await em.fork().findOne(Claim, { claimNumber });
    if (!raced) throw err;
    return sameRequest(raced);
  }
  try {
    await startClaimWorkflow(client, config, claim, order);
  } catch (err) {
    // Without its workflow nobody would handle the claim: take it back, so the consumer can simply retry.
    await em.fork().nativeDelete(ClaimPhoto, { claim: claim.id });
    await em.fork().nativeDelete(Claim, { id: claim.id });
    throw err;
  }
  return claim;
}

// --- views ----------------------------------------------------------------------

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
type PhotoRow = Pick<ClaimPhoto, 'id' | 'claim' | 'fileName' | 'contentType' | 'sizeBytes'>;

/** Photo facts without their content, for lists. */
export const photosOf = (em: EntityManager, claimIds: string[]): Promise<PhotoRow[]> =>
  claimIds.length === 0
    ? Promise.resolve([])
    : em.find(
        ClaimPhoto,
        { claim: { $in: claimIds } },
        { fields: ['id', 'claim', 'fileName', 'contentType', 'sizeBytes'], orderBy: { createdAt: 'asc' } },
      );

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

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** A claim as its consumer sees it; photo URLs carry the order link's token. */
export function consumerClaimView(claim: Claim, order: Order, photos: PhotoRow[], token: string) {
  return {
    claimNumber: claim.claimNumber,
    status: claim.status,
    coverageType: claim.coverageType,
    faultDate: claim.faultDate,
    faultDescription: claim.faultDescription,
    contactPhone: claim.contactPhone,
    decisionReason: claim.decisionReason ?? null,
    outcome: claim.outcome ?? null,
    repairCostFen: claim.repairCostFen ?? null,
    parts: claim.parts ?? null,
    currency: order.currency,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: iso(claim.decidedAt),
    repairedAt: iso(claim.repairedAt),
    closedAt: iso(claim.closedAt),
    photos: photos
      .filter((p) => p.claim === claim.id)
      .map((p) => ({
        id: p.id,
        fileName: p.fileName,
        contentType: p.contentType,
        sizeBytes: p.sizeBytes,
        url: `/api/v1/public/orders/${order.orderNumber}/claims/${claim.claimNumber}/photos/${p.id}?t=${encodeURIComponent(token)}`,
      })),
  };
}

/** The claims of an order, newest first, with their photos' facts. */
export async function claimsOfOrder(em: EntityManager, order: Order) {
  const claims = await em.find(Claim, { order: order.id }, { orderBy: { createdAt: 'desc' } });
  return {
    claims,
    photos: await photosOf(
      em,
      claims.map((c) => c.id),
    ),
  };
}

/** A photo's bytes, never cached by shared caches and never sniffed into something else. */
export async function sendPhoto(em: EntityManager, reply: FastifyReply, claimId: string, photoId: string) {
  const photo = await em.findOne(ClaimPhoto, { id: photoId, claim: claimId });
  if (!photo) throw notFound('photo');
  const extension = photo.contentType.split('/')[1] === 'jpeg' ? 'jpg' : photo.contentType.split('/')[1];
  return reply
    .type(photo.contentType)
    .header('cache-control', 'private, no-store')
    .header('content-disposition', `inline; filename="claim-photo-${photo.id}.${extension}"`)
    .send(Buffer.from(photo.content));
}

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
    temporalUiUrl: Nullable(Type.String()),
  }),
]);

const productName = (p: MainProduct | undefined) => (p ? `${p.brand} ${p.name} ${p.model}` : '—');

function deskSummary(claim: Claim, order: Order, product: MainProduct | undefined, photoCount: number) {
  return {
    claimNumber: claim.claimNumber,
    status: claim.status,
    orderNumber: order.orderNumber,
    product: productName(product),
    coverageType: claim.coverageType,
    faultDate: claim.faultDate,
    faultDescription: claim.faultDescription,
    photoCount,
    slaRemindersSent: claim.slaRemindersSent,
    createdAt: claim.createdAt.toISOString(),
    decidedAt: iso(claim.decidedAt),
    repairedAt: iso(claim.repairedAt),
    closedAt: iso(claim.closedAt),
  };
}

// --- routes ---------------------------------------------------------------------

const OrderClaimParams = Type.Object({
  orderNumber: OrderNumber,
  claimNumber: ClaimNumber,
});
const ClaimParams = Type.Object({ claimNumber: ClaimNumber });
const PhotoParams = Type.Object({ claimNumber: ClaimNumber, photoId: Id });

export const claimRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal: client, config } = app.deps;
  await registerClaimUploads(app);

  // --- the consumer, with the order link's token ---

  /** The claim of the order the link names; another order's claim looks missing. */
  const consumerClaim = async (
    request: FastifyRequest,
    params: Static<typeof OrderClaimParams>,
    token: string,
  ) => {
    const order = await orderByLink(request.em, params.orderNumber, token, config.linkSecret);
    const claim = await request.em.findOne(Claim, { claimNumber: params.claimNumber, order: order.id });
    if (!claim) throw notFound('claim');
    return { order, claim };
  };

  app.post(
    '/public/orders/:orderNumber/claims',
    {
      attachValidation: true,
      config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
      preValidation: claimUploadHook(config.linkSecret, () => {
        throw notFound('order');
      }),
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
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
      const claim = await fileClaim(
        { em: request.em, client, config },
        order,
        (request.body ?? {}) as Partial<ClaimForm>,
        uploadOf(request),
        schemaProblemsOf(request),
      );
      return reply.code(201).send({
        claimNumber: claim.claimNumber,
        status: claim.status,
        claimUrl: `${config.publicBaseUrl}/o/${order.orderNumber}/claims/${claim.claimNumber}?t=${encodeURIComponent(request.query.t)}`,
      });
    },
  );

  app.get(
    '/public/orders/:orderNumber/claims',
    {
      schema: {
        tags: ['consumer'],
        summary: "An order's repair requests with their status (needs the order link token)",
        params: OrderParams,
        querystring: OrderTokenQuery,
        response: { 200: Type.Object({ items: Type.Array(ConsumerClaimView) }), ...errors(400, 404) },
      },
    },
    async (request) => {
      const order = await orderByLink(
        request.em,
        request.params.orderNumber,
        request.query.t,
        config.linkSecret,
      );
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
      const { order, claim } = await consumerClaim(request, request.params, request.query.t);
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
      const { claim } = await consumerClaim(request, request.params, request.query.t);
      return sendPhoto(request.em, reply, claim.id, request.params.photoId);
    },
  );

  // --- the manufacturer's service desk ---

  const DESK_ROLES = ['approver', 'admin'] as const;
  /** The manufacturer's own claim; another manufacturer's answers 404 like a missing one. */
  const ownClaim = async (request: FastifyRequest, claimNumber: string) => {
    const claim = await request.em.findOne(Claim, {
      claimNumber,
      manufacturer: memberOf(request).manufacturer.id,
    });
    if (!claim) throw notFound('claim');
    return claim;
  };

  async function deskDetail(request: FastifyRequest, claim: Claim) {
    const em = request.em;
    const order = await em.findOneOrFail(Order, { id: claim.order });
    const [product, plan, photos, orderClaims, workflow] = await Promise.all([
      em.findOneOrFail(MainProduct, { id: order.product }),
      em.findOneOrFail(Plan, { id: order.plan }),
      photosOf(em, [claim.id]),
      em.find(Claim, { order: order.id, repairCostFen: { $ne: null } }),
      claimProgress(client, claim.claimNumber).catch(() => null),
    ]);
    const approvedFen = orderClaims.reduce((sum, c) => sum + (c.repairCostFen ?? 0), 0);
    const ui = config.temporal.webUiUrl;
    return {
      ...deskSummary(claim, order, product, photos.length),
      contactPhone: claim.contactPhone,
      decisionReason: claim.decisionReason ?? null,
      repairCostFen: claim.repairCostFen ?? null,
      parts: claim.parts ?? null,
      outcome: claim.outcome ?? null,
      currency: order.currency,
      order: {
        orderNumber: order.orderNumber,
        status: order.status,
        consumerName: order.consumerName,
        serialNumber: order.serialNumber,
        coverageStart: order.coverageStart ?? null,
        coverageEnd: order.coverageEnd ?? null,
        planNameZh: plan.nameZh,
        planNameEn: plan.nameEn,
      },
      // The retail price the order was sold under, frozen on it.
      cap: {
        retailPriceFen: order.productRetailPriceFen,
        approvedFen,
        remainingFen: remainingCapFen(order.productRetailPriceFen, approvedFen),
      },
      photos: photos.map((p) => ({
        id: p.id,
        fileName: p.fileName,
        contentType: p.contentType,
        sizeBytes: p.sizeBytes,
        url: `/api/v1/claims/${claim.claimNumber}/photos/${p.id}`,
      })),
      workflowId: claim.workflowId,
      workflow,
      temporalUiUrl: ui
        ? `${ui}/namespaces/${config.temporal.namespace}/workflows/${claim.workflowId}`
        : null,
    };
  }

  app.get(
    '/claims',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['claims'],
        summary: "The service desk's queue: your manufacturer's repair requests, by status",
        querystring: Type.Composite([
          Type.Object({ status: Type.Optional(StringEnum(CLAIM_STATUSES)) }),
          Pagination,
        ]),
        response: {
          200: Type.Object({ items: Type.Array(DeskClaimSummary), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => {
      const { status, limit, offset } = request.query;
      const em = request.em;
      // Open claims oldest first (a queue); finished ones newest first.
      const open = status === 'submitted' || status === 'accepted' || status === 'repaired';
      const [claims, total] = await em.findAndCount(
        Claim,
        { manufacturer: memberOf(request).manufacturer.id, ...(status ? { status } : {}) },
        { orderBy: { createdAt: open ? 'asc' : 'desc' }, limit, offset },
      );
      const orders = await em.find(Order, { id: { $in: claims.map((c) => c.order) } });
      const products = await em.find(MainProduct, { id: { $in: orders.map((o) => o.product) } });
      const photos = await photosOf(
        em,
        claims.map((c) => c.id),
      );
      return {
        items: claims.map((claim) => {
          const order = orders.find((o) => o.id === claim.order) as Order;
          return deskSummary(
            claim,
            order,
            products.find((p) => p.id === order.product),
            photos.filter((p) => p.claim === claim.id).length,
          );
        }),
        total,
      };
    },
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
    async (request) => deskDetail(request, await ownClaim(request, request.params.claimNumber)),
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
      const claim = await ownClaim(request, request.params.claimNumber);
      return sendPhoto(request.em, reply, claim.id, request.params.photoId);
    },
  );

  /** Sends a desk action to the claim's workflow after a quick look at the stored status (clear 409s). */
  async function deskAction(
    request: FastifyRequest,
    claimNumber: string,
    expected: Claim['status'],
    send: (handle: ReturnType<Client['workflow']['getHandle']>) => Promise<unknown>,
  ) {
    const claim = await ownClaim(request, claimNumber);
    if (claim.status !== expected)
      throw conflict(errorMessage('claimStatus', { status: claim.status, expected }));
    try {
      await send(client.workflow.getHandle(claimWorkflowId(claimNumber)));
    } catch (err) {
      if (err instanceof DomainError) throw err;
      translate(err);
    }
    // The workflow's activities changed the claim (and maybe the order): read them afresh.
    request.em.clear();
    return deskDetail(request, await ownClaim(request, claimNumber));
  }

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
    async (request) => {
      const { decision, reason } = request.body;
      if (decision === 'reject' && reason.trim() === '')
        throw invalid([fieldProblem('reason', 'rejectReason')]);
      return deskAction(request, request.params.claimNumber, 'submitted', (handle) =>
        handle.executeUpdate(decideUpdate, {
          args: [{ decision, reason, decidedBy: memberOf(request).user.id }],
        }),
      );
    },
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
      deskAction(request, request.params.claimNumber, 'accepted', (handle) =>
        handle.executeUpdate(recordRepairUpdate, {
          args: [{ ...request.body, recordedBy: memberOf(request).user.id }],
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
      deskAction(request, request.params.claimNumber, 'repaired', (handle) =>
        handle.executeUpdate(closeUpdate, { args: [{ closedBy: memberOf(request).user.id }] }),
      ),
  );
};
