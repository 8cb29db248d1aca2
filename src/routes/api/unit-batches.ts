import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { UnitQrBatchInput } from '../../../workflows/unit-qr-batch.workflow.ts';
import { MainProduct, Plan, UnitQrBatch } from '../../domain/entities/index.ts';
import { UNIT_BATCH_FORMATS } from '../../domain/entities/unit-code.entity.ts';
import { conflict, errorMessage, invalid, notFound } from '../../domain/errors.ts';
import { expandSerialBatch, MAX_SERIAL_LENGTH, MAX_UNITS_PER_BATCH } from '../../domain/serial-batch.ts';
import { memberOf, requireMember } from '../../plugins/auth.ts';
import { startUnitQrBatch, unitBatchWorkflowId } from '../../temporal/unit-qr-batch.client.ts';
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

/** Per-unit QR code batches of a plan (issue 3): issue, follow the progress, download. */
export const unitBatchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { temporal, config } = app.deps;
  const manufacturerOf = (request: Parameters<typeof memberOf>[0]) => memberOf(request).manufacturer.id;
  const ownPlan = async (request: Parameters<typeof memberOf>[0], id: string) => {
    const plan = await request.em.findOne(Plan, { id, manufacturer: manufacturerOf(request) });
    if (!plan) throw notFound('plan');
    return plan;
  };
  // The content column can be tens of megabytes: only the download reads it.
  const ownBatch = async (request: Parameters<typeof memberOf>[0], id: string) => {
    const batch = await request.em.findOne(
      UnitQrBatch,
      { id, manufacturer: manufacturerOf(request) },
      { exclude: ['content'] },
    );
    if (!batch) throw notFound('unitBatch');
    return batch;
  };

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
      const manufacturer = manufacturerOf(request);
      const plan = await ownPlan(request, request.params.id);
      if (plan.status !== 'on_sale') throw conflict(errorMessage('planNotOnSale'));
      const product = await request.em.findOneOrFail(MainProduct, { id: plan.product });
      const units = { serials: request.body.serials, range: request.body.range };
      const { serials, problems } = expandSerialBatch(units, { serialPattern: product.serialPattern });
      if (problems.length > 0) throw invalid(problems);

      const id = randomUUID();
      const batch = request.em.create(UnitQrBatch, {
        id,
        manufacturer,
        plan: plan.id,
        format: request.body.format,
        total: serials.length,
        done: 0,
        status: 'running',
        workflowId: unitBatchWorkflowId(id),
      });
      await request.em.flush();
      const input: UnitQrBatchInput = { batchId: id, units };
      try {
        await startUnitQrBatch(temporal, config, batch, input);
      } catch (err) {
        // Without its workflow the batch would show as running forever.
        batch.status = 'failed';
        await request.em.flush();
        throw err;
      }
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
      const plan = await ownPlan(request, request.params.id);
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
    async (request) => view(await ownBatch(request, request.params.id)),
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
      const batch = await ownBatch(request, request.params.id);
      if (batch.status === 'running')
        throw conflict(errorMessage('batchRendering', { done: batch.done, total: batch.total }));
      if (batch.status === 'failed') throw conflict(errorMessage('batchFailed'));
      const stored = await request.em.findOneOrFail(UnitQrBatch, { id: batch.id }, { fields: ['content'] });
      if (!stored.content) throw conflict(errorMessage('batchEmpty'));
      const plan = await request.em.findOneOrFail(Plan, { id: batch.plan });
      const type = batch.format === 'zip' ? 'application/zip' : 'application/pdf';
      return reply
        .type(type)
        .header(
          'content-disposition',
          `attachment; filename="yanbao-${plan.code}-units-${batch.id.slice(0, 8)}.${batch.format}"`,
        )
        .send(Buffer.from(stored.content));
    },
  );
};
