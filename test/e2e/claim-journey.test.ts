/**
 * A repair request in real Chromium against the real app, database, Temporal
 * dev server and worker. On a phone, the consumer opens the order page's
 * repair link, gets field errors for an empty form, files a request with a
 * photo (no JavaScript involved: a plain multipart form) and sees it
 * submitted; the manufacturer's service desk signs in to the portal's service
 * desk, looks at the photo, accepts, records the repair and closes; the
 * consumer's page then shows it handled, in both languages.
 */

import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Claim, ClaimPhoto } from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { claimWorkflowId } from '../../workflows/claim.messages.ts';
import {
  expectNoRawKeys,
  launchChromium,
  PHONE_CONTEXT,
  screenshots,
  watchPageProblems,
} from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

/** A small photo the browser can decode: 64×48, a green square on grey. */
function photo(): Buffer {
  const png = new PNG({ width: 64, height: 48 });
  for (let y = 0; y < 48; y++)
    for (let x = 0; x < 64; x++) {
      const i = (y * 64 + x) * 4;
      const inside = x > 16 && x < 48 && y > 8 && y < 40;
      png.data.set(inside ? [15, 107, 92, 255] : [200, 200, 200, 255], i);
    }
  return PNG.sync.write(png);
}

describe('repair request journey (browser, phone and portal)', () => {
  let h: Harness;
  let browser: Browser;
  let phone: BrowserContext;
  let desktop: BrowserContext;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let orderUrl: string;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    plan = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    orderUrl = `${h.config.publicBaseUrl}/o/${placed.orderNumber}?t=${orderAccessToken(placed.orderNumber, h.config.linkSecret)}`;
    browser = await launchChromium();
    phone = await browser.newContext(PHONE_CONTEXT);
    desktop = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await phone?.close();
    await desktop?.close();
    await browser?.close();
    await h?.close();
  });

  const shot = screenshots('claim-');
  const watch = (page: Page) => watchPageProblems(page, problems);
  const claims = () => h.db.orm.em.fork().count(Claim);
  /** The image really decoded in the page (not a broken-image icon). */
  const decoded = (page: Page, selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0);

  it('files a repair request with a photo and sees it handled by the service desk', async () => {
    const page = await phone.newPage();
    watch(page);

    // From the order page to the repair page.
    await page.goto(orderUrl);
    await page.getByTestId('claims').tap();
    await page.waitForURL(/\/claims\?t=/);
    expect(await page.textContent('h1')).toBe('报修');
    expect(await page.getByTestId('no-claims').textContent()).toBe('还没有报修记录。');
    // The phone number the order was bought with is already filled in.
    expect(await page.inputValue('#contactPhone')).toBe('+8613912345678');
    await shot(page, '01-claims-empty');
    await expectNoRawKeys(page);

    // An empty form comes back with a message under each field that needs one, in Chinese, and no claim.
    await page.getByTestId('submit-claim').tap();
    await page.locator('.errors[role="alert"]').waitFor();
    for (const field of ['coverageType', 'faultDate', 'faultDescription']) {
      expect(await page.locator(`#${field}-error`).textContent(), field).toMatch(/[\u4e00-\u9fff]/);
      expect(await page.getAttribute(`#${field}`, 'aria-invalid'), field).toBe('true');
    }
    expect(await claims()).toBe(0);
    await shot(page, '02-claim-errors');
    await expectNoRawKeys(page);

    // The filled form with a photo goes to the request's own page.
    await page.selectOption('#coverageType', 'screen');
    await page.fill('#faultDate', chinaDate(new Date()));
    await page.fill('#faultDescription', '屏幕出现绿色竖线，触摸失灵');
    await page.setInputFiles('#photos', { name: '屏幕.png', mimeType: 'image/png', buffer: photo() });
    await shot(page, '03-claim-filled');
    await expectNoRawKeys(page);
    await page.getByTestId('submit-claim').tap();
    await page.waitForURL(/\/claims\/CL[A-Z2-9]{16}\?/);
    const claimUrl = page.url();
    const claimNumber = (await page.textContent('#claim-number')) as string;
    expect(claimNumber).toMatch(/^CL[A-Z2-9]{16}$/);
    expect(await page.getByTestId('filed').isVisible()).toBe(true);
    expect(await page.textContent('#claim-status')).toBe('已提交，等待厂商受理');
    expect(await page.locator('.steps li.done').count()).toBe(1);
    await page.getByTestId('claim-photo').waitFor();
    expect(await decoded(page, '[data-testid="claim-photo"]')).toBe(true);
    const stored = await h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber });
    expect(await h.db.orm.em.fork().count(ClaimPhoto, { claim: stored.id })).toBe(1);
    await shot(page, '04-claim-submitted');
    await expectNoRawKeys(page);

    // A day old, it is over the desk's SLA: the navigation counts it and the queue marks it (issue 14 §5).
    await h.db.orm.em
      .fork()
      .nativeUpdate(Claim, { claimNumber }, { createdAt: new Date(Date.now() - 86_400_000 * 3) });

    // The service desk: the reminder's link opens the claim after signing in.
    const desk = await desktop.newPage();
    watch(desk);
    await desk.goto(`${h.config.publicBaseUrl}/portal/claims.html?claim=${claimNumber}`);
    await desk.waitForURL(/\/portal\/login\.html/);
    await desk.fill('#login-email', plan.editor.email);
    await desk.fill('#login-password', plan.editor.password);
    await desk.click('#login-submit');
    await desk.waitForURL(/\/portal\/claims\.html\?claim=/);
    await desk.getByTestId('claim-table').locator(`tr[data-claim="${claimNumber}"]`).waitFor();
    expect(await desk.getByTestId('claim-number').textContent()).toBe(claimNumber);
    expect(await desk.getByTestId('fault-description').textContent()).toBe('屏幕出现绿色竖线，触摸失灵');
    await desk.getByTestId('desk-photo').waitFor();
    expect(await decoded(desk, '[data-testid="desk-photo"]')).toBe(true);
    expect(await desk.getByTestId('claim-cap').textContent()).toContain('¥2,999.00');
    await shot(desk, '05-desk-claim');
    await expectNoRawKeys(desk);

    // To-do counts on the desk's link; the queue searched and filtered, the filters kept in the address.
    expect(await desk.getByTestId('count-claims').textContent()).toBe('1');
    expect(await desk.getByTestId('count-claims-overdue').textContent()).toBe('1');
    const row = desk.locator(`tr[data-claim="${claimNumber}"]`);
    expect(await row.getAttribute('data-overdue')).toBe('true');
    await desk.fill('#claim-q', 'CL0000');
    await desk.getByTestId('claim-search-submit').click();
    await desk.getByTestId('claims-empty').waitFor();
    await desk.fill('#claim-q', claimNumber.toLowerCase());
    await desk.getByTestId('claim-overdue').check();
    await row.waitFor();
    expect(Object.fromEntries(new URL(desk.url()).searchParams)).toEqual({
      q: claimNumber.toLowerCase(),
      overdue: 'true',
      claim: claimNumber,
    });
    await desk.reload();
    await row.waitFor();
    expect(await desk.inputValue('#claim-q')).toBe(claimNumber.toLowerCase());
    expect(await desk.isChecked('#claim-overdue')).toBe(true);

    // Rejecting needs a reason: the message comes back under the field. Then accept.
    await desk.getByTestId('reject').click();
    await desk.locator('[data-field="reason"] .field-error').waitFor();
    expect(await desk.locator('[data-field="reason"] .field-error').textContent()).toBe('请说明拒绝的原因');
    await desk.fill('#decision-reason', '请将手机送至就近服务网点');
    await desk.getByTestId('accept').click();
    await desk.getByTestId('repair-form').waitFor();
    expect(await desk.locator('#claim-detail .card-head [data-status]').getAttribute('data-status')).toBe(
      'accepted',
    );

    // A repair above the claim cap is refused next to the amount; a proper one is recorded.
    await desk.fill('#repair-cost', '3000.00');
    await desk.getByTestId('record-repair').click();
    await desk.locator('[data-field="repairCostFen"] .field-error').waitFor();
    expect(await desk.locator('[data-field="repairCostFen"] .field-error').textContent()).toContain(
      '超出赔付上限',
    );
    await desk.fill('#repair-cost', '450.00');
    await desk.fill('#repair-parts', '屏幕总成');
    await desk.selectOption('#repair-outcome', 'repaired');
    await desk.getByTestId('record-repair').click();
    await desk.getByTestId('close-form').waitFor();
    expect(await desk.getByTestId('repair-record').textContent()).toContain('¥450.00');
    await shot(desk, '06-desk-repaired');
    await expectNoRawKeys(desk);
    await desk.getByTestId('close-claim').click();
    await desk.locator('#claim-detail .card-head [data-status="closed"]').waitFor();
    await shot(desk, '07-desk-closed');
    await expectNoRawKeys(desk);
    expect(await h.client.workflow.getHandle(claimWorkflowId(claimNumber)).result()).toMatchObject({
      status: 'closed',
    });

    // The consumer's page shows it handled: every step done, the outcome and what the plan paid.
    await page.goto(claimUrl.replace('&filed=1', ''));
    expect(await page.textContent('#claim-status')).toBe('已结案');
    expect(await page.locator('.steps li.done').count()).toBe(4);
    expect(await page.getByTestId('decision-reason').textContent()).toContain('请将手机送至就近服务网点');
    const repair = (await page.getByTestId('repair').textContent()) ?? '';
    expect(repair).toContain('已维修');
    expect(repair).toContain('¥450.00');
    expect(repair).toContain('屏幕总成');
    await shot(page, '08-claim-closed');
    await expectNoRawKeys(page);

    // The list shows it too, and the page speaks English on request.
    await page.locator('.links a').first().tap();
    await page.waitForURL(/\/claims\?t=/);
    expect(await page.locator(`[data-claim="${claimNumber}"] .claim-status`).textContent()).toBe('已结案');
    await page.locator('header a.lang').tap();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.textContent('h1')).toBe('Repair requests');
    expect(await page.locator(`[data-claim="${claimNumber}"] .claim-status`).textContent()).toBe('Closed');
    await shot(page, '09-claims-en');
    await expectNoRawKeys(page);

    // The consumer was told at every step.
    const texts = h.delivered.filter((m) => m.channel === 'sms' && m.subject.includes(claimNumber));
    expect(texts.map((m) => m.subject.split(': ').pop())).toEqual([
      'submitted',
      'accepted',
      'repaired',
      'closed',
    ]);

    expect(problems).toEqual([]);
    await page.close();
    await desk.close();
  }, 90_000);
});
