/**
 * StatsRollupWorkflow on the real Temporal dev server, worker and database:
 * the window it recomputes (recent days, catching up after the previous run,
 * the schedule's first run, backfills, refused input), idempotent runs, rows
 * that lose their facts set to zero, and the Temporal Schedule that runs it
 * (created, updated, triggered; the second run continues from the first).
 */
import { randomUUID } from 'node:crypto';
import { ScheduleOverlapPolicy, WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppConfig } from '../../src/config.ts';
import { addDays, chinaDate } from '../../src/domain/coverage.ts';
import { Order, OrderStatsDaily, Plan, PlanVersion } from '../../src/domain/entities/index.ts';
import { ensureStatsRollupSchedule } from '../../src/services/statistics.ts';
import {
  rollupWindow,
  STATS_ROLLUP_ERRORS,
  type StatsRollupInput,
  type StatsRollupResult,
  StatsRollupWorkflow,
} from '../../workflows/stats-rollup.workflow.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import { nextSerial, publishedPlan } from '../helpers/purchase-fixtures.ts';

const PRICE = 29_900;

describe('rollupWindow', () => {
  const today = '2026-11-26';

  it('recomputes the recent days, stretched back to where the previous run stopped', () => {
    expect(rollupWindow({}, today, undefined)).toEqual({ from: '2026-11-24', to: today, rebuild: false });
    expect(rollupWindow({ recentDays: 1 }, today, { to: today })).toEqual({
      from: today,
      to: today,
      rebuild: false,
    });
    // After an outage, the run catches up from the last day the previous successful run covered.
    expect(rollupWindow({ recentDays: 3 }, today, { to: '2026-11-01' })).toMatchObject({
      from: '2026-11-01',
    });
    expect(rollupWindow({ recentDays: 3 }, today, { to: '2026-11-25' })).toMatchObject({
      from: '2026-11-24',
    });
  });

  it("rebuilds on the schedule's first run and for a backfill", () => {
    expect(rollupWindow({ recentDays: 3, rebuildOnFirstRun: true }, today, undefined)).toEqual({
      from: null,
      to: today,
      rebuild: true,
    });
    expect(rollupWindow({ recentDays: 3, rebuildOnFirstRun: true }, today, { to: today })).toMatchObject({
      rebuild: false,
    });
    expect(rollupWindow({ rebuild: {} }, today, { to: today })).toEqual({
      from: null,
      to: today,
      rebuild: true,
    });
    expect(rollupWindow({ rebuild: { from: '2026-01-01', to: '2026-06-30' } }, today, undefined)).toEqual({
      from: '2026-01-01',
      to: '2026-06-30',
      rebuild: true,
    });
  });

  it('refuses malformed input as a non-retryable business error', () => {
    const refused = (input: StatsRollupInput) => {
      try {
        rollupWindow(input, today, undefined);
      } catch (err) {
        expect(err).toBeInstanceOf(ApplicationFailure);
        expect((err as ApplicationFailure).type).toBe(STATS_ROLLUP_ERRORS.invalidInput);
        expect((err as ApplicationFailure).nonRetryable).toBe(true);
        return (err as Error).message;
      }
      throw new Error(`accepted ${JSON.stringify(input)}`);
    };
    expect(refused({ recentDays: 0 })).toMatch(/recentDays/);
    expect(refused({ recentDays: 400 })).toMatch(/recentDays/);
    expect(refused({ recentDays: 1.5 })).toMatch(/recentDays/);
    expect(refused({ rebuild: { from: '2026-02-30' } })).toMatch(/rebuild\.from/);
    expect(refused({ rebuild: { to: 'today' } })).toMatch(/rebuild\.to/);
    expect(refused({ rebuild: { from: '2026-07-01', to: '2026-06-30' } })).toMatch(/not be after/);
  });
});

