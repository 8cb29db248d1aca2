import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { UnitQrBatch } from '../../domain/entities/index.ts';
import { UNIT_BATCH_FORMATS } from '../../domain/entities/unit-code.entity.ts';
import { MAX_SERIAL_LENGTH, MAX_UNITS_PER_BATCH } from '../../domain/serial-batch.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { issueUnitBatch, ownBatch, ownPlan, unitBatchFile } from '../../services/unit-batches.ts';
import { errors, Id, IdParams, Pagination, Strict, StringEnum } from '../schemas.ts';

const Serial = Type.String({ minLength: 1, maxLength: MAX_SERIAL_LENGTH, description: 'unit serial number' });

const BatchView = Type.Object({
  id: Id,
  planId: Id,
  format: Type.String(),
  total: Type.Integer({ description: 'units in the batch' }),
  done: Type.Integer({ description: 'units rendered so far' }),
  status: Type.String({ description: 'running, done or failed' }),
  workflowId: Type.String(),
  downloadUrl: Type.Union([Type.String(), Type.Null()], { description: 'set once the batch is done' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const view = (b: Omit<UnitQrBatch, 'content'>) => ({
  id: b.id,
  planId: b.plan,
  format: b.format,
  total: b.total,
  done: b.done,
  status: b.status,
  workflowId: b.workflowId,
  downloadUrl: b.status === 'done' ? `/api/v1/unit-batches/${b.id}/download` : null,
  createdAt: b.createdAt.toISOString(),
  updatedAt: b.updatedAt.toISOString(),
});

/** Per-unit QR code batches of a plan (issue 3; services/unit-batches.ts): issue, follow the progress, download. */
export const unitBatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.deps;
  const manufacturerOf = (request: Parameters<typeof memberOf>[0]) => memberOf(request).manufacturer.id;

  app.post(
    '/plans/:id/unit-batches',
    {
      onRequest: requireMember(app, 'editor', 'admin'),
      // 10,000 serials of up to 100 characters do not fit Fastify's default 1 MB.
      bodyLimit: 2 * 1024 * 1024,
      schema: {
        tags: ['plans'],
        summary:
          'Issue per-unit QR codes for a list and/or range of serial numbers; starts UnitQrBatchWorkflow',
        params: IdParams,
        body: Strict({
          serials: Type.Optional(
            Type.Array(Serial, {
              maxItems: MAX_UNITS_PER_BATCH,
              description: 'serial numbers; trimmed, duplicates dropped',
            }),
          ),
          range: Type.Optional(
            Strict(
              { from: Serial, to: Serial },
              'first and last serial: same prefix, numeric suffix of the same width, e.g. XH0000000001..XH0000000250',
            ),
          ),
          format: StringEnum(UNIT_BATCH_FORMATS, 'zip: one PNG per unit; pdf: A4 label sheet'),
        }),
        response: { 201: BatchView, ...errors(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const batch = await issueUnitBatch(
        { em: request.em, client: temporal, config },
        manufacturerOf(request),
        request.params.id,
        request.body,
      );
      return reply.code(201).send(view(batch));
    },
  );

  app.get(
    '/plans/:id/unit-batches',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary: "A plan's per-unit QR batches, newest first",
        params: IdParams,
        querystring: Pagination,
        response: {
          200: Type.Object({ items: Type.Array(BatchView), total: Type.Integer() }),
          ...errors(400, 401, 404),
        },
      },
    },
    async (request) => {
      const plan = await ownPlan(request.em, manufacturerOf(request), request.params.id);
      const [items, total] = await request.em.findAndCount(
        UnitQrBatch,
        { plan: plan.id, manufacturer: manufacturerOf(request) },
        {
          exclude: ['content'],
          orderBy: { createdAt: 'desc' },
          limit: request.query.limit,
          offset: request.query.offset,
        },
      );
      return { items: items.map(view), total };
    },
  );

  app.get(
    '/unit-batches/:id',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary: 'Progress of a per-unit QR batch (done of total, status)',
        params: IdParams,
        response: { 200: BatchView, ...errors(400, 401, 404) },
      },
    },
    async (request) => view(await ownBatch(request.em, manufacturerOf(request), request.params.id)),
  );

  app.get(
    '/unit-batches/:id/download',
    {
      onRequest: requireMember(app),
      schema: {
        tags: ['plans'],
        summary: 'The ZIP of PNGs or the PDF label sheet; 409 until the batch is done',
        params: IdParams,
        response: { ...errors(400, 401, 404, 409) },
      },
    },
    async (request, reply) => {
      const file = await unitBatchFile(request.em, manufacturerOf(request), request.params.id);
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.content);
    },
  );
};
