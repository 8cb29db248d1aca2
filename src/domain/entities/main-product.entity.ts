import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { PRODUCT_CATEGORIES } from '../catalog.ts';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';

/** The product a warranty extends (patent modules 3 and 4). */
export const MainProduct = defineEntity({
  name: 'MainProduct',
  uniques: [{ properties: ['manufacturer', 'brand', 'model'] }],
  properties: {
    ...baseProperties,
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    brand: p.string().length(100),
    name: p.string().length(200),
    model: p.string().length(100),
    category: p.enum([...PRODUCT_CATEGORIES]),
    retailPriceFen: p.integer(),
    currency: p.string().length(3).default('CNY'),
    baseWarrantyMonths: p.integer(),
    launchDate: p.date(),
    /** Optional regular expression every unit's serial number must match. */
    serialPattern: p.string().length(200).nullable(),
  },
});
export type MainProduct = InferEntity<typeof MainProduct>;
