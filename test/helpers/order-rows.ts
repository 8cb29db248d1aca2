/**
 * Rows written straight through the ORM, for service tests that run without
 * Temporal: a manufacturer with its users and product, its plans, and orders of them.
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
import type { Plan as PlanRow } from '../../src/domain/entities/plan.entity.ts';
import { mintPublicCode } from '../../src/domain/public-code.ts';

/** A manufacturer with its users (admin, editor and approver at once) and one product. */
export interface MakerRows {
  manufacturer: Manufacturer;
  userIds: string[];
  productId: string;
  productModel: string;
}

export interface PlanRows {
  manufacturerId: string;
  /** The manufacturer's first user, who drafted and approved the plan. */
  userId: string;
  productId: string;
  productModel: string;
  planId: string;
  planVersionId: string;
}

const unique = () => randomUUID().replaceAll('-', '');

/** A manufacturer (named `name`, or a made-up name), `users` users of it, and its product. */
export async function makerRows(
  em: EntityManager,
  { name, users = 1 }: { name?: string; users?: number } = {},
): Promise<MakerRows> {
  const key = unique();
  const manufacturer = em.create(Manufacturer, {
    id: randomUUID(),
    name: name ?? `测试厂商 ${key.slice(0, 6)}`,
    usccCode: key.slice(0, 18).toUpperCase(),
    contactName: '王五',
    contactPhone: '+8613800000000',
    email: `m-${key}@example.com`,
  });
  const userIds = Array.from(
    { length: users },
    (_, i) =>
      em.create(User, {
        id: randomUUID(),
        manufacturer: manufacturer.id,
        email: `u${i}-${key}@example.com`,
        displayName: '王五',
        passwordHash: 'not a hash: nobody logs in',
        roles: ['admin', 'editor', 'approver'],
      }).id,
  );
  const product = em.create(MainProduct, {
    id: randomUUID(),
    manufacturer: manufacturer.id,
    brand: '星河',
    name: '洗衣机',
    model: `XH-${key.slice(0, 6)}`,
    category: 'washing_machine',
    retailPriceFen: 599_900,
    baseWarrantyMonths: 12,
    launchDate: '2025-01-01',
  });
  await em.flush();
  return { manufacturer, userIds, productId: product.id, productModel: product.model };
}

/**
 * A plan (version 1) of the manufacturer's product covering `coverageTypes`, drafted and approved by its
 * first user; on sale unless `status` says otherwise.
 */
export async function planRow(
  em: EntityManager,
  maker: MakerRows,
  version: { coolingOffDays?: number; coverageTypes?: CoverageType[]; status?: PlanRow['status'] } = {},
): Promise<PlanRows> {
  const coverageTypes = version.coverageTypes ?? ['parts_labour'];
  const userId = maker.userIds[0];
  if (!userId) throw new Error('a plan needs a user of its manufacturer to draft it');
  const manufacturerId = maker.manufacturer.id;
  const terms = {
    termMonths: 24,
    coverageStartRule: { kind: 'after_base_warranty' as const },
    priceFen: 29_900,
    currency: 'CNY',
    purchaseWindowDays: 365,
    coolingOffDays: version.coolingOffDays ?? 30,
    coverageTypes,
  };
  const draft = em.create(PlanDraft, {
    id: randomUUID(),
    ...terms,
    manufacturer: manufacturerId,
    product: maker.productId,
    createdBy: userId,
    nameZh: '两年延保',
    nameEn: 'Two-year extension',
    status: 'published',
    workflowId: `plan-draft-${unique()}`,
  });
  const plan = em.create(Plan, {
    id: randomUUID(),
    manufacturer: manufacturerId,
    product: maker.productId,
    draft: draft.id,
    code: mintPublicCode(),
    nameZh: '两年延保',
    nameEn: 'Two-year extension',
    currentVersion: 1,
    ...(version.status ? { status: version.status } : {}),
  });
  const planVersion = em.create(PlanVersion, {
    id: randomUUID(),
    ...terms,
    plan: plan.id,
    version: 1,
    clauses: coverageTypes.map((coverageType) => ({
      clauseId: null,
      key: null,
      version: 1,
      coverageType,
      titleZh: coverageType,
      titleEn: coverageType,
      bodyZh: '保障',
      bodyEn: 'Covered',
    })),
    submittedBy: userId,
    approvedBy: userId,
    publishedAt: new Date(),
  });
  await em.flush();
  return {
    manufacturerId,
    userId,
    productId: maker.productId,
    productModel: maker.productModel,
    planId: plan.id,
    planVersionId: planVersion.id,
  };
}

/** A manufacturer, its product and user, and a published plan (version 1) of the product covering `coverageTypes`. */
export async function planRows(
  em: EntityManager,
  version: { coolingOffDays?: number; coverageTypes?: CoverageType[] } = {},
): Promise<PlanRows> {
  return planRow(em, await makerRows(em), version);
}

/** An order of the plan, pending payment unless `overrides` say otherwise. */
export async function orderRow(
  em: EntityManager,
  plan: PlanRows,
  overrides: Partial<
    Pick<Order, 'consumerPhone' | 'status' | 'paidAt' | 'coverageStart' | 'coverageEnd' | 'amountFen'>
  > = {},
): Promise<Order> {
  const key = unique();
  const order = em.create(Order, {
    orderNumber: `YB${key.slice(0, 16).toUpperCase()}`,
    idempotencyKey: key,
    manufacturer: plan.manufacturerId,
    plan: plan.planId,
    planVersion: plan.planVersionId,
    product: plan.productId,
    consumerName: '李四',
    consumerPhone: '+8613912345678',
    serialNumber: `XH${key.slice(0, 10)}`,
    productPurchaseDate: '2025-06-01',
    productRetailPriceFen: 599_900,
    productCurrency: 'CNY',
    productBaseWarrantyMonths: 12,
    paymentProvider: 'sandbox',
    amountFen: 29_900,
    currency: 'CNY',
    ...overrides,
  });
  await em.flush();
  return order;
}

/** An order of the plan, paid 30 days ago and covered from then for a year. */
export function activeOrderRow(
  em: EntityManager,
  plan: PlanRows,
  overrides: Partial<Pick<Order, 'status' | 'coverageStart' | 'coverageEnd'>> = {},
): Promise<Order> {
  const paidAt = new Date(Date.now() - 30 * 86_400_000);
  return orderRow(em, plan, {
    status: 'active',
    paidAt,
    coverageStart: chinaDate(paidAt),
    coverageEnd: addDays(chinaDate(paidAt), 364),
    ...overrides,
  });
}
