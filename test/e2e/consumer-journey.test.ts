/**
 * The consumer's journey in real Chromium on a phone, against the real app
 * (listening on localhost, so the sandbox gateway's asynchronous callbacks
 * reach it over HTTP), database, Temporal dev server and worker: scan the
 * plan's QR code, read the clauses, get field errors for an empty form, fill
 * it, pay on the sandbox checkout, watch the order page tick its steps live,
 * download the certificate, switch to English; an unknown code gets a clear page. A consumer
 * who declines on the checkout is told so at once and buys the same unit again.
 */

import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, chinaDate } from '../../src/domain/coverage.ts';
import { Order } from '../../src/domain/entities/index.ts';
import {
  expectNoRawKeys,
  launchChromium,
  PHONE_CONTEXT,
  screenshots,
  watchPageProblems,
} from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { nextSerial, publishedPlan, setBehaviour } from '../helpers/purchase-fixtures.ts';

const DATE = /\d{4}-\d{2}-\d{2}/;

describe('consumer purchase journey (browser, phone)', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  /** Uncaught page errors and CSP refusals: the pages must run clean under the strict policy. */
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    base = h.config.publicBaseUrl;
    plan = await publishedPlan(h);
    browser = await launchChromium();
    context = await browser.newContext({ ...PHONE_CONTEXT, acceptDownloads: true });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  const shot = screenshots('consumer-');

  const watch = (page: Page) => watchPageProblems(page, problems);

  const orderCount = () => h.db.orm.em.fork().count(Order, {});

  it('scans the QR code, reads the terms, buys with the sandbox and downloads the certificate', async () => {
    const page = await context.newPage();
    watch(page);
    // Every change of a step's class, reported from the page (the binding survives the page's own reload).
    const ticks: string[] = [];
    await page.exposeBinding('__stepTicked', (_source, step: string, className: string) => {
      ticks.push(`${step}:${className}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('DOMContentLoaded', () => {
        const report = (window as unknown as { __stepTicked(step: string, className: string): void })
          .__stepTicked;
        new MutationObserver((mutations) => {
          for (const m of mutations) {
            const target = m.target as HTMLElement;
            report(target.dataset.step ?? '', target.className);
          }
        }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['class'] });
      });
    });

    // The QR code opens the plan's landing page: manufacturer, product, plan and price.
    const landing = await page.goto(`${base}/w/${plan.code}`);
    expect(landing?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    const main = page.locator('main');
    await expect.poll(() => main.textContent()).toContain('Seller 电器有限公司');
    const text = (await main.textContent()) ?? '';
    expect(text).toContain('星河 X5 智能手机');
    expect(text).toContain('XH-X5-256');
    const card = page.locator(`#plan-${plan.code}`);
    expect(await card.locator('h2').textContent()).toBe('星河手机两年全面保障');
    expect(await card.locator('.price').textContent()).toBe('¥299.00');
    expect(await card.textContent()).toContain('24 个月');

    // The full clause text is folded away and readable on a tap.
    const details = card.locator('details');
    const firstClause = details.locator('p').first();
    expect(await firstClause.isVisible()).toBe(false);
    await details.locator('summary').tap();
    await firstClause.waitFor({ state: 'visible' });
    expect(await details.locator('h3').count()).toBe(6);
    expect(((await firstClause.textContent()) ?? '').length).toBeGreaterThan(10);
    await shot(page, '01-landing');
    await expectNoRawKeys(page);

    // An empty form comes back with a message under each required field, in Chinese, and no order.
    // (The serial number is checked against the product's pattern once the form itself is well-formed.)
    await page.getByTestId('pay').tap();
    await page.locator('.errors[role="alert"]').waitFor();
    for (const field of ['consumerName', 'consumerPhone', 'productPurchaseDate']) {
      const error = page.locator(`#${field}-error`);
      expect(await error.textContent(), field).toMatch(/[\u4e00-\u9fff]/);
      expect(await page.getAttribute(`#${field}`, 'aria-invalid'), field).toBe('true');
    }
    expect(await orderCount()).toBe(0);
    await shot(page, '02-form-errors');
    await expectNoRawKeys(page);

    // The filled form goes straight to the sandbox checkout.
    await page.fill('#consumerName', '张三');
    await page.fill('#consumerPhone', '13912345678');
    await page.fill('#serialNumber', nextSerial());
    // The dates and price appear as soon as a purchase date is entered, through the preview API.
    await page.fill('#productPurchaseDate', '2026-02-28');
    await page.locator('#preview-problem').filter({ hasText: '早于该产品上市日期 2026-03-01' }).waitFor();
    expect(await page.isVisible('#coverage-preview')).toBe(false);
    const bought = chinaDate(new Date(Date.now() - 10 * 86_400_000));
    const start = addDays(addMonths(bought, 12), 1);
    await page.fill('#productPurchaseDate', bought);
    await page.locator('#preview-start').filter({ hasText: start }).waitFor();
    expect(await page.textContent('#preview-base-end')).toBe(addMonths(bought, 12));
    expect(await page.textContent('#preview-end')).toBe(addDays(addMonths(start, 24), -1));
    expect(await page.textContent('#preview-price')).toBe('¥299.00');
    expect(await page.isVisible('#preview-problem')).toBe(false);
    await page.check(`input[name="planCode"][value="${plan.code}"]`);
    await page.check('input[name="paymentProvider"][value="sandbox"]');
    await shot(page, '03-form-filled');
    await expectNoRawKeys(page);
    await page.getByTestId('pay').tap();
    await page.waitForURL(/\/sandbox\/checkout\/[^/]+$/);
    expect(await page.getByTestId('sandbox-amount').textContent()).toBe('¥299.00');
    expect(await orderCount()).toBe(1);
    // Hold the callback back a moment, so the order page surely opens before the payment is known.
    await setBehaviour(h, page.url(), { delayMs: 1500 });
    await shot(page, '04-checkout');
    await expectNoRawKeys(page);

    // Paying returns to the order page, whose steps tick without anyone reloading it.
    await page.getByTestId('sandbox-pay').tap();
    await page.waitForURL(/\/o\/[^/?]+\?t=/);
    const orderUrl = page.url();
    expect(await page.locator('[data-step="registered"].done').count()).toBe(1);
    await shot(page, '05-order-pending');
    await expectNoRawKeys(page);
    await page.locator('[data-step="confirmed"].done').waitFor({ timeout: 30_000 });
    // When everything is done the page reloads itself once with the coverage and the certificate.
    await page.locator('#coverage').filter({ hasText: DATE }).waitFor({ timeout: 15_000 });
    expect(ticks.some((t) => t.startsWith('paid:') && t.includes('done'))).toBe(true);
    expect(await page.locator('.steps li.done').count()).toBe(4);
    expect(await page.textContent('#order-status')).toBe('保障中');
    expect(await page.textContent('#coverage')).toMatch(new RegExp(`^${DATE.source} – ${DATE.source}$`));
    await shot(page, '06-order-confirmed');
    await expectNoRawKeys(page);

    // The certificate is a PDF download.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('certificate').tap(),
    ]);
    const pdf = await readFile(await download.path());
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    // The header link switches the page to English.
    await page.locator('header a.lang').tap();
    await page.locator('html[lang="en"]').waitFor();
    expect(page.url()).toContain(orderUrl.split('?')[0] as string);
    expect(await page.textContent('h1')).toBe('My extended warranty');
    expect(await page.textContent('#order-status')).toBe('Covered');
    expect(await page.getByTestId('certificate').textContent()).toBe('Download certificate (PDF)');
    await shot(page, '07-order-en');
    await expectNoRawKeys(page);

    // An unknown code gets a clear page, not an error dump.
    const unknown = await page.goto(`${base}/w/1111111111`);
    expect(unknown?.status()).toBe(404);
    expect(unknown?.headers()['content-type']).toMatch(/^text\/html/);
    expect(await page.textContent('h1')).toBe('找不到该延保方案');
    await shot(page, '08-unknown');
    await expectNoRawKeys(page);

    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('declines on the checkout, is told so on the order page at once, and buys the same unit again', async () => {
    const page = await context.newPage();
    watch(page);
    const serial = nextSerial();
    const fill = async () => {
      await page.fill('#consumerName', '李四');
      await page.fill('#consumerPhone', '13912345678');
      await page.fill('#productPurchaseDate', chinaDate(new Date(Date.now() - 10 * 86_400_000)));
      await page.getByTestId('pay').tap();
      await page.waitForURL(/\/sandbox\/checkout\/[^/]+$/);
    };
    await page.goto(`${base}/w/${plan.code}`);
    await page.fill('#serialNumber', serial);
    await fill();

    // Declining returns to the order page, which learns of it within seconds and reloads itself.
    await page.getByTestId('sandbox-decline').tap();
    await page.waitForURL(/\/o\/[^/?]+\?t=/);
    await page.locator('#order-status').filter({ hasText: '付款未成功' }).waitFor({ timeout: 15_000 });
    await shot(page, '09-order-declined');
    await expectNoRawKeys(page);

    // "Buy again" opens the plan's form with the serial number filled in; this time the consumer pays.
    await page.getByTestId('buy-again').tap();
    await page.waitForURL(/\/w\/[^/?]+\?serial=/);
    expect(await page.inputValue('#serialNumber')).toBe(serial);
    await fill();
    await page.getByTestId('sandbox-pay').tap();
    await page.waitForURL(/\/o\/[^/?]+\?t=/);
    await page.locator('#order-status').filter({ hasText: '保障中' }).waitFor({ timeout: 30_000 });
    const orders = await h.db.orm.em
      .fork()
      .find(Order, { serialNumber: serial }, { orderBy: { createdAt: 'asc' } });
    expect(orders.map((o) => o.status)).toEqual(['expired', 'active']);
    expect(problems).toEqual([]);
    await page.close();
  }, 60_000);
});
