import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';

export const MANUFACTURER_STATUSES = ['active', 'suspended'] as const;
/** The message catalogue's locales (src/i18n/catalogue.ts), kept literal so entities stay free of i18next. */
export const MANUFACTURER_LOCALES = ['zh-CN', 'en'] as const;

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
    /** The language of the emails its users get (password links). */
    locale: p.enum([...MANUFACTURER_LOCALES]).default('zh-CN'),
  },
});
export type Manufacturer = InferEntity<typeof Manufacturer>;