describe('StatsRollupWorkflow', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let manufacturerId: string;
  const today = () => chinaDate(new Date());
  const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

  const run = (input: StatsRollupInput, workflowId = `stats-rollup-test-${randomUUID()}`) =>
    h.client.workflow
      .execute<typeof StatsRollupWorkflow>(StatsRollupWorkflow, {
        taskQueue: h.config.temporal.taskQueue,
        workflowId,
        args: [input],
      })
      .then((result) => ({ workflowId, result }));

  const table = async () =>
    (await h.db.orm.em.fork().find(OrderStatsDaily, {}, { orderBy: { day: 'asc' } })).map((r) => ({
      day: r.day,
      orders: r.orders,
      revenueFen: r.revenueFen,
    }));

  /** An order paid `days` days ago (or never paid), written directly. */
  async function order(days: number, paid = true) {
    const em = h.db.orm.em.fork();
    const version = await em.findOneOrFail(PlanVersion, { plan: plan.planId });
    const id = randomUUID();
    const key = randomUUID().replaceAll('-', '');
    em.create(Order, {
      id,
      orderNumber: `YBT${key.slice(0, 13).toUpperCase()}`,
      idempotencyKey: `${key}${key}`,
      manufacturer: manufacturerId,
      plan: plan.planId,
      planVersion: version.id,
      product: plan.productId,
      consumerName: '李四',
      consumerPhone: '+8613912345678',
      serialNumber: nextSerial(),
      productPurchaseDate: chinaDate(daysAgo(days + 10)),
      productRetailPriceFen: 599_900,
      productCurrency: 'CNY',
      productBaseWarrantyMonths: 12,
      paymentProvider: 'sandbox',
      amountFen: PRICE,
      currency: 'CNY',
      status: paid ? 'active' : 'expired',
    });
    await em.flush();
    const at = daysAgo(days);
    await em.nativeUpdate(
      Order,
      { id },
      { createdAt: at, paidAt: paid ? at : null, expiredAt: paid ? null : at },
    );
    return id;
  }

  beforeAll(async () => {
    h = await startHarness();
    plan = await publishedPlan(h);
    manufacturerId = (await h.db.orm.em.fork().findOneOrFail(Plan, { id: plan.planId })).manufacturer;
  });
  afterAll(() => h?.close());

  it('recomputes the recent days idempotently, and a backfill reaches further back', async () => {
    await order(1);
    await order(1);
    await order(2);
    await order(10);
    await order(1, false); // never paid: not an order in the statistics

    const recent = await run({ recentDays: 3 });
    await recordHistory(h.client, recent.workflowId, 'stats-rollup-recent');
    expect(recent.result).toMatchObject({
      from: addDays(today(), -2),
      to: today(),
      rebuilt: false,
      changedRows: 2,
    });
    const rows = await table();
    expect(rows).toEqual([
      { day: chinaDate(daysAgo(2)), orders: 1, revenueFen: PRICE },
      { day: chinaDate(daysAgo(1)), orders: 2, revenueFen: 2 * PRICE },
    ]);

    const again = await run({ recentDays: 3 });
    expect(again.result.changedRows).toBe(0);
    expect(await table()).toEqual(rows);

    const rebuild = await run({ rebuild: {} });
    await recordHistory(h.client, rebuild.workflowId, 'stats-rollup-rebuild');
    expect(rebuild.result).toMatchObject({
      from: chinaDate(daysAgo(10)),
      to: today(),
      rebuilt: true,
      changedRows: 1,
    });
    expect(await table()).toEqual([{ day: chinaDate(daysAgo(10)), orders: 1, revenueFen: PRICE }, ...rows]);
  });

  it('sets a day to zero when its facts move away, and refuses bad input without retrying', async () => {
    // The only order of two days ago turns out to have been paid 30 days ago.
    const em = h.db.orm.em.fork();
    const moved = await em.findOneOrFail(Order, { paidAt: { $gte: daysAgo(2.5), $lt: daysAgo(1.5) } });
    await em.nativeUpdate(Order, { id: moved.id }, { createdAt: daysAgo(30), paidAt: daysAgo(30) });
    const { result } = await run({ recentDays: 3 });
    expect(result.changedRows).toBe(1);
    expect(await table()).toContainEqual({ day: chinaDate(daysAgo(2)), orders: 0, revenueFen: 0 });
    await run({ rebuild: { from: chinaDate(daysAgo(31)) } });
    expect(await table()).toContainEqual({ day: chinaDate(daysAgo(30)), orders: 1, revenueFen: PRICE });

    const failed = await run({ recentDays: 0 }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    const cause = (failed as WorkflowFailedError).cause as ApplicationFailure;
    expect(cause.type).toBe(STATS_ROLLUP_ERRORS.invalidInput);
    expect(cause.nonRetryable).toBe(true);
  });

  it('runs on a Temporal Schedule: first run rebuilds, the next continues from its result', async () => {
    const scheduleId = `stats-rollup-test-${randomUUID()}`;
    const config: Pick<AppConfig, 'stats' | 'temporal' | 'payloadKeys'> = {
      stats: { rollupEvery: '1 hour', rollupDays: 3 },
      temporal: h.config.temporal,
      payloadKeys: h.config.payloadKeys,
    };
    expect(await ensureStatsRollupSchedule(h.client.connection, config, scheduleId)).toBe('created');
    const handle = h.client.schedule.getHandle(scheduleId);
    try {
      // Run again with a new interval (a changed STATS_ROLLUP_EVERY): the schedule is updated in place.
      const updated = { ...config, stats: { ...config.stats, rollupEvery: '30 minutes' as const } };
      expect(await ensureStatsRollupSchedule(h.client.connection, updated, scheduleId)).toBe('updated');
      const description = await handle.describe();
      expect(description.spec.intervals).toEqual([expect.objectContaining({ every: 30 * 60_000 })]);
      expect(description.action).toMatchObject({
        type: 'startWorkflow',
        workflowType: 'StatsRollupWorkflow',
        taskQueue: h.config.temporal.taskQueue,
        args: [{ recentDays: 3, rebuildOnFirstRun: true }],
      });

      /** Triggers the schedule like its timer does and waits until the schedule has seen the run finish. */
      const nextRun = async (count: number): Promise<StatsRollupResult> => {
        await handle.trigger(ScheduleOverlapPolicy.SKIP);
        const deadline = Date.now() + 30_000;
        let result: StatsRollupResult | null = null;
        for (;;) {
          const { info } = await handle.describe();
          const action = info.recentActions[count - 1]?.action;
          if (!result && action?.type === 'startWorkflow')
            result = await h.client.workflow.getHandle(action.workflow.workflowId).result();
          // The schedule hands the next run this run's result once it has noticed it completed.
          if (result && info.runningActions.length === 0) return result;
          if (Date.now() > deadline) throw new Error(`schedule action ${count} did not finish`);
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      expect(await nextRun(1)).toMatchObject({ rebuilt: true, to: today() });
      expect(await nextRun(2)).toMatchObject({ rebuilt: false, from: addDays(today(), -2), to: today() });
    } finally {
      await handle.delete();
    }
  });
});
