import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';

/**
 * Sales roll-up per day (China time), manufacturer and plan, so the dashboard
 * answers from a few thousand rows instead of scanning every order. Rebuilt
 * idempotently from the source tables for recent days.
 */
export const OrderStatsDaily = defineEntity({
  name: 'OrderStatsDaily',
  primaryKeys: ['day', 'manufacturer', 'plan'],
  indexes: [{ properties: ['manufacturer', 'day'] }],
  properties: {
    day: p.date().primary(),
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk().primary(),
    plan: () => p.manyToOne(Plan).mapToPk().primary(),
    product: () => p.manyToOne(MainProduct).mapToPk(),
    orders: p.integer().default(0),
    revenueFen: p.bigint('number').default(0),
    cancellations: p.integer().default(0),
    refundsFen: p.bigint('number').default(0),
    claims: p.integer().default(0),
    approvedClaims: p.integer().default(0),
    claimCostFen: p.bigint('number').default(0),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type OrderStatsDaily = InferEntity<typeof OrderStatsDaily>;
