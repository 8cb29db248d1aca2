import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';
import { PlanVersion } from './plan-version.entity.ts';

/** `ended`: the unit was replaced under the plan, which fulfils it. */
export const ORDER_STATUSES = ['pending_payment', 'active', 'expired', 'cancelled', 'ended'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const PAYMENT_PROVIDERS = ['sandbox', 'alipay'] as const;
export type PaymentProviderName = (typeof PAYMENT_PROVIDERS)[number];

/**
 * A consumer's purchase of a plan for one unit (patent module 10). At most one
 * pending or active order per plan and serial number: a partial unique index
 * in the migration enforces it under concurrency.
 */
export const Order = defineEntity({
  name: 'Order',
  tableName: 'purchase_order',
  indexes: [
    { properties: ['manufacturer', 'createdAt'] },
    { properties: ['consumerPhone'] },
    // Every order of a unit, whatever its status: attach rates match per-unit codes through it.
    { properties: ['plan', 'serialNumber'] },
    // Declared here so schema diffs keep it: one pending or active order per plan and unit.
    {
      name: 'purchase_order_one_live_per_unit',
      expression: `create unique index "purchase_order_one_live_per_unit" on "purchase_order" ("plan_id", "serial_number") where "status" in ('pending_payment', 'active')`,
    },
  ],
  properties: {
    ...baseProperties,
    /** Public, unguessable; the purchase workflow id is derived from it. */
    orderNumber: p.string().length(32).unique(),
    /** What the consumer's form submission carried, so a retried "Pay" finds this order. */
    idempotencyKey: p.string().length(64).unique(),
    /** Of the registration that key first came with (src/domain/request-fingerprint.ts); null on older rows. */
    requestFingerprint: p.string().length(64).nullable(),
    manufacturer: () => p.manyToOne(Manufacturer).mapToPk(),
    plan: () => p.manyToOne(Plan).mapToPk(),
    planVersion: () => p.manyToOne(PlanVersion).mapToPk(),
    product: () => p.manyToOne(MainProduct).mapToPk(),
    consumerName: p.string().length(100),
    /** E.164 */
    consumerPhone: p.string().length(20),
    serialNumber: p.string().length(100),
    productPurchaseDate: p.date(),
    // The main product as it was sold, frozen when the order is registered: claims, refunds and the
    // certificate read these, so editing the product later never changes an existing order.
    /** The claim cap: the order's approved repair costs never exceed it. */
    productRetailPriceFen: p.integer(),
    productCurrency: p.string().length(3),
    productBaseWarrantyMonths: p.integer(),
    productSerialPattern: p.string().length(200).nullable(),
    paymentProvider: p.enum([...PAYMENT_PROVIDERS]),
    amountFen: p.integer(),
    currency: p.string().length(3),
    status: p.enum([...ORDER_STATUSES]).default('pending_payment'),
    coverageStart: p.date().nullable(),
    coverageEnd: p.date().nullable(),
    paidAt: p.datetime().nullable(),
    expiredAt: p.datetime().nullable(),
    cancelledAt: p.datetime().nullable(),
    endedAt: p.datetime().nullable(),
  },
});
export type Order = InferEntity<typeof Order>;
