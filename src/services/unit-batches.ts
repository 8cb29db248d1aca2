/**
 * Per-unit QR code batches of a plan (issue 3): issued for a list and/or a
 * range of serials of a plan on sale, rendered by UnitQrBatchWorkflow, then
 * downloaded once done.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { UnitQrBatchInput } from '../../workflows/unit-qr-batch.workflow.ts';
import type { AppConfig } from '../config.ts';
import { MainProduct, Plan, UnitQrBatch } from '../domain/entities/index.ts';
import type { UNIT_BATCH_FORMATS } from '../domain/entities/unit-code.entity.ts';
import { conflict, errorMessage, invalid, notFound } from '../domain/errors.ts';
import { expandSerialBatch, type SerialBatchRequest } from '../domain/serial-batch.ts';
import { startUnitQrBatch, unitBatchWorkflowId } from '../temporal/unit-qr-batch.client.ts';

/** The manufacturer's plan; another manufacturer's is indistinguishable from a missing one. */
export async function ownPlan(em: EntityManager, manufacturerId: string, id: string) {
  const plan = await em.findOne(Plan, { id, manufacturer: manufacturerId });
  if (!plan) throw notFound('plan');
  return plan;
}

/** The manufacturer's batch, without its content: that column can be tens of megabytes, only the download reads it. */
export async function ownBatch(em: EntityManager, manufacturerId: string, id: string) {
  const batch = await em.findOne(UnitQrBatch, { id, manufacturer: manufacturerId }, { exclude: ['content'] });
  if (!batch) throw notFound('unitBatch');
  return batch;
}

/** Checks the serials against the plan's product and starts the batch's workflow. */
export async function issueUnitBatch(
  deps: { em: EntityManager; client: Client; config: AppConfig },
  manufacturerId: string,
  planId: string,
  request: SerialBatchRequest & { format: (typeof UNIT_BATCH_FORMATS)[number] },
) {
  const { em } = deps;
  const plan = await ownPlan(em, manufacturerId, planId);
  if (plan.status !== 'on_sale') throw conflict(errorMessage('planNotOnSale'));
  const product = await em.findOneOrFail(MainProduct, { id: plan.product });
  const units = { serials: request.serials, range: request.range };
  const { serials, problems } = expandSerialBatch(units, { serialPattern: product.serialPattern });
  if (problems.length > 0) throw invalid(problems);

  const id = randomUUID();
  const batch = em.create(UnitQrBatch, {
    id,
    manufacturer: manufacturerId,
    plan: plan.id,
    format: request.format,
    total: serials.length,
    done: 0,
    status: 'running',
    workflowId: unitBatchWorkflowId(id),
  });
  await em.flush();
  const input: UnitQrBatchInput = { batchId: id, units };
  try {
    await startUnitQrBatch(deps.client, deps.config, batch, input);
  } catch (err) {
    // Without its workflow the batch would show as running forever.
    batch.status = 'failed';
    await em.flush();
    throw err;
  }
  return batch;
}

/** A done batch's file, named after its plan; 409 while it renders or when it failed. */
export async function unitBatchFile(em: EntityManager, manufacturerId: string, id: string) {
  const batch = await ownBatch(em, manufacturerId, id);
  if (batch.status === 'running')
    throw conflict(errorMessage('batchRendering', { done: batch.done, total: batch.total }));
  if (batch.status === 'failed') throw conflict(errorMessage('batchFailed'));
  const stored = await em.findOneOrFail(UnitQrBatch, { id: batch.id }, { fields: ['content'] });
  if (!stored.content) throw conflict(errorMessage('batchEmpty'));
  const plan = await em.findOneOrFail(Plan, { id: batch.plan });
  return {
    content: Buffer.from(stored.content),
    contentType: batch.format === 'zip' ? 'application/zip' : 'application/pdf',
    fileName: `yanbao-${plan.code}-units-${batch.id.slice(0, 8)}.${batch.format}`,
  };
}
