/**
 * The repair-request form over HTTP, shared by the API (routes/api/claims.ts)
 * and the consumer's page (routes/pages/consumer-claims.ts): its schema, and
 * multipart parsing that turns photos into a ClaimUpload for fileClaim.
 */
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cleanFileName, MAX_PHOTO_BYTES, MAX_PHOTOS } from '../domain/claim-rules.ts';
import { fieldProblem, invalid } from '../domain/errors.ts';
import { verifyOrderAccessToken } from '../domain/order-links.ts';
import type { ClaimUpload } from '../services/claims.ts';
import { CoverageTypeSchema, IsoDate, MobilePhone, Strict, Text } from './schemas.ts';
import { validationProblems } from './validation.ts';

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
