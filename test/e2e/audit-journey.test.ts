/**
 * The auditor's journey in real Chromium against the real app, database,
 * Temporal dev server and worker: a consumer has bought a plan; the auditor
 * opens the audit area, is sent to log in, finds the purchase in the workflow
 * list by its order number, opens its timeline (the payment with its provider
 * and event id, in Chinese and English), downloads the raw history and follows
 * the link to the Temporal Web UI. Each area tells a user of the other (auditor in the portal, manufacturer
 * in the audit area) that it is not theirs, with a link to their own.
 */

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PaymentEvent } from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { signUp } from '../helpers/api-session.ts';
import { expectNoRawKeys, launchChromium, screenshots, watchPageProblems } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { createPlatformUser } from '../helpers/platform-staff.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

describe('auditor journey (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  let orderNumber: string;
  let auditor: { email: string; password: string };
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    h.config.temporal.webUiUrl = 'http://127.0.0.1:8233';
    base = h.config.publicBaseUrl;
    const plan = await publishedPlan(h);
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    orderNumber = placed.orderNumber;
    auditor = await createPlatformUser(h.db.orm, 'auditor');
    browser = await launchChromium();
    context = await browser.newContext({
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  const shot = screenshots('audit-');

  it('logs in, finds the purchase by order number and reads its timeline', async () => {
    const page = await context.newPage();
    watchPageProblems(page, problems);

    // Not logged in: the audit area sends the visitor to its own login page, and back after.
    await page.goto(`${base}/audit/`);
    await page.waitForURL(/\/audit\/login\.html\?next=%2Faudit%2F/);
    await expectNoRawKeys(page);
    await page.locator('#login-email').fill(auditor.email);
    await page.locator('#login-password').fill(auditor.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${base}/audit/`);
    await expect.poll(() => page.getByTestId('whoami').textContent()).toContain('审计 王');
    expect(await page.getByTestId('whoami').textContent()).toContain('审计员');
    // An auditor sees the audit pages, not the admin's.
    expect(await page.getByTestId('nav-reconciliation').count()).toBe(1);
    expect(await page.getByTestId('nav-clauses').count()).toBe(0);

    // The workflow list, filtered by the order number and the business stage, chosen by its name (visibility may take a moment to show it).
    await page.getByTestId('filter-order').fill(orderNumber);
    expect(await page.locator('#filter-stage option[value="awaiting_payment"]').textContent()).toBe(
      '等待付款',
    );
    expect(await page.locator('#filter-stage option[value="completed"]').textContent()).toBe('已完成');
    await page.getByTestId('filter-stage').selectOption('completed');
    const row = page.locator(`tr[data-workflow-id="${purchaseWorkflowId(orderNumber)}"]`);
    await expect
      .poll(
        async () => {
          await page.getByTestId('filter-submit').click();
          await page.locator('#filter-form:not([aria-busy])').waitFor();
          return row.count();
        },
        { timeout: 15_000 },
      )
      .toBe(1);
    expect(page.url()).toContain(`orderNumber=${orderNumber}`);
    expect(page.url()).toContain('businessStatus=completed');
    expect(await row.textContent()).toContain('购买');
    expect(await row.textContent()).toContain('已完成');
    await shot(page, '01-workflows');
    await expectNoRawKeys(page);

    // The timeline, in business words.
    await page.getByTestId(`open-${purchaseWorkflowId(orderNumber)}`).click();
    await page.waitForURL(/\/audit\/workflow\.html\?id=purchase-/);
    await page.getByTestId('timeline-table').waitFor();
    expect(await page.getByTestId('workflow-title').textContent()).toContain('购买');
    expect(await page.getByTestId('fact-order').textContent()).toBe(orderNumber);
    const event = await h.db.orm.em.fork().findOneOrFail(PaymentEvent, { orderNumber });
    const payment = page.locator('tr[data-step="signal.payment"]');
    expect(await payment.textContent()).toContain('收到模拟支付（沙箱）的付款通知');
    expect(await payment.textContent()).toContain(event.providerEventId);
    expect(await page.locator('tr[data-step="activity.recordPaidOrder"]').textContent()).toContain(
      '订单已记录',
    );
    const steps = await page.getByTestId('timeline-step').count();
    expect(steps).toBeGreaterThanOrEqual(10);
    await shot(page, '02-timeline-zh');
    await expectNoRawKeys(page);

    // In English, without reloading.
    await page.getByTestId('lang-switch').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await payment.textContent()).toContain(
      `Payment received from Simulated payment (sandbox): captured ¥299.00, event id ${event.providerEventId}`,
    );
    expect(await page.getByTestId('workflow-title').textContent()).toContain('Purchase');
    await shot(page, '03-timeline-en');
    await expectNoRawKeys(page);

    // The raw history downloads as JSON; the Temporal Web UI is one click away.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('raw-history').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^purchase-YB[A-Z2-9]{14}_[0-9a-f-]{36}\.history\.json$/);
    const history = JSON.parse(await readFile(await download.path(), 'utf8'));
    expect(history.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
    const ui = await page.getByTestId('temporal-ui').getAttribute('href');
    expect(ui).toMatch(
      new RegExp(
        `^http://127\\.0\\.0\\.1:8233/namespaces/default/workflows/${purchaseWorkflowId(orderNumber)}/[0-9a-f-]{36}/history$`,
      ),
    );
    expect(await page.getByTestId('temporal-ui').getAttribute('target')).toBe('_blank');

    // The reconciliation page shows the payment matched and nothing flagged.
    await page.getByTestId('nav-reconciliation').click();
    await page.getByTestId('recon-table').waitFor();
    expect(await page.getByTestId('stat-flagged').textContent()).toContain('0');
    expect(await page.locator('tr[data-flagged="false"]').first().textContent()).toContain(orderNumber);
    // The provider by its name, not its key.
    expect(await page.locator('tr[data-flagged="false"]').first().textContent()).toContain(
      'Simulated payment (sandbox)',
    );
    await shot(page, '04-reconciliation');
    await expectNoRawKeys(page);

    // The messages page: the confirmation SMS delivered (number masked), the manufacturer's email waiting for the relay.
    expect(await page.getByTestId('nav-messages').count()).toBe(1);
    await page.goto(`${base}/audit/messages.html?reference=${orderNumber}`);
    await page.getByTestId('messages-table').waitFor();
    const sms = await page.locator(`tr[data-message="order-confirmation:${orderNumber}"]`).textContent();
    expect(sms).toContain('Delivered');
    expect(sms).toContain('****5678');
    const email = await page
      .locator(`tr[data-message="order-confirmation-email:${orderNumber}"]`)
      .textContent();
    expect(email).toContain('Pending');
    expect(email).toContain('Warranty certificate (PDF) attached');
    await shot(page, '05-messages');
    await expectNoRawKeys(page);

    // The manufacturer portal is not the auditor's: a clear notice with the way back, no endless loading.
    await page.goto(`${base}/portal/`);
    const notice = page.getByTestId('other-area');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('This area is for manufacturer staff.');
    await expectNoRawKeys(page);
    await page.getByTestId('other-area-link').click();
    await page.waitForURL(`${base}/audit/`);
    await page.getByTestId('whoami').waitFor();

    expect(problems).toEqual([]);
  });

  it('lets the platform admin retire a clause, suspend a manufacturer and add an auditor', async () => {
    const platformAdmin = await createPlatformUser(h.db.orm, 'platform_admin');
    const admin = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' });
    const page = await admin.newPage();
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    await page.goto(`${base}/audit/clauses.html`);
    await page.waitForURL(/\/audit\/login\.html/);
    await page.locator('#login-email').fill(platformAdmin.email);
    await page.locator('#login-password').fill(platformAdmin.password);
    await page.getByTestId('login-submit').click();
    await page.waitForURL(`${base}/audit/clauses.html`);

    // Retire a clause: a new version, marked retired, with its history.
    const key = 'parts-labour-free-diagnosis';
    await page.locator('#clause-filter-q').fill(key);
    const row = page.locator(`tr[data-clause-key="${key}"]`);
    await expect.poll(() => page.locator('tr[data-clause-key]').count()).toBe(1);
    await page.getByTestId(`retire-${key}`).click();
    await page.getByTestId(`restore-${key}`).waitFor();
    expect(await row.textContent()).toContain('已停用');
    expect(await row.textContent()).toContain('v2');
    await page.getByTestId(`history-${key}`).click();
    await page.getByTestId('revision-table').waitFor();
    expect(await page.locator('tr[data-version]').count()).toBe(2);
    expect(await page.locator('tr[data-version="2"]').textContent()).toContain('平台 李');
    expect(await page.locator('tr[data-version="1"]').textContent()).toContain('初始条款库');
    await shot(page, '05-clauses');
    await expectNoRawKeys(page);

    // Suspend the manufacturer with a reason.
    await page.getByTestId('nav-manufacturers').click();
    await page.getByTestId('manufacturer-table').waitFor();
    const seller = page.locator('tr[data-manufacturer-id]', { hasText: 'Seller 电器有限公司' });
    const id = await seller.getAttribute('data-manufacturer-id');
    await page.getByTestId(`reason-${id}`).fill('资质审查');
    await page.getByTestId(`suspend-${id}`).click();
    await page.getByTestId(`reactivate-${id}`).waitFor();
    expect(await page.getByTestId(`status-${id}`).textContent()).toBe('已暂停');
    await shot(page, '06-manufacturers');
    await expectNoRawKeys(page);

    // Add an auditor.
    await page.getByTestId('nav-staff').click();
    await page.getByTestId('staff-table').waitFor();
    const auditorEmail = `new-auditor-${randomUUID().slice(0, 6)}@yanbao.test`;
    await page.locator('#staff-name').fill('审计 赵');
    await page.locator('#staff-email').fill(auditorEmail);
    await page.locator('#staff-password').fill('a long enough passphrase');
    await page.getByTestId('staff-submit').click();
    await page.locator(`tr[data-user-email="${auditorEmail}"]`).waitFor();
    expect(await page.locator(`tr[data-user-email="${auditorEmail}"]`).textContent()).toContain('审计员');
    await shot(page, '07-staff');
    await expectNoRawKeys(page);
    await admin.close();
    expect(problems).toEqual([]);
  });

  it('tells a manufacturer who opens the audit area that it is for platform staff, with the way to the portal', async () => {
    const manufacturer = await signUp(h.app, 'Visitor');
    const own = await browser.newContext({ locale: 'zh-CN' });
    const page = await own.newPage();
    const seen: string[] = [];
    watchPageProblems(page, seen);
    await page.goto(`${base}/portal/login.html`);
    await page.fill('#login-email', manufacturer.email);
    await page.fill('#login-password', manufacturer.password);
    await page.click('#login-submit');
    await page.waitForURL(`${base}/portal/`);

    await page.goto(`${base}/audit/`);
    const notice = page.getByTestId('other-area');
    await notice.waitFor();
    expect(await notice.textContent()).toContain('此区域仅供平台审计员和管理员使用');
    await expectNoRawKeys(page);
    await page.getByTestId('other-area-link').click();
    await page.waitForURL(`${base}/portal/`);
    await page.getByTestId('whoami').waitFor();
    await own.close();
    expect(seen).toEqual([]);
  });
});
