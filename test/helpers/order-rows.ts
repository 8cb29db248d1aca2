// Ids are set here because the rows refer to each other before the flush that would assign them.

/**
 * An active order written straight into the database, with the manufacturer,
 * product, plan and plan version it needs: for service tests that run on
 * PostgreSQL without Temporal (the purchase fixtures go through the workflow).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { CoverageType } from '../../src/domain/catalog.ts';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import {
  MainProduct,
  Manufacturer,
  Order,
  Plan,
  PlanDraft,
  PlanVersion,
  User,
} from '../../src/domain/entities/index.ts';

const unique = () => randomUUID().replaceAll('-', '').slice(0, 12).toUpperCase();

/** A manufacturer with one admin, one product and one plan covering `covered` (screen and parts by default). */
export async function planRows(em: EntityManager, covered: CoverageType[] = ['screen', 'parts_labour']) {
  const tag = unique();
  const manufacturer = em.create(Manufacturer, {
    id: randomUUID(),
    name: `Maker ${tag}`,
    usccCode: `91${tag}XXXX`.slice(0, 18),
    contactName: 'Zhang San',
    contactPhone: '+8613800000000',
    email: `desk-${tag}@maker.test`,
  });
  const user = em.create(User, {
    id: randomUUID(),
    manufacturer: manufacturer.id,
    email: `admin-${tag}@maker.test`,
    displayName: 'Admin',
    passwordHash: 'not-a-hash',
    roles: ['admin'],
  });
  const product = em.create(MainProduct, {
    id: randomUUID(),
    manufacturer: manufacturer.id,
    brand: 'Xinghe',
    name: 'Phone',
    model: `X${tag}`,
    category: 'smartphone',
    retailPriceFen: 300_000,
    baseWarrantyMonths: 12,
    launchDate: '2025-01-01',
  });
  const terms = {
    termMonths: 12,
    coverageStartRule: { kind: 'from_purchase' as const },
    priceFen: 29_900,
    currency: 'CNY',
    purchaseWindowDays: 30,
    coverageTypes: covered,
  };
  const draft = em.create(PlanDraft, {
    id: randomUUID(),
    manufacturer: manufacturer.id,
    product: product.id,
    createdBy: user.id,
    nameZh: '延保',
    nameEn: 'Extended warranty',
    workflowId: `plan-creation-${tag}`,
    ...terms,
  });
  const plan = em.create(Plan, {
    id: randomUUID(),
    manufacturer: manufacturer.id,
    product: product.id,
    draft: draft.id,
    code: tag,
    nameZh: '延保',
    nameEn: 'Extended warranty',
    currentVersion: 1,
  });
  const version = em.create(PlanVersion, {
    id: randomUUID(),
    plan: plan.id,
    version: 1,
    ...terms,
    clauses: covered.map((coverageType) => ({
      clauseId: null,
      key: null,
      version: 1,
      coverageType,
      titleZh: coverageType,
      titleEn: coverageType,
      bodyZh: '保障',
      bodyEn: 'Covered',
    })),
    submittedBy: user.id,
    approvedBy: user.id,
    publishedAt: new Date(),
  });
  await em.flush();
  return { manufacturer, user, product, plan, version };
}

/** An order of the plan, paid 30 days ago and covered from then for a year. */
export async function activeOrderRow(
  em: EntityManager,
  rows: Awaited<ReturnType<typeof planRows>>,
  overrides: Partial<Pick<Order, 'status' | 'coverageStart' | 'coverageEnd'>> = {},
) {
  const paidAt = new Date(Date.now() - 30 * 86_400_000);
  const order = em.create(Order, {
    id: randomUUID(),
    orderNumber: `YB${unique()}`,
    idempotencyKey: randomUUID(),
    manufacturer: rows.manufacturer.id,
    plan: rows.plan.id,
    planVersion: rows.version.id,
    product: rows.product.id,
    consumerName: 'Li Si',
    consumerPhone: '+8613987654321',
    serialNumber: `SN${unique()}`,
    productPurchaseDate: chinaDate(paidAt),
    productRetailPriceFen: rows.product.retailPriceFen,
    productCurrency: 'CNY',
    productBaseWarrantyMonths: 12,
    paymentProvider: 'sandbox',
    amountFen: 29_900,
    currency: 'CNY',
    status: 'active',
    coverageStart: chinaDate(paidAt),
    coverageEnd: addDays(chinaDate(paidAt), 364),
    paidAt,
    ...overrides,
  });
  await em.flush();
  return order;
}
