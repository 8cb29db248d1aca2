import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';

export const MANUFACTURER_STATUSES = ['active', 'suspended'] as const;

/** A company that sells extended warranties for its own products (patent module 2). */
export const Manufacturer = defineEntity({
  name: 'Manufacturer',
  properties: {
    ...baseProperties,
    name: p.string().length(200),
    /** 统一社会信用代码, 18 characters, check digit verified at the edge. */
    usccCode: p.string().length(18).unique(),
    contactName: p.string().length(100),
    /** E.164, e.g. +8613812345678 */
    contactPhone: p.string().length(20),
    email: p.string().length(254),
    status: p.enum([...MANUFACTURER_STATUSES]).default('active'),
  },
});
export type Manufacturer = InferEntity<typeof Manufacturer>;
