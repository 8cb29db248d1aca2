import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';
import { User } from './user.entity.ts';

export const PLAN_SALE_ACTIONS = ['stopped', 'resumed'] as const;
export type PlanSaleAction = (typeof PLAN_SALE_ACTIONS)[number];

/**
 * A manufacturer's user stopped or resumed selling a plan: who, which plan, when (createdAt).
 * Written in the same transaction as the status change, and only when the status changed.
 */
export const PlanSaleEvent = defineEntity({
  name: 'PlanSaleEvent',
  indexes: [{ properties: ['plan', 'createdAt'] }],
  properties: {
    ...baseProperties,
    plan: () => p.manyToOne(Plan).mapToPk(),
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    user: () => p.manyToOne(User).mapToPk(),
    action: p.enum([...PLAN_SALE_ACTIONS]),
  },
});
export type PlanSaleEvent = InferEntity<typeof PlanSaleEvent>;
