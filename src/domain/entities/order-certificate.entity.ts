import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Order } from './order.entity.ts';

/**
 * The electronic warranty certificate (PDF) issued when an order is recorded, rendered again
 * (voided) when the order is cancelled or ended.
 */
export const OrderCertificate = defineEntity({
  name: 'OrderCertificate',
  properties: {
    ...baseProperties,
    order: () => p.manyToOne(Order).mapToPk().unique(),
    content: p.blob(),
    /**
     * The order's state the PDF shows: valid, cancelled or ended. A PDF stored for another state
     * is never served (null: stored before the state was kept, when it printed the order link).
     */
    renderedFor: p.string().length(16).nullable(),
  },
});
export type OrderCertificate = InferEntity<typeof OrderCertificate>;
