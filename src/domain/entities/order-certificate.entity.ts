import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Order } from './order.entity.ts';

/** The electronic warranty certificate (PDF) issued when an order is recorded. */
export const OrderCertificate = defineEntity({
  name: 'OrderCertificate',
  properties: {
    ...baseProperties,
    order: () => p.manyToOne(Order).mapToPk().unique(),
    content: p.blob(),
  },
});
export type OrderCertificate = InferEntity<typeof OrderCertificate>;
