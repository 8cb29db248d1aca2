import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';

/** What a manufacturer's user may do; a user can hold several roles. */
export const MANUFACTURER_ROLES = ['admin', 'editor', 'approver'] as const;
export type ManufacturerRole = (typeof MANUFACTURER_ROLES)[number];
/** The platform's own staff: auditors read everything and change nothing; admins curate and suspend. */
export const PLATFORM_ROLES = ['auditor', 'platform_admin'] as const;
export type PlatformRole = (typeof PLATFORM_ROLES)[number];
export type Role = ManufacturerRole | PlatformRole;

export const User = defineEntity({
  name: 'User',
  tableName: 'app_user',
  properties: {
    ...baseProperties,
    /** null for platform staff (auditors, platform admins). */
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk().nullable(),
    /** Stored lower-case; unique across the platform so login needs only the email. */
    email: p.string().length(254).unique(),
    displayName: p.string().length(100),
    /** argon2id PHC string. */
    passwordHash: p.string().length(200).hidden(),
    roles: p.array<Role>(),
    /** Set while an admin has deactivated the user: no login, no session (src/services/users.ts). */
    deactivatedAt: p.datetime().nullable(),
  },
});
export type User = InferEntity<typeof User>;
