import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';

/** What a manufacturer's user may do; a user can hold several roles. */
export const MANUFACTURER_ROLES = ['admin', 'editor', 'approver'] as const;
export type ManufacturerRole = (typeof MANUFACTURER_ROLES)[number];

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    ...baseProperties,
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    /** Stored lower-case; unique across the platform so login needs only the email. */
    email: p.string().length(254).unique(),
    displayName: p.string().length(100),
    /** argon2id PHC string. */
    passwordHash: p.string().length(200).hidden(),
    roles: p.array<ManufacturerRole>(),
  },
});
export type User = InferEntity<typeof User>;
