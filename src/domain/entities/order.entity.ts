import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';
import { MainProduct } from './main-product.entity.ts';
import { Manufacturer } from './manufacturer.entity.ts';
import { Plan } from './plan.entity.ts';
import { PlanVersion } from './plan-version.entity.ts';

/** `ended`: the unit was replaced under the plan, which fulfils it. */
export const ORDER_STATUSES = ['pending_payment', 'active', 'expired', 'cancelled', 'ended'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const PAYMENT_PROVIDERS = ['sandbox', 'alipay', 'wechatpay'] as const;
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
    // The manufacturer's order list (src/services/order-search.ts): paid orders newest first, keyset
    // over (paid_at, id), one index per filter so each page is a short index range scan.
    {
      name: 'purchase_order_paid_list',
      expression: `create index "purchase_order_paid_list" on "purchase_order" ("manufacturer_id", "paid_at", "id") where "paid_at" is not null`,
    },
    {
      name: 'purchase_order_paid_by_status',
      expression: `create index "purchase_order_paid_by_status" on "purchase_order" ("manufacturer_id", "status", "paid_at", "id") where "paid_at" is not null`,
    },
    {
      name: 'purchase_order_paid_by_plan',
      expression: `create index "purchase_order_paid_by_plan" on "purchase_order" ("plan_id", "paid_at", "id") where "paid_at" is not null`,
    },
    {
      name: 'purchase_order_paid_by_product',
      expression: `create index "purchase_order_paid_by_product" on "purchase_order" ("product_id", "paid_at", "id") where "paid_at" is not null`,
    },
    // Searches: the last four digits of the phone, the serial and the start of the holder's name,
    // case-insensitive (text_pattern_ops: a prefix LIKE uses it whatever the collation).
    {
      name: 'purchase_order_phone_last4',
      expression: `create index "purchase_order_phone_last4" on "purchase_order" ("manufacturer_id", right("consumer_phone", 4), "paid_at", "id") where "paid_at" is not null`,
    },
    {
      name: 'purchase_order_serial_search',
      expression: `create index "purchase_order_serial_search" on "purchase_order" ("manufacturer_id", lower("serial_number"))`,
    },
    {
      name: 'purchase_order_name_search',
      expression: `create index "purchase_order_name_search" on "purchase_order" ("manufacturer_id", lower("consumer_name") text_pattern_ops)`,
    },
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
