/**
 * The manufacturer's sales dashboard in real Chromium, against the real API,
 * database, Temporal dev server and worker: orders bought through the
 * purchase flow, a repaired claim, a roll-up; the seller logs in, opens "统计" from the
 * navigation, reads the figures, sees the charts drawn (canvas pixels, not
 * just elements), regroups by month, downloads the CSV, gets a field-level
 * message for a backwards range and switches to English — all under the
 * pages' strict CSP.
 */

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Claim, Order } from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import type { StatsRollupWorkflow } from '../../workflows/stats-rollup.workflow.ts';
import { expectNoRawKeys, launchChromium, screenshots, watchPageProblems } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

/** Pixels of a canvas that are not fully transparent (Chart.js draws on a transparent canvas). */
const paintedPixels = (page: Page, selector: string) =>
  page.evaluate((sel) => {
    const canvas = document.querySelector<HTMLCanvasElement>(sel);
    const context = canvas?.getContext('2d');
    if (!canvas || !context || canvas.width === 0 || canvas.height === 0) return 0;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
    return painted;
  }, selector);

describe('sales dashboard journey (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    seller = await publishedPlan(h);
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      const placed = await register(h, registration(seller.code));
      await pay(h, placed.payUrl);
      await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
      orders.push(placed.orderNumber);
    }
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber: orders[0] as string });
    em.create(Claim, {
      claimNumber: `CLE2E${randomUUID().slice(0, 8)}`,
      order: order.id,
      manufacturer: order.manufacturer,
      faultDescription: '电池鼓包',
      faultDate: chinaDate(new Date()),
      contactPhone: '+8613912345678',
      coverageType: 'battery',
      status: 'repaired',
      repairCostFen: 15_000,
      outcome: 'repaired',
      workflowId: `claim-e2e-${randomUUID()}`,
      decidedAt: new Date(),
      repairedAt: new Date(),
    });
    await em.flush();
    // What the schedule does every minute: roll up (today's orders are live; the claim comes with the roll-up).
    await h.client.workflow.execute<typeof StatsRollupWorkflow>('StatsRollupWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `stats-rollup-e2e-${randomUUID()}`,
      args: [{ recentDays: 3 }],
    });

    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  const shot = screenshots('');

  it('logs in, reads the figures, sees the charts drawn, regroups, downloads the CSV and switches language', async () => {
    const page = await context.newPage();
    watchPageProblems(page, problems);
    const base = h.config.publicBaseUrl;

    await page.goto(`${base}/portal/login.html`);
    await page.fill('#login-email', seller.editor.email);
    await page.fill('#login-password', seller.editor.password);
    await page.click('#login-submit');
    await page.waitForURL(`${base}/portal/`);
    // The overview still works from the same module.
    await page.locator('#stat-plans', { hasText: '1' }).waitFor();

    await page.getByTestId('nav-stats').click();
    await page.waitForURL(/\/portal\/dashboard\.html/);
    await page.locator('body[data-stats-ready="true"]').waitFor();
    expect(await page.getByTestId('nav-stats').getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('total-orders').textContent()).toBe('3');
    expect(await page.getByTestId('total-revenue').textContent()).toBe('¥897.00');
    expect(await page.getByTestId('total-claims').textContent()).toBe('1');
    expect(await page.getByTestId('total-claims-rate').textContent()).toBe('33.3%');
    expect(await page.getByTestId('total-repair-cost').textContent()).toBe('¥150.00');
    const planRow = page.getByTestId(`plan-row-${seller.code}`);
    expect(await planRow.textContent()).toContain('星河手机两年全面保障');
    // Attach rates arrive on their own; this plan has no per-unit codes.
    await planRow.locator('[data-attach]', { hasText: '—' }).waitFor();

    // Real pixels on the canvases: the trend (bars and a line), the plan doughnut, the claims rate.
    for (const chart of ['#chart-trend', '#chart-plans', '#chart-claims']) {
      await page.waitForFunction(
        (sel) => {
          const canvas = document.querySelector<HTMLCanvasElement>(sel);
          const context = canvas?.getContext('2d');
          if (!canvas || !context || canvas.width === 0) return false;
          const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
          let painted = 0;
          for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
          return painted > 2000;
        },
        chart,
        { timeout: 10_000 },
      );
    }
    expect(await paintedPixels(page, '#chart-trend')).toBeGreaterThan(2000);
    await shot(page, 'dashboard-01');
    await expectNoRawKeys(page);

    // By month: the address keeps the view, the chart is redrawn with one bucket per month.
    await page.selectOption('#stats-granularity', 'month');
    await page.getByTestId('stats-apply').click();
    await page.waitForURL(/granularity=month/);
    await page.waitForFunction(() => {
      const chart = (
        globalThis as unknown as { Chart: { getChart(id: string): { data: { labels: string[] } } } }
      ).Chart.getChart('chart-trend');
      return chart?.data.labels.every((label) => /^\d{4}-\d{2}$/.test(label));
    });
    expect(await paintedPixels(page, '#chart-trend')).toBeGreaterThan(1000);
    expect(await page.getByTestId('total-orders').textContent()).toBe('3');

    // The CSV of the rows behind the view.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('csv-daily').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^yanbao-daily-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile(await download.path(), 'utf8'))
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(csv[0]?.startsWith('day,plan_id,plan_code,')).toBe(true);
    expect(csv).toHaveLength(2);
    expect(csv[1]).toContain(`,${seller.code},`);
    expect(csv[1]?.endsWith(',3,89700,0,0,1,1,15000')).toBe(true);

    // A backwards range is named next to the start date, before anything is sent.
    await page.fill('#stats-from', '2026-03-10');
    await page.fill('#stats-to', '2026-03-01');
    await page.getByTestId('stats-apply').click();
    const fromError = page.locator('[data-field="querystring.from"] .field-error');
    await fromError.waitFor();
    expect(await fromError.textContent()).toBe('开始日期不能晚于结束日期');

    // English, in place: words, chart labels and the error message.
    await page.getByTestId('lang-switch').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.getByTestId('nav-stats').textContent()).toBe('Dashboard');
    expect(await page.locator('h1').textContent()).toBe('Sales dashboard');
    expect(await fromError.textContent()).toBe('The start date must not be after the end date');
    const labels = await page.evaluate(() =>
      (
        globalThis as unknown as {
          Chart: { getChart(id: string): { data: { datasets: { label: string }[] } } };
        }
      ).Chart.getChart('chart-trend').data.datasets.map((d) => d.label),
    );
    expect(labels).toEqual(['Orders', 'Revenue']);
    // Redrawn with the new words, not blanked.
    await page.waitForFunction(
      () => {
        const canvas = document.querySelector<HTMLCanvasElement>('#chart-trend');
        const context = canvas?.getContext('2d');
        if (!canvas || !context || canvas.width === 0 || canvas.height === 0) return false;
        const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
        let painted = 0;
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) painted++;
        return painted > 1000;
      },
      undefined,
      { timeout: 10_000 },
    );
    await shot(page, 'dashboard-02-en');
    await expectNoRawKeys(page);

    expect(problems).toEqual([]);
  }, 120_000);
});
