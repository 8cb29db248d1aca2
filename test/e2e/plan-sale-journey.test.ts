/**
 * The plan page in real Chromium (issue 14 §3): an approver stops selling after a confirmation
 * and sees the sale record; an editor opens a new version from the current terms and lands in
 * the draft editor; the recent orders show the version each bought.
 */
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession } from '../helpers/api-session.ts';
import { expectNoRawKeys, launchChromium, screenshots, watchPageProblems } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { addUser } from '../helpers/plan-fixtures.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

describe('plan stop and new version (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let base: string;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  let approver: Awaited<ReturnType<typeof addUser>>;
  const problems: string[] = [];
  const shot = screenshots('plan-sale-');

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    base = `http://localhost:${(h.app.server.address() as AddressInfo).port}`;
    seller = await publishedPlan(h);
    approver = await addUser(seller.editor.session, ['approver'], () => new ApiSession(h.app));
    await activeOrder(h, seller.code);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  const logIn = async (email: string, password: string): Promise<Page> => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    watchPageProblems(page, problems);
    await page.goto(`${base}/portal/login.html`);
    await page.fill('#login-email', email);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForURL(`${base}/portal/`);
    await page.goto(`${base}/portal/plan.html?id=${seller.planId}`);
    await page.getByTestId('plan-code').filter({ hasText: seller.code }).waitFor();
    return page;
  };

  it('stops selling after a confirmation, and records who did it', async () => {
    const page = await logIn(approver.email, 'another long passphrase');
    await expect.poll(() => page.getByTestId('order-version').allTextContents()).toEqual(['v1']);
    // An approver decides what sells; drafting a new version is the editors' job.
    expect(await page.getByTestId('new-version-card').isHidden()).toBe(true);
    await page.getByTestId('sale-stop').click();
    await page.getByTestId('sale-confirm').waitFor();
    await shot(page, 'confirm');
    await page.getByTestId('sale-confirm-yes').click();
    await page.getByTestId('flash').waitFor();
    // The page loads again with the new status: the resume button and the record appear.
    await page.getByTestId('sale-resume').waitFor();
    await page.getByTestId('sale-history').locator('td').first().waitFor();
    // addUser names the user after its roles.
    expect(await page.getByTestId('sale-history').textContent()).toContain('approver');
    await expectNoRawKeys(page);
    await shot(page, 'stopped');
    expect((await fetch(`${base}/w/${seller.code}`)).status).toBe(410);
    expect(problems).toEqual([]);
  });

  it('opens a new version from the current terms in the draft editor', async () => {
    const page = await logIn(seller.editor.email, seller.editor.password);
    const price = page.getByTestId('version-price');
    expect(await price.inputValue()).toBe('299.00');
    await price.fill('259');
    await page.getByTestId('version-create').click();
    await page.waitForURL(/\/portal\/draft\.html\?id=/);
    await page.goto(`${base}/portal/plan.html?id=${seller.planId}`);
    await page.getByTestId('open-version-link').waitFor();
    await shot(page, 'version-open');
    expect(problems).toEqual([]);
  });
});
