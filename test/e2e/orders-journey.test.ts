/**
 * A clerk's order search in real Chromium, against the real API, database,
 * Temporal dev server and worker (issue 14 §1): an order bought through the
 * purchase flow with a claim, 24 more paid orders written to the table (21 of
 * them cancelled). The clerk finds the order by the last 4 digits of the phone
 * and by its serial, is told next to the search box what a bad phone is, goes
 * back and forward through the searches, opens the order, reveals the phone
 * (recorded), switches to English, pages through the orders and the
 * cancellations (the page survives a reload); then the same on a phone.
 */

import { randomUUID } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Cancellation, Claim, Order, PhoneReveal } from '../../src/domain/entities/index.ts';
import { orderNumberFor } from '../../src/domain/order-links.ts';
import {
  expectNoRawKeys,
  launchChromium,
  PHONE_CONTEXT,
  screenshots,
  watchPageProblems,
} from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { activeOrder, nextSerial, publishedPlan } from '../helpers/purchase-fixtures.ts';

describe('order search journey (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  let bought: Order;
  const problems: string[] = [];
  const shot = screenshots('orders-');

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    seller = await publishedPlan(h);
    const placed = await activeOrder(h, seller.code, { consumerName: '张三', consumerPhone: '13912345678' });
    const em = h.db.orm.em.fork();
    bought = await em.findOneOrFail(Order, { orderNumber: placed.orderNumber });
    em.create(Claim, {
      claimNumber: `CLE2E${randomUUID().slice(0, 8).toUpperCase()}`,
      order: bought.id,
      manufacturer: bought.manufacturer,
      faultDescription: '屏幕碎裂',
      faultDate: chinaDate(new Date()),
      contactPhone: '+8613912345678',
      coverageType: 'screen',
      status: 'submitted',
      workflowId: `claim-e2e-${randomUUID()}`,
    });
    // Older paid orders, a day apart; all but the three newest cancelled and refunded.
    const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = bought;
    const older = Array.from({ length: 24 }, (_, i) => {
      const key = randomUUID().replaceAll('-', '');
      return em.create(Order, {
        ...fields,
        orderNumber: orderNumberFor(key, h.config.linkSecret),
        idempotencyKey: `${key}${key}`,
        consumerName: `赵${i}`,
        consumerPhone: `+861360000${String(1000 + i)}`,
        serialNumber: nextSerial(),
        status: i < 3 ? 'active' : 'cancelled',
        paidAt: new Date(Date.now() - (i + 1) * 86_400_000),
      });
    });
    await em.flush();
    for (const order of older.slice(3))
      em.create(Cancellation, {
        order: order.id,
        workflowId: `cancellation-e2e-${order.orderNumber}`,
        withinCoolingOff: true,
        refundFen: order.amountFen,
        status: 'refunded',
        refundedAt: new Date(),
      });
    await em.flush();
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  async function logIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    watchPageProblems(page, problems);
    await page.goto(`${h.config.publicBaseUrl}/portal/login.html`);
    await page.fill('#login-email', seller.editor.email);
    await page.fill('#login-password', seller.editor.password);
    await page.click('#login-submit');
    await page.waitForURL(`${h.config.publicBaseUrl}/portal/`);
    return page;
  }

  const rows = (page: Page) => page.locator('[data-testid="order-table"] tbody tr');
  const search = async (page: Page, text: string, by = 'auto') => {
    await page.selectOption('#order-by', by);
    await page.fill('#order-q', text);
    await page.getByTestId('order-search-submit').click();
    // The old rows stay, dimmed, until the answer comes.
    await page.waitForFunction(() => !document.querySelector('[aria-busy="true"]'));
  };

  it('finds an order by the last 4 digits and by serial, reveals the phone, switches language and pages', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await logIn(context);

    await page.getByTestId('nav-orders').click();
    await page.waitForURL(/\/portal\/orders\.html$/);
    expect(await page.getByTestId('nav-orders').getAttribute('aria-current')).toBe('page');
    await rows(page).nth(19).waitFor();
    expect(await rows(page).count()).toBe(20);
    expect(await rows(page).first().getAttribute('data-order')).toBe(bought.orderNumber);
    await shot(page, '01-list');
    await expectNoRawKeys(page);

    // The last 4 digits of the phone.
    await search(page, '5678');
    await page.waitForURL(/\?phone=5678$/);
    await page.getByTestId('orders-searched').waitFor();
    expect(await rows(page).count()).toBe(1);
    const row = rows(page).first();
    expect(await row.getAttribute('data-order')).toBe(bought.orderNumber);
    expect(await row.textContent()).toContain('+86139****5678');
    expect(await row.textContent()).toContain('张三');
    expect(await row.locator('.badge').textContent()).toBe('保障中');
    await shot(page, '02-by-phone');

    // The serial, typed in lower case.
    await search(page, bought.serialNumber.toLowerCase());
    await page.waitForURL(/serialNumber=/);
    await page
      .getByTestId('orders-searched')
      .filter({ hasText: bought.serialNumber.toLowerCase() })
      .waitFor();
    expect(await rows(page).count()).toBe(1);
    expect(await rows(page).first().getAttribute('data-order')).toBe(bought.orderNumber);

    // A phone that is neither a number nor its last 4 digits: said next to the search box, in the page's words.
    await search(page, '12', 'phone');
    const searchError = page.locator('[data-field-error="querystring.phone"]');
    await searchError.waitFor();
    expect(await searchError.textContent()).toMatch(/[\u3400-\u9fff]/);
    expect(await page.locator('#order-q').getAttribute('aria-invalid')).toBe('true');
    await shot(page, '03-field-error');

    // A backwards range of paid days: said at its start, naming the other field by its label.
    await page.fill('#order-q', '');
    await page.fill('#order-paidFrom', '2026-03-10');
    await page.fill('#order-paidTo', '2026-03-01');
    await page.getByTestId('order-search-submit').click();
    const rangeError = page.locator('[data-field-error="querystring.paidFrom"]');
    await rangeError.waitFor();
    expect(await rangeError.textContent()).toBe('不能晚于 付款日期至');
    expect(await searchError.count()).toBe(0);

    // Back walks the searches: the phone refused again, then the serial search, its text in the box.
    await page.goBack();
    await searchError.waitFor();
    await page.goBack();
    await page.waitForURL(/serialNumber=/);
    await page.locator(`tr[data-order="${bought.orderNumber}"]`).waitFor();
    expect(await page.inputValue('#order-q')).toBe(bought.serialNumber.toLowerCase());
    expect(await searchError.count()).toBe(0);

    // The order: the phone masked until revealed, and the reveal recorded.
    await page.getByTestId('order-link').click();
    await page.waitForURL(/\/portal\/order\.html\?n=/);
    await page.getByTestId('holder-phone').waitFor();
    expect(await page.getByTestId('holder-phone').textContent()).toBe('+86139****5678');
    expect(await page.getByTestId('order-version').textContent()).toBe('第 1 版');
    expect(await page.getByTestId('order-payments').locator('tbody tr').count()).toBe(1);
    const claimLink = page.getByTestId('claim-link');
    expect(await claimLink.getAttribute('href')).toMatch(/^\/portal\/claims\.html\?claim=CLE2E/);
    expect(await page.getByTestId('order-cancellation').textContent()).toContain('未退保');
    await shot(page, '04-order');
    await expectNoRawKeys(page);
    await page.getByTestId('reveal-phone').click();
    await page.getByTestId('holder-phone').filter({ hasText: '+8613912345678' }).waitFor();
    expect(await page.getByTestId('reveal-note').textContent()).toContain('记录');
    await page.getByTestId('reveal-log').waitFor();
    expect(
      await h.db.orm.em.fork().count(PhoneReveal, { order: bought.id, manufacturer: bought.manufacturer }),
    ).toBe(1);

    // English, in place: the revealed number stays.
    await page.getByTestId('lang-switch').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.getByTestId('nav-orders').textContent()).toBe('Orders');
    expect(await page.getByTestId('holder-phone').textContent()).toBe('+8613912345678');
    expect(await page.getByTestId('reveal-note').textContent()).toContain('recorded');
    expect(await page.getByTestId('order-status').textContent()).toBe('Covered');
    expect(await page.title()).toBe('Order · Yanbao manufacturer portal');
    await shot(page, '05-order-en');
    await expectNoRawKeys(page);

    // Page through every order: 20, then 5; the page survives a reload; "first page" goes back.
    await page.getByTestId('back-to-orders').click();
    await page.waitForURL(/\/portal\/orders\.html$/);
    await rows(page).nth(19).waitFor();
    expect(await page.locator('h1').textContent()).toBe('Orders');
    expect(await page.getByTestId('orders-pager-first').isDisabled()).toBe(true);
    await page.getByTestId('orders-pager-next').click();
    await page.waitForURL(/\?cursor=/);
    await page.locator('[data-testid="order-table"][aria-busy="false"]').waitFor();
    expect(await rows(page).count()).toBe(5);
    expect(await page.getByTestId('orders-pager-next').isDisabled()).toBe(true);
    await page.reload();
    await rows(page).nth(4).waitFor();
    expect(await rows(page).count()).toBe(5);
    expect(await page.locator('h1').textContent()).toBe('Orders');
    await shot(page, '06-page-2-en');
    await expectNoRawKeys(page);
    await page.getByTestId('orders-pager-first').click();
    await rows(page).nth(19).waitFor();

    // The cancellations, a page at a time.
    await page.getByTestId('open-cancellations').click();
    await page.waitForURL(/\/portal\/cancellations\.html$/);
    const cancelled = page.locator('[data-testid="cancellation-table"] tbody tr');
    await cancelled.nth(19).waitFor();
    expect(await page.getByTestId('nav-orders').getAttribute('aria-current')).toBe('page');
    await page.getByTestId('cancellations-pager-next').click();
    await page.waitForURL(/\?cursor=/);
    await page.locator('[data-testid="cancellation-table"][aria-busy="false"]').waitFor();
    expect(await cancelled.count()).toBe(1);
    expect(await cancelled.first().locator('.badge').textContent()).toBe('Refunded');
    await shot(page, '07-cancellations-en');
    await expectNoRawKeys(page);

    await context.close();
    expect(problems).toEqual([]);
  }, 90_000);

  it('works on a phone: cards instead of a wide table, nothing wider than the screen', async () => {
    const context = await browser.newContext(PHONE_CONTEXT);
    // The seller's API session, already signed in (the desktop journey tried the login form).
    await context.addCookies(
      [...seller.editor.session.cookies].map(([name, value]) => ({
        name,
        value,
        url: h.config.publicBaseUrl,
      })),
    );
    const page = await context.newPage();
    watchPageProblems(page, problems);
    const fits = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

    await page.goto(`${h.config.publicBaseUrl}/portal/orders.html`);
    await rows(page).nth(19).waitFor();
    expect(await fits()).toBe(true);
    await shot(page, '08-phone-list');
    await search(page, '5678');
    await page.waitForURL(/\?phone=5678$/);
    await page.getByTestId('orders-searched').waitFor();
    expect(await rows(page).count()).toBe(1);
    await page.getByTestId('order-link').click();
    await page.getByTestId('reveal-phone').waitFor();
    expect(await fits()).toBe(true);
    await shot(page, '09-phone-order');
    await expectNoRawKeys(page);

    await context.close();
    expect(problems).toEqual([]);
  }, 60_000);
});
