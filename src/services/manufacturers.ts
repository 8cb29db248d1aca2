/**
 * The platform admin's view of manufacturers: the list with each one's users,
 * plans on sale and active orders, and suspension (its plans stop selling, its
 * users can only read, orders stay valid) and reactivation.
 */
import { type EntityName, type FilterQuery, raw } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { Manufacturer, Order, Plan, User } from '../domain/entities/index.ts';
import type { MANUFACTURER_STATUSES } from '../domain/entities/manufacturer.entity.ts';
import { conflict, errorMessage, notFound } from '../domain/errors.ts';
import { enqueueAndDeliver, type Notifier } from '../notifications/notifier.ts';
import type { LandingCache } from './landing-cache.ts';

type ManufacturerStatus = (typeof MANUFACTURER_STATUSES)[number];

/** How many rows of `entity` matching `where` each manufacturer has: one grouped query. */
async function countByManufacturer<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
): Promise<Map<string, number>> {
  const rows: { manufacturer_id: string; n: number }[] = await em
    .createQueryBuilder(entity)
    .select(['manufacturer', raw('count(*)::int as n')])
    .where(where)
    .groupBy('manufacturer')
    .execute('all', false);
  return new Map(rows.map((r) => [r.manufacturer_id, r.n]));
}

/**
 * Counts the users, plans on sale and active orders of the manufacturers (three
 * grouped queries for a page) and answers how the admin sees one of them.
 */
async function manufacturerViewer(em: EntityManager, manufacturers: Manufacturer[]) {
  const ids = manufacturers.map((m) => m.id);
  const [users, plans, orders] = ids.length
    ? await Promise.all([
        countByManufacturer(em, User, { manufacturer: { $in: ids } }),
        countByManufacturer(em, Plan, { manufacturer: { $in: ids }, status: 'on_sale' }),
        countByManufacturer(em, Order, { manufacturer: { $in: ids }, status: 'active' }),
      ])
    : [];
  return (m: Manufacturer) => ({
    id: m.id,
    name: m.name,
    usccCode: m.usccCode,
    contactName: m.contactName,
    email: m.email,
    status: m.status,
    createdAt: m.createdAt.toISOString(),
    users: users?.get(m.id) ?? 0,
    plansOnSale: plans?.get(m.id) ?? 0,
    activeOrders: orders?.get(m.id) ?? 0,
  });
}

export interface ManufacturerListQuery {
  status?: ManufacturerStatus | undefined;
  /** A name or credit code, matched as typed anywhere in it. */
  q?: string | undefined;
  limit: number;
  offset: number;
}

/** A page of manufacturers by name, filtered by status and text, and how many there are. */
export async function listManufacturers(
  em: EntityManager,
  { status, q, limit, offset }: ManufacturerListQuery,
) {
  const like = q ? `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
  const [items, total] = await em.findAndCount(
    Manufacturer,
    {
      ...(status ? { status } : {}),
      ...(like ? { $or: [{ name: { $ilike: like } }, { usccCode: { $ilike: like } }] } : {}),
    },
    { orderBy: { name: 'asc' }, limit, offset },
  );
  return { items: items.map(await manufacturerViewer(em, items)), total };
}

export interface ManufacturerStatusDeps {
  em: EntityManager;
  notifications: Notifier;
  config: Pick<AppConfig, 'publicBaseUrl'>;
  /** This process's QR landing pages, which show whether the manufacturer's plans sell. */
  landingCache: LandingCache;
}

/** Suspends or reactivates a manufacturer (409 when it already is so) and tells it why by email. */
export async function setManufacturerStatus(
  { em, notifications, config, landingCache }: ManufacturerStatusDeps,
  id: string,
  status: ManufacturerStatus,
  { reason = '', by }: { reason?: string | undefined; by: string },
) {
  const manufacturer = await em.findOne(Manufacturer, { id });
  if (!manufacturer) throw notFound('manufacturer');
  if (manufacturer.status === status) throw conflict(errorMessage('manufacturerAlready', { status }));
  manufacturer.status = status;
  await em.flush();
  // Its landing pages answer 410 (or sell again) from the next request on.
  landingCache.invalidate();
  // The outbox keeps the notice, so who changed the status, when and why stays on record.
  await enqueueAndDeliver(em, notifications, [
    {
      dedupeKey: `manufacturer-${status}:${manufacturer.id}:${manufacturer.updatedAt.getTime()}`,
      channel: 'email',
      recipient: manufacturer.email,
      subject:
        status === 'suspended'
          ? `延保平台账户已暂停 / Yanbao account suspended: ${manufacturer.name}`
          : `延保平台账户已恢复 / Yanbao account reactivated: ${manufacturer.name}`,
      body:
        status === 'suspended'
          ? `您的延保方案已暂停销售，已售订单继续有效；账户暂时只能查看。原因：${reason || '—'}\n` +
            `Your plans are no longer on sale; orders already sold stay valid, and your account is read-only for now. Reason: ${reason || '—'}\n` +
            `(${by}, ${config.publicBaseUrl})`
          : `您的延保方案恢复销售，账户恢复正常。${reason}\nYour plans are on sale again and your account is fully usable. ${reason}\n(${by})`,
    },
  ]);
  return (await manufacturerViewer(em, [manufacturer]))(manufacturer);
}
