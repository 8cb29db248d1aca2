/**
 * The manufacturer's journey through the portal in real Chromium, against the
 * real API, database, Temporal dev server and worker: sign up, add a product
 * and an approver, draft a plan, pick the suggested clauses, then log in as
 * the approver, approve from the review queue, and download the QR code.
 */

import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import jsQRModule from 'jsqr';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeUscc } from '../helpers/api-session.ts';
import { expectNoRawKeys, launchChromium, screenshots, watchPageProblems } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A date some days before today, as YYYY-MM-DD (launch dates may not lie far in the future). */
const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);

describe('manufacturer portal journey (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let context: BrowserContext;
  let base: string;
  /** Uncaught page errors and CSP refusals: the pages must run clean under the strict policy. */
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness();
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    // "localhost", not 127.0.0.1: Chromium keeps Secure cookies over plain http only for localhost.
    base = `http://localhost:${(h.app.server.address() as AddressInfo).port}`;
    browser = await launchChromium();
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await h?.close();
  });

  const shot = screenshots('');

  const watch = (page: Page) => watchPageProblems(page, problems);

  /** Logs out and back in as another user of the portal, landing on its home page. */
  const switchUser = async (page: Page, user: { email: string; password: string }) => {
    await page.getByTestId('logout').click();
    await page.waitForURL(/\/portal\/login\.html/);
    await page.fill('#login-email', user.email);
    await page.fill('#login-password', user.password);
    await page.click('#login-submit');
    await page.waitForURL(`${base}/portal/`);
  };

  it('signs up, adds a product and an approver, drafts, approves, downloads the QR code and issues unit codes', async () => {
    const page = await context.newPage();
    watch(page);
    const tag = Math.random().toString(36).slice(2, 8);
    const admin = {
      name: `Admin ${tag}`,
      email: `admin-${tag}@xinghe.example`,
      password: 'correct horse battery',
    };
    const approver = {
      name: `Approver ${tag}`,
      email: `approver-${tag}@xinghe.example`,
      password: 'another long passphrase',
    };
    const planNameZh = `星河手机两年全面保障 ${tag}`;
    const planNameEn = `Xinghe Phone 2-Year Complete Care ${tag}`;

    // Landing page → portal → not signed in, so the login page → sign-up.
    await page.goto(`${base}/`);
    await page.getByTestId('landing-portal').click();
    await page.waitForURL(/\/portal\/login\.html/);
    await page.locator('#signup-link').click();
    await page.waitForURL(/\/portal\/signup\.html/);

    await page.fill('#company-name', `星河电器有限公司 ${tag}`);
    await page.fill('#company-uscc', '91310000ABCDEFGHIJ');
    await page.fill('#company-email', `contact-${tag}@xinghe.example`);
    await page.fill('#company-contact-name', '王经理');
    await page.fill('#company-contact-phone', '13812345678');
    await page.fill('#user-display-name', admin.name);
    await page.fill('#user-email', admin.email);
    await page.fill('#user-password', admin.password);
    // A wrong credit code comes back as a field-level message next to its input.
    await page.click('#signup-submit');
    await page.locator('[data-field="company.usccCode"] .field-error').waitFor();
    await shot(page, '01-signup-error');
    await expectNoRawKeys(page);
    await page.fill('#company-uscc', makeUscc());
    await page.click('#signup-submit');
    await page.waitForURL(`${base}/portal/`);
    await page.getByTestId('welcome').filter({ hasText: admin.name }).waitFor();
    await shot(page, '02-dashboard');
    await expectNoRawKeys(page);

    // A main product through the form: the price is typed in yuan and shown back as ¥2,999.00.
    await page.getByTestId('nav-products').click();
    await page.waitForURL(/products\.html/);
    await page.getByTestId('product-new').click();
    await page.fill('#product-brand', '星河');
    await page.fill('#product-name', '星河 X5 智能手机');
    await page.fill('#product-model', 'XH-X5-256');
    await page.selectOption('#product-category', 'smartphone');
    await page.fill('#product-price', '2999.00');
    await page.fill('#product-warranty', '12');
    await page.fill('#product-launch', daysAgo(60));
    await page.fill('#product-serial', '^XH[0-9]{10}$');
    await shot(page, '03-product-form');
    await expectNoRawKeys(page);
    await page.getByTestId('product-save').click();
    const productRow = page.getByTestId('product-row-XH-X5-256');
    await productRow.waitFor();
    expect(await productRow.textContent()).toContain('¥2,999.00');
    await shot(page, '04-products');
    await expectNoRawKeys(page);

    // An approver through the users page.
    await page.getByTestId('nav-users').click();
    await page.waitForURL(/users\.html/);
    await page.fill('#user-name', approver.name);
    await page.fill('#user-email', approver.email);
    await page.fill('#user-password', approver.password);
    await page.check('#role-approver');
    await page.getByTestId('user-submit').click();
    await page.locator(`tr[data-user-email="${approver.email}"]`).waitFor();
    await shot(page, '05-users');
    await expectNoRawKeys(page);

    // A plan draft for the product.
    await page.getByTestId('nav-products').click();
    await productRow.getByRole('link').click();
    await page.waitForURL(/draft-new\.html\?productId=/);
    await page.fill('#draft-name-zh', planNameZh);
    await page.fill('#draft-name-en', planNameEn);
    await page.fill('#draft-term', '24');
    await page.fill('#draft-price', '299.00');
    await page.selectOption('#draft-start-rule', 'after_base_warranty');
    await page.fill('#draft-window', '90');
    await page.check('#coverage-parts_labour');
    await page.check('#coverage-screen');
    await page.check('#coverage-battery');
    await shot(page, '06-draft-new');
    await expectNoRawKeys(page);
    const clauseRequests: URL[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname === '/api/v1/clauses') clauseRequests.push(url);
    });
    await page.getByTestId('draft-submit').click();
    await page.waitForURL(/draft\.html\?id=/);

    // The workflow matches; the picker arrives with the best clause of every needed type pre-checked.
    await page.getByTestId('clause-picker').waitFor({ timeout: 30_000 });
    expect(await page.getAttribute('#stage', 'data-stage')).toBe('awaiting_selection');
    expect(await page.locator('[data-testid="cases-table"] tbody tr').count()).toBeGreaterThan(0);
    const checklist = page.getByTestId('coverage-check');
    expect(await checklist.locator('li').count()).toBe(6); // parts_labour, screen, battery + three mandatory terms
    expect(await checklist.locator('[data-ok="false"]').count()).toBe(0);
    expect(await page.locator('#selection-form input[name="clauseIds"]:checked').count()).toBe(6);
    // Every suggestion can be read in full; the page fetched those clauses by id, not the whole library.
    const picker = page.getByTestId('clause-picker');
    expect(await picker.locator('.clause-more').count()).toBe(
      await picker.locator('input[name="clauseIds"]').count(),
    );
    expect(clauseRequests.length).toBeGreaterThan(0);
    expect(clauseRequests.every((url) => url.searchParams.getAll('ids').length > 0)).toBe(true);
    // The library search finds more clauses to add.
    await page.fill('#library-q', 'screen');
    await page.click('#library-search');
    await page.getByTestId('library-results').waitFor();
    expect(await page.getByTestId('library-results').locator('li').count()).toBeGreaterThan(0);
    await shot(page, '07-draft-picker');
    await expectNoRawKeys(page);
    await page.getByTestId('submit-selection').click();
    await page.locator('#stage[data-stage="awaiting_review"]').waitFor();
    await page.getByTestId('selection-view').waitFor();
    await shot(page, '08-draft-submitted');
    await expectNoRawKeys(page);

    // The approver takes over.
    await switchUser(page, approver);
    // The navigation counts the draft waiting; the queue names its submitter and how long it has waited.
    expect(await page.getByTestId('count-review').textContent()).toBe('1');
    await page.getByTestId('nav-review').click();
    await page.waitForURL(/review\.html/);
    const queued = page.getByTestId('review-table').locator('tr', { hasText: planNameZh });
    expect(await queued.getByTestId('submitter').textContent()).toBe(admin.name);
    expect(await queued.getByTestId('waiting').textContent()).toMatch(/^\d+分钟$/);
    await queued.getByRole('link').first().click();
    await page.waitForURL(/draft\.html\?id=/);
    const draftUrl = page.url();
    // A first round sends it back: the note names the reviewer; the admin submits it again.
    await page.fill('#review-comment', '请补充说明。');
    await page.getByTestId('review-request-changes').click();
    await page.getByTestId('changes-requested').waitFor();
    expect(await page.getByTestId('review-note-reviewer').textContent()).toBe(`审核人：${approver.name}`);
    await switchUser(page, admin);
    await page.goto(draftUrl);
    await page.getByTestId('submit-selection').click();
    await page.locator('#stage[data-stage="awaiting_review"]').waitFor();
    await switchUser(page, approver);
    await page.goto(draftUrl);
    await page.getByTestId('review-panel').waitFor();
    // The approver reads the full text of every selected clause.
    expect(await page.getByTestId('selection-view').locator('li[data-clause-id] details').count()).toBe(6);
    await shot(page, '09-review');
    await expectNoRawKeys(page);
    await page.fill('#review-comment', '条款齐全，同意发布。');
    await page.getByTestId('review-approve').click();
    await page.getByTestId('published-plan-link').click({ timeout: 30_000 });
    await page.waitForURL(/plan\.html\?id=/);

    // The published plan: code, public URL, frozen clauses and the QR code image.
    const codeCell = page.locator('[data-testid="plan-code"]:not(:empty)');
    await codeCell.waitFor();
    const code = (await codeCell.textContent())?.trim() ?? '';
    expect(code).not.toBe('');
    expect(await page.getByTestId('plan-title').textContent()).toBe(planNameZh);
    const publicUrl = `https://yanbao.test/w/${code}`;
    expect(await page.getByTestId('plan-public-url').textContent()).toBe(publicUrl);
    expect(await page.locator('[data-testid="plan-clauses"] > li').count()).toBe(6);
    await page.waitForFunction(() => {
      const image = document.querySelector<HTMLImageElement>('[data-testid="plan-qr"]');
      return Boolean(image?.complete && image.naturalWidth > 0);
    });

    await shot(page, '10-plan');
    await expectNoRawKeys(page);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-qr-png').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^yanbao-${code}-v1\\.png$`));
    const bytes = await readFile(await download.path());
    expect(bytes.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const png = PNG.sync.read(bytes);
    const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(decoded?.data).toBe(publicUrl);

    // One switch of language re-labels the page in place and is remembered.
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await page.getByTestId('lang-switch').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.getByTestId('download-qr-png').textContent()).toBe('Download QR code (PNG)');
    expect(await page.getByTestId('nav-products').textContent()).toBe('Products');
    expect(await page.getByTestId('plan-title').textContent()).toBe(planNameEn);
    await page.reload();
    await page.getByTestId('nav-plans').filter({ hasText: 'Published plans' }).waitFor();
    await shot(page, '11-plan-en');
    await expectNoRawKeys(page);

    // The admin (an editor too) issues per-unit QR codes; a serial off the product's pattern is
    // refused and its line named, and nothing starts until every line is right.
    const planUrl = page.url();
    await switchUser(page, admin);
    await page.goto(planUrl);
    await page.getByTestId('units-serials').fill('XH0000000001\nnot-a-serial\nXH0000000002');
    await page.getByTestId('units-issue').click();
    const serialsError = page.locator('[data-field="serials"] .field-error:not([hidden])');
    await serialsError.waitFor();
    expect(await serialsError.textContent()).toContain('lines with problems: 2');
    await page.getByTestId('units-serials').fill('XH0000000001\nXH0000000002');
    await page.getByTestId('units-issue').click();
    await page.locator('#units-form .notice-success').waitFor();
    expect(await serialsError.count()).toBe(0);

    expect(problems).toEqual([]);
  }, 120_000);
});
