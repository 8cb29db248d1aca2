import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Order } from './order.entity.ts';
import { User } from './user.entity.ts';

/**
 * A manufacturer's user was shown an order holder's full phone number (staff see it masked
 * otherwise): who, which order, when (createdAt). Written before the number is answered.
 */
export const PhoneReveal = defineEntity({
  name: 'PhoneReveal',
  indexes: [{ properties: ['order', 'createdAt'] }],
  properties: {
    ...baseProperties,
    order: () => p.manyToOne(Order).mapToPk(),
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    user: () => p.manyToOne(User).mapToPk(),
  },
});
export type PhoneReveal = InferEntity<typeof PhoneReveal>;
