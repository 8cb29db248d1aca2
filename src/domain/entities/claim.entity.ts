import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { COVERAGE_TYPES } from '../catalog.ts';
import { baseProperties } from './base.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Order } from './order.entity.ts';

export const CLAIM_STATUSES = ['submitted', 'accepted', 'rejected', 'repaired', 'closed'] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
export const REPAIR_OUTCOMES = ['repaired', 'replaced', 'no_fault_found'] as const;
export type RepairOutcome = (typeof REPAIR_OUTCOMES)[number];

/** A repair request (报修) on an active order, handled by ClaimWorkflow. */
export const Claim = defineEntity({
  name: 'Claim',
  // (createdAt) and (repairedAt): the statistics roll-up recomputes recent days by these dates.
  // claim_desk_*: the service desk's queue, its to-do counts and overdue filter, and its phone search
  // (src/services/claim-view.ts); the first serves what (manufacturer_id, status) did.
  indexes: [
    {
      name: 'claim_desk_waiting',
      expression: `create index "claim_desk_waiting" on "claim" ("manufacturer_id", "status", "created_at")`,
    },
    {
      name: 'claim_desk_decided',
      expression: `create index "claim_desk_decided" on "claim" ("manufacturer_id", "decided_at") where "status" = 'accepted'`,
    },
    {
      name: 'claim_desk_phone_last4',
      expression: `create index "claim_desk_phone_last4" on "claim" ("manufacturer_id", right("contact_phone", 4))`,
    },
    { properties: ['createdAt'] },
    { properties: ['repairedAt'] },
  ],
  properties: {
    ...baseProperties,
    claimNumber: p.string().length(32).unique(),
    order: () => p.manyToOne(Order).mapToPk().index(),
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    faultDescription: p.text(),
    faultDate: p.date(),
    /** E.164 */
    contactPhone: p.string().length(20),
    coverageType: p.enum([...COVERAGE_TYPES]),
    status: p.enum([...CLAIM_STATUSES]).default('submitted'),
    /** Why it was rejected, or the service desk's note on acceptance. */
    decisionReason: p.text().nullable(),
    repairCostFen: p.integer().nullable(),
    parts: p.text().nullable(),
    outcome: p.enum([...REPAIR_OUTCOMES]).nullable(),
    workflowId: p.string().length(100).unique(),
    /** Of the form its key first came with (src/domain/request-fingerprint.ts); null on older rows. */
    requestFingerprint: p.string().length(64).nullable(),
    decidedAt: p.datetime().nullable(),
    repairedAt: p.datetime().nullable(),
    closedAt: p.datetime().nullable(),
    slaRemindersSent: p.integer().default(0),
  },
});
export type Claim = InferEntity<typeof Claim>;

/** A photo attached to a claim; served only to the claim's consumer and manufacturer. */
export const ClaimPhoto = defineEntity({
  name: 'ClaimPhoto',
  properties: {
    ...baseProperties,
    claim: () => p.manyToOne(Claim).mapToPk().index(),
    fileName: p.string().length(200),
    contentType: p.string().length(100),
    sizeBytes: p.integer(),
    content: p.blob(),
  },
});
export type ClaimPhoto = InferEntity<typeof ClaimPhoto>;
