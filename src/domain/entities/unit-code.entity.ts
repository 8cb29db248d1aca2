import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';

export const UNIT_BATCH_STATUSES = ['running', 'done', 'failed'] as const;
export const UNIT_BATCH_FORMATS = ['zip', 'pdf'] as const;

/** A batch of per-unit QR codes for a plan, produced by UnitQrBatchWorkflow. */
export const UnitQrBatch = defineEntity({
  name: 'UnitQrBatch',
  properties: {
    ...baseProperties,
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk().index(),
    plan: () => p.manyToOne(Plan).mapToPk(),
    format: p.enum([...UNIT_BATCH_FORMATS]),
    total: p.integer(),
    done: p.integer().default(0),
    status: p.enum([...UNIT_BATCH_STATUSES]).default('running'),
    workflowId: p.string().length(100).unique(),
    content: p.blob().nullable(),
  },
});
export type UnitQrBatch = InferEntity<typeof UnitQrBatch>;

/** One unit a per-unit QR code was issued for; the denominator of attach rates. */
export const UnitCode = defineEntity({
  name: 'UnitCode',
  uniques: [{ properties: ['plan', 'serialNumber'] }],
  properties: {
    ...baseProperties,
    plan: () => p.manyToOne(Plan).mapToPk(),
    batch: () => p.manyToOne(UnitQrBatch).mapToPk().index(),
    serialNumber: p.string().length(100),
    /**
     * When an order for this unit was paid (the unit is "attached": it stays so
     * when the order is later cancelled or ended). Set by the statistics roll-up
     * for orders paid in its window and when a batch issues codes for units that
     * were already sold, so attach rates are a count instead of a join.
     */
    attachedAt: p.datetime().nullable(),
  },
});
export type UnitCode = InferEntity<typeof UnitCode>;
