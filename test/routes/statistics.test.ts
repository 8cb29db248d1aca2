/**
 * The statistics API against real PostgreSQL and the real purchase and
 * roll-up workflows: orders bought through the purchase flow, a cancellation
 * with its refund, claims and per-unit codes written directly; today's orders
 * live, everything else from the roll-up (the same numbers run twice or
 * rebuilt), weekly and monthly buckets, attach rates, CSV exports, tenant
 * isolation and every bad query parameter named.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import {
  Cancellation,
  Claim,
  Order,
  OrderStatsDaily,
  Payment,
  Refund,
  UnitCode,
  UnitQrBatch,
} from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { weekStart } from '../../src/services/statistics.ts';
import type { StatsRollupWorkflow } from '../../workflows/stats-rollup.workflow.ts';
import { signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { nextSerial, pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const PRICE = 29_900;

interface Figures {
  orders: number;
  revenueFen: number;
  cancellations: number;
  refundsFen: number;
  claims: number;
  approvedClaims: number;
  claimCostFen: number;
  netRevenueFen: number;
  claimsRate: number | null;
  averageRepairCostFen: number | null;
}

interface View {
  from: string;
  to: string;
  granularity: string;
  today: string;
  totals: Figures;
  series: (Omit<Figures, 'netRevenueFen' | 'averageRepairCostFen'> & { period: string })[];
  byPlan: (Figures & { planId: string; code: string })[];
  byProduct: (Figures & { productId: string; model: string })[];
}

describe('statistics API', () => {
  let h: Harness;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  let other: Awaited<ReturnType<typeof signUp>>;
  let manufacturerId: string;
  const orders: Order[] = [];
  let today: string;

  /** A paid, active order bought through the purchase flow. */
  async function paidOrder(serialNumber = nextSerial()) {
    const placed = await register(h, registration(seller.code, { serialNumber }));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    return h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
  }

  const rollUp = (input: Parameters<typeof StatsRollupWorkflow>[0]) =>
    h.client.workflow.execute<typeof StatsRollupWorkflow>('StatsRollupWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `stats-rollup-test-${randomUUID()}`,
      args: [input],
    });

  const stats = async (query = '', session = seller.editor.session) => {
    const response = await session.request('GET', `/api/v1/statistics${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as View;
  };

  const rollupRows = async () =>
    (await h.db.orm.em.fork().find(OrderStatsDaily, {}, { orderBy: { day: 'asc', plan: 'asc' } })).map(
      ({ updatedAt: _updatedAt, ...row }) => row,
    );

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    seller = await publishedPlan(h);
    other = await signUp(h.app, 'Other');
    for (let i = 0; i < 3; i++) orders.push(await paidOrder());
    // Registered but never paid: not an order in the statistics.
    await register(h, registration(seller.code));

    const em = h.db.orm.em.fork();
    const [cancelled, repaired, claimed] = orders as [Order, Order, Order];
    manufacturerId = cancelled.manufacturer;
    const now = new Date();
    // A cancellation refunded in full, as the cancellation workflow leaves it.
    const payment = await em.findOneOrFail(Payment, { order: cancelled.id, status: 'captured' });
    await em.nativeUpdate(Order, { id: cancelled.id }, { status: 'cancelled', cancelledAt: now });
    em.create(Cancellation, {
      order: cancelled.id,
      workflowId: `cancellation-test-${cancelled.orderNumber}`,
      withinCoolingOff: true,
      refundFen: PRICE,
      status: 'refunded',
      refundedAt: now,
    });
    em.create(Refund, {
      payment: payment.id,
      reason: 'cancellation',
      amountFen: PRICE,
      currency: 'CNY',
      providerRefundId: `refund-test-${cancelled.orderNumber}`,
    });
    // One repaired claim with its cost, one still waiting for a decision.
    const claim = (order: Order, n: number) => ({
      claimNumber: `CLTEST${n}${randomUUID().slice(0, 8)}`,
      order: order.id,
      manufacturer: order.manufacturer,
      faultDescription: '屏幕碎裂',
      faultDate: chinaDate(now),
      contactPhone: '+8613912345678',
      coverageType: 'screen' as const,
      workflowId: `claim-test-${randomUUID()}`,
    });
    em.create(Claim, {
      ...claim(repaired, 1),
      status: 'repaired',
      repairCostFen: 12_000,
      outcome: 'repaired',
      decidedAt: now,
      repairedAt: now,
    });
    em.create(Claim, { ...claim(claimed, 2), status: 'submitted' });
    // Per-unit codes for four units: one bought and active, one bought and cancelled, two unsold.
    const batch = em.create(UnitQrBatch, {
      id: randomUUID(),
      manufacturer: manufacturerId,
      plan: seller.planId,
      format: 'zip',
      total: 4,
      done: 4,
      status: 'done',
      workflowId: `unit-batch-test-${randomUUID()}`,
    });
    for (const serialNumber of [repaired.serialNumber, cancelled.serialNumber, nextSerial(), nextSerial()])
      em.create(UnitCode, { plan: seller.planId, batch: batch.id, serialNumber });
    await em.flush();
    today = chinaDate(new Date());
  });
  afterAll(() => h?.close());

  const expectedToday = {
    orders: 3,
    revenueFen: 3 * PRICE,
    cancellations: 1,
    refundsFen: PRICE,
    claims: 2,
    approvedClaims: 1,
    claimCostFen: 12_000,
    netRevenueFen: 2 * PRICE,
    claimsRate: 0.666667,
    averageRepairCostFen: 12_000,
  };

  it("shows today's orders and revenue live, before any roll-up", async () => {
    expect(await h.db.orm.em.fork().count(OrderStatsDaily)).toBe(0);
    const view = await stats();
    expect(view).toMatchObject({ to: today, from: addDays(today, -29), granularity: 'day', today });
    // Cancellations, refunds and claims of today come with the roll-up (every minute in production).
    const liveOnly = {
      ...expectedToday,
      cancellations: 0,
      refundsFen: 0,
      claims: 0,
      approvedClaims: 0,
      claimCostFen: 0,
      netRevenueFen: 3 * PRICE,
      claimsRate: 0,
      averageRepairCostFen: null,
    };
    expect(view.totals).toEqual(liveOnly);
    expect(view.series).toHaveLength(30);
    expect(view.series.at(-1)).toMatchObject({ period: today, orders: 3, revenueFen: 3 * PRICE });
    expect(view.series.slice(0, -1).every((p) => p.orders === 0)).toBe(true);
    expect(view.byPlan).toEqual([
      expect.objectContaining({ ...liveOnly, planId: seller.planId, code: seller.code }),
    ]);
  });

  it('rolls up idempotently: run twice or rebuilt, the rows and the answers stay the same', async () => {
    const first = await rollUp({ recentDays: 3 });
    expect(first).toMatchObject({ from: addDays(today, -2), to: today, rebuilt: false });
    expect(first.changedRows).toBe(1);
    const rows = await rollupRows();
    expect(rows).toEqual([
      {
        day: today,
        manufacturer: manufacturerId,
        plan: seller.planId,
        product: seller.productId,
        orders: 3,
        revenueFen: 3 * PRICE,
        cancellations: 1,
        refundsFen: PRICE,
        claims: 2,
        approvedClaims: 1,
        claimCostFen: 12_000,
      },
    ]);
    const view = await stats();
    expect(view.totals).toEqual(expectedToday);
    expect(view.series.at(-1)).toMatchObject({ period: today, orders: 3, claims: 2, claimsRate: 0.666667 });
    expect(view.byPlan).toEqual([
      expect.objectContaining({
        ...expectedToday,
        planId: seller.planId,
        code: seller.code,
        productId: seller.productId,
      }),
    ]);
    expect(view.byProduct).toEqual([
      expect.objectContaining({ ...expectedToday, productId: seller.productId, model: 'XH-X5-256' }),
    ]);

    const second = await rollUp({ recentDays: 3 });
    expect(second.changedRows).toBe(0);
    const rebuilt = await rollUp({ rebuild: {} });
    expect(rebuilt).toMatchObject({ from: today, to: today, rebuilt: true, changedRows: 0 });
    expect(await rollupRows()).toEqual(rows);
    expect(await stats()).toEqual({ ...view, generatedAt: expect.any(String) });
  });

  it('gives attach rates of per-unit QR codes: units with an active, cancelled or ended order', async () => {
    const response = await seller.editor.session.request('GET', '/api/v1/statistics/attach-rates');
    expect(response.statusCode, response.body).toBe(200);
    // Four units: one bought and active, one bought and cancelled (both marked by the roll-ups above), two unsold.
    expect(response.json()).toEqual({
      items: [{ planId: seller.planId, unitsIssued: 4, attachedUnits: 2, attachRate: 0.5 }],
    });
    const filtered = await seller.editor.session.request(
      'GET',
      `/api/v1/statistics/attach-rates?productId=${seller.productId}`,
    );
    expect(filtered.json().items).toHaveLength(1);
    const mine = await other.session.request('GET', '/api/v1/statistics/attach-rates');
    expect(mine.json()).toEqual({ items: [] });
    const theirs = await other.session.request(
      'GET',
      `/api/v1/statistics/attach-rates?planId=${seller.planId}`,
    );
    expect(theirs.statusCode).toBe(404);
  });

  it('counts a unit sold before its code was issued as attached as soon as the batch issues it', async () => {
    const claimed = orders[2] as Order; // bought, but no per-unit code yet
    const created = await seller.editor.session.request(
      'POST',
      `/api/v1/plans/${seller.planId}/unit-batches`,
      {
        serials: [claimed.serialNumber],
        format: 'zip',
      },
    );
    expect(created.statusCode, created.body).toBe(201);
    const batchId = (created.json() as { id: string }).id;
    await expect
      .poll(
        async () =>
          (await seller.editor.session.request('GET', `/api/v1/unit-batches/${batchId}`)).json().status,
        { timeout: 30_000 },
      )
      .toBe('done');
    // No roll-up ran since the batch: the batch itself marked the unit.
    const response = await seller.editor.session.request('GET', '/api/v1/statistics/attach-rates');
    expect(response.json()).toEqual({
      items: [{ planId: seller.planId, unitsIssued: 5, attachedUnits: 3, attachRate: 0.6 }],
    });
  });

  it('answers earlier days from the roll-up, in daily, weekly and monthly buckets', async () => {
    // One order moves to five days ago, as if it had been bought then.
    const moved = orders[2] as Order;
    const past = new Date(Date.now() - 5 * 86_400_000);
    const pastDay = chinaDate(past);
    await h.db.orm.em.fork().nativeUpdate(Order, { id: moved.id }, { createdAt: past, paidAt: past });

    // Live today no longer counts it; the past day has nothing until a roll-up covers it.
    let view = await stats();
    expect(view.series.at(-1)?.orders).toBe(2);
    expect(view.totals.orders).toBe(2);

    await rollUp({ recentDays: 3 });
    expect((await stats()).totals.orders).toBe(2);
    await rollUp({ recentDays: 7 });
    view = await stats();
    expect(view.totals.orders).toBe(3);
    expect(view.series.find((p) => p.period === pastDay)).toMatchObject({ orders: 1, revenueFen: PRICE });
    // Yesterday's roll-up row for today is ignored: today stays live.
    expect(view.series.at(-1)).toMatchObject({ period: today, orders: 2 });

    const weekly = await stats(`?granularity=week&from=${addDays(today, -13)}&to=${today}`);
    expect(weekly.series[0]?.period).toBe(weekStart(addDays(today, -13)));
    expect(weekly.series.at(-1)?.period).toBe(weekStart(today));
    expect(weekly.series.reduce((sum, p) => sum + p.orders, 0)).toBe(3);
    expect(weekly.series.find((p) => p.period === weekStart(pastDay))?.orders).toBeGreaterThanOrEqual(1);
    const monthly = await stats(`?granularity=month&from=${addDays(today, -40)}&to=${today}`);
    expect(monthly.series.every((p) => p.period.endsWith('-01'))).toBe(true);
    expect(monthly.totals).toEqual(view.totals);

    // Filters: by plan, by product; a range in the past only reads the roll-up.
    expect((await stats(`?planId=${seller.planId}`)).totals).toEqual(view.totals);
    expect((await stats(`?productId=${seller.productId}`)).totals).toEqual(view.totals);
    const onlyPast = await stats(`?from=${pastDay}&to=${pastDay}`);
    // Its claim was filed today, so it stays on today.
    expect(onlyPast.totals).toMatchObject({ orders: 1, revenueFen: PRICE, claims: 0 });
    expect(onlyPast.series).toEqual([expect.objectContaining({ period: pastDay, orders: 1 })]);
  });

  it('exports the daily rows and the orders as CSV', async () => {
    const daily = await seller.editor.session.request('GET', '/api/v1/statistics/daily.csv');
    expect(daily.statusCode, daily.body).toBe(200);
    expect(daily.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(daily.headers['content-disposition']).toBe(
      `attachment; filename="yanbao-daily-${addDays(today, -29)}-${today}.csv"`,
    );
    const lines = daily.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines[0]).toBe(
      'day,plan_id,plan_code,plan_name_zh,plan_name_en,product_id,product_brand,product_model,currency,orders,revenue_fen,cancellations,refunds_fen,claims,approved_claims,claim_cost_fen',
    );
    const pastDay = chinaDate(new Date(Date.now() - 5 * 86_400_000));
    const prefix = `${seller.planId},${seller.code},星河手机两年全面保障,Xinghe Phone 2-Year Complete Care,${seller.productId},星河,XH-X5-256,CNY`;
    expect(lines.slice(1)).toEqual([
      `${pastDay},${prefix},1,${PRICE},0,0,0,0,0`,
      `${today},${prefix},2,${2 * PRICE},1,${PRICE},2,1,12000`,
    ]);

    const exported = await seller.editor.session.request('GET', '/api/v1/statistics/orders.csv');
    expect(exported.statusCode, exported.body).toBe(200);
    const rows = exported.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows[0]).toBe(
      'order_number,paid_at_china,status,plan_code,product_model,serial_number,amount_fen,currency,coverage_start,coverage_end,cancelled_at_china,ended_at_china',
    );
    expect(rows).toHaveLength(4);
    for (const order of orders) expect(exported.body).toContain(order.orderNumber);
    const cancelled = rows.find((r: string) =>
      r.startsWith(`${(orders[0] as Order).orderNumber},`),
    ) as string;
    expect(cancelled.split(',')).toMatchObject({
      2: 'cancelled',
      3: seller.code,
      6: String(PRICE),
      7: 'CNY',
    });
    expect(cancelled.split(',')[10]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    // The seller's export carries no consumer names or phone numbers.
    expect(exported.body).not.toContain('张三');
    expect(exported.body).not.toContain('13912345678');
  });

  it("shows another manufacturer nothing of the seller's", async () => {
    const view = await stats('', other.session);
    expect(view.totals.orders).toBe(0);
    expect(view.byPlan).toEqual([]);
    expect(view.byProduct).toEqual([]);
    for (const query of [`?planId=${seller.planId}`, `?productId=${seller.productId}`]) {
      const response = await other.session.request('GET', `/api/v1/statistics${query}`);
      expect(response.statusCode, query).toBe(404);
      const csv = await other.session.request('GET', `/api/v1/statistics/daily.csv${query}`);
      expect(csv.statusCode, query).toBe(404);
    }
    const daily = await other.session.request('GET', '/api/v1/statistics/daily.csv');
    expect(
      daily.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
    const exported = await other.session.request('GET', '/api/v1/statistics/orders.csv');
    expect(
      exported.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n'),
    ).toHaveLength(1);
  });

  it('names every bad query parameter, and needs a signed-in manufacturer', async () => {
    const cases: [string, string][] = [
      ['?granularity=hour', 'querystring.granularity'],
      ['?from=2026-02-30', 'querystring.from'],
      ['?to=yesterday', 'querystring.to'],
      ['?planId=not-a-uuid', 'querystring.planId'],
      ['?productId=42', 'querystring.productId'],
      // Ajv's uuid format alone lets this through; PostgreSQL refuses it.
      ['?productId=urn:uuid:00000000-0000-4000-8000-000000000000', 'querystring.productId'],
      ['?from=2026-03-10&to=2026-03-01', 'querystring.from'],
      ['?from=2016-01-01&to=2026-01-01', 'querystring.from'],
    ];
    for (const [query, field] of cases) {
      for (const path of [
        '/api/v1/statistics',
        '/api/v1/statistics/daily.csv',
        '/api/v1/statistics/orders.csv',
      ]) {
        const response = await seller.editor.session.request('GET', `${path}${query}`);
        expect(response.statusCode, `${path}${query}: ${response.body}`).toBe(400);
        expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
      }
    }
    const anonymous = await h.app.inject({ method: 'GET', url: '/api/v1/statistics' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('serves Chart.js for the dashboard page from this origin', async () => {
    const response = await h.app.inject({ method: 'GET', url: '/api/v1/statistics/chart.umd.min.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.body).toContain('Chart.js v4');
  });
});
