import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { PlanDraft } from './plan-draft.entity.ts';

/** `retired`: the manufacturer stopped selling it (it may resume); orders already sold are unaffected. */
export const PLAN_STATUSES = ['on_sale', 'retired'] as const;

/** A published extended-warranty plan (patent module 8); its terms live in versions. */
export const Plan = defineEntity({
  name: 'Plan',
  properties: {
    ...baseProperties,
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk().index(),
    product: () => p.manyToOne(MainProduct).mapToPk(),
    draft: () => p.manyToOne(PlanDraft).mapToPk().unique(),
    /** Short unguessable public code; the QR code opens /w/<code>. */
    code: p.string().length(16).unique(),
    nameZh: p.string().length(100),
    nameEn: p.string().length(200),
    status: p.enum([...PLAN_STATUSES]).default('on_sale'),
    currentVersion: p.integer(),
  },
});
export type Plan = InferEntity<typeof Plan>;
