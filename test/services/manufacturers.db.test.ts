/**
 * Manufacturer administration on PostgreSQL, without HTTP or Temporal: the
 * admin's list with each manufacturer's counts, and suspension with its notice
 * in the outbox and the landing pages' cache retired.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type Manufacturer, Notification, type Plan } from '../../src/domain/entities/index.ts';
import type { OrderStatus } from '../../src/domain/entities/order.entity.ts';
import { createNotifier, type OutgoingMessage } from '../../src/notifications/notifier.ts';
import { LandingCache } from '../../src/services/landing-cache.ts';
import { listManufacturers, setManufacturerStatus } from '../../src/services/manufacturers.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { refusal, said } from '../helpers/messages.ts';
import { makerRows, orderRow, planRow } from '../helpers/order-rows.ts';

let db: TestDatabase;
const em = () => db.orm.em.fork();
const config = { ...loadConfig(), publicBaseUrl: 'https://yanbao.test' };
const delivered: OutgoingMessage[] = [];
const notifications = createNotifier(
  {
    async send(message) {
      delivered.push(message);
      return { provider: 'log', providerMessageId: null };
    },
  },
  config,
);
/** A manufacturer with users, plans of each status and, for every plan, orders of each status. */
async function manufacturer(
  name: string,
  { users = 0, plans = [] as Plan['status'][], orders = [] as OrderStatus[] } = {},
) {
  const tx = em();
  const maker = await makerRows(tx, { name, users });
  for (const status of plans) {
    const plan = await planRow(tx, maker, { status });
    for (const orderStatus of orders) await orderRow(tx, plan, { status: orderStatus });
  }
  return maker.manufacturer;
}

const prefix = `Svc${randomBytes(6).toString('hex').toUpperCase()}`;
let busy: Manufacturer;

beforeAll(async () => {
  db = await createTestDatabase(inject('templateDatabase'));
  // Each on-sale and retired plan gets one order of each status listed.
  busy = await manufacturer(`${prefix} 忙 100%_busy`, {
    users: 3,
    plans: ['on_sale', 'on_sale', 'retired'],
    orders: ['active', 'pending_payment', 'cancelled'],
  });
  await manufacturer(`${prefix} 空 idle`);
});
afterAll(() => db?.drop());

describe('listManufacturers', () => {
  it('counts each one’s users, plans on sale and active orders; none as 0', async () => {
    const { items, total } = await listManufacturers(em(), { q: prefix, limit: 10, offset: 0 });
    expect(total).toBe(2);
    expect(items.map((m) => [m.name.split(' ')[1], m.users, m.plansOnSale, m.activeOrders])).toEqual([
      ['忙', 3, 2, 3],
      ['空', 0, 0, 0],
    ]);
  });

  it('matches the text literally, LIKE wildcards included, in the name or the credit code', async () => {
    const names = async (q: string) =>
      (await listManufacturers(em(), { q, limit: 10, offset: 0 })).items.map((m) => m.id);
    expect(await names('100%_busy')).toEqual([busy.id]);
    expect(await names('100%_b_sy')).toEqual([]);
    expect(await names(busy.usccCode.toLowerCase())).toEqual([busy.id]);
  });
});

describe('setManufacturerStatus', () => {
  it('suspends with a notice in the outbox and the landing cache retired, refuses it twice, and reactivates', async () => {
    const landingCache = new LandingCache();
    let invalidated = 0;
    landingCache.invalidate = () => void invalidated++;
    const deps = () => ({ em: em(), notifications, config, landingCache });

    const suspended = await setManufacturerStatus(deps(), busy.id, 'suspended', {
      reason: '资质审核',
      by: '平台 李',
    });
    expect(suspended).toMatchObject({
      id: busy.id,
      status: 'suspended',
      users: 3,
      plansOnSale: 2,
      activeOrders: 3,
    });
    expect(invalidated).toBe(1);
    const notice = await em().findOneOrFail(
      Notification,
      { dedupeKey: { $like: `manufacturer-suspended:${busy.id}:%` } },
      { orderBy: { createdAt: 'desc' } },
    );
    expect(notice).toMatchObject({
      channel: 'email',
      recipient: busy.email,
      subject: `延保平台账户已暂停 / Yanbao account suspended: ${busy.name}`,
      body:
        '您的延保方案已暂停销售，已售订单继续有效；账户暂时只能查看。原因：资质审核\n' +
        'Your plans are no longer on sale; orders already sold stay valid, and your account is read-only for now. Reason: 资质审核\n' +
        '(平台 李, https://yanbao.test)',
    });
    expect(delivered.at(-1)?.recipient).toBe(busy.email);

    expect(
      said(await refusal(setManufacturerStatus(deps(), busy.id, 'suspended', { by: '平台 李' }))),
    ).toEqual({
      status: 409,
      message: 'the manufacturer is already suspended',
    });
    expect(invalidated).toBe(1);

    expect(await setManufacturerStatus(deps(), busy.id, 'active', { by: '平台 李' })).toMatchObject({
      status: 'active',
    });
    expect(invalidated).toBe(2);
    const lifted = await em().findOneOrFail(Notification, {
      dedupeKey: { $like: `manufacturer-active:${busy.id}:%` },
    });
    expect(lifted.body).toBe(
      '您的延保方案恢复销售，账户恢复正常。\nYour plans are on sale again and your account is fully usable. \n(平台 李)',
    );
  });

  it('answers 404 for a manufacturer that does not exist', async () => {
    const deps = { em: em(), notifications, config, landingCache: new LandingCache() };
    expect(said(await refusal(setManufacturerStatus(deps, randomUUID(), 'suspended', { by: 'x' })))).toEqual({
      status: 404,
      message: 'manufacturer not found',
    });
  });
});
