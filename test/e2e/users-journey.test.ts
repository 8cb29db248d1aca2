/**
 * Users and passwords in real Chromium against the real API and database: the admin deactivates an
 * editor (whose open page loses its session at once), lets them back, resets their password (the
 * emailed single-use link sets a new one); the editor uses "forgot password" from the login page; the
 * admin changes their own password from "my account". In Chinese, then English, with no raw keys.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { expectNoRawKeys, launchChromium, screenshots, watchPageProblems } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { addUser } from '../helpers/plan-fixtures.ts';

const LINK = /https?:\/\/[^/\s]+(\/account\/reset-password\?t=[\w-]+&lang=(?:zh|en))/;

describe('users and passwords journey (browser)', () => {
  let h: Harness;
  let browser: Browser;
  let adminContext: BrowserContext;
  let editorContext: BrowserContext;
  const problems: string[] = [];
  const shot = screenshots('users-');

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    browser = await launchChromium();
    adminContext = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    editorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await adminContext?.close();
    await editorContext?.close();
    await browser?.close();
    await h?.close();
  });

  /** The link in the last email the notifier delivered to `recipient` after `before` others. */
  async function linkTo(recipient: string, before: number) {
    for (let i = 0; i < 200; i++) {
      const email = h.delivered.slice(before).findLast((m) => m.recipient === recipient);
      const path = email && LINK.exec(email.body)?.[1];
      if (path) return `${h.config.publicBaseUrl}${path}`;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no password link to ${recipient}`);
  }

  async function logIn(page: Page, email: string, password: string) {
    await page.goto(`${h.config.publicBaseUrl}/portal/login.html`);
    await page.fill('#login-email', email);
    await page.fill('#login-password', password);
    await page.click('#login-submit');
    await page.waitForURL(`${h.config.publicBaseUrl}/portal/`);
  }

  /** Sets a password on the emailed link's page and logs in with it. */
  async function setPasswordThroughLink(page: Page, link: string, email: string, password: string) {
    await page.goto(link);
    await page.fill('#password', password);
    await page.fill('#confirm', password);
    await page.click('button[type="submit"]');
    await page.getByTestId('password-set').waitFor();
    await logIn(page, email, password);
  }

  it('deactivates, reactivates and resets an editor; forgot password and my account work', async () => {
    const admin = await signUp(h.app, 'Users');
    // addUser names the user after its roles and gives it this password.
    const editor = {
      ...(await addUser(admin.session, ['editor'], () => new ApiSession(h.app))),
      displayName: 'editor',
      password: 'another long passphrase',
    };
    const adminPage = await adminContext.newPage();
    const editorPage = await editorContext.newPage();
    watchPageProblems(adminPage, problems);
    watchPageProblems(editorPage, problems);
    const row = () => adminPage.locator(`tr[data-user-email="${editor.email}"]`);

    await logIn(editorPage, editor.email, editor.password);
    await logIn(adminPage, admin.email, admin.password);
    await adminPage.getByTestId('nav-users').click();
    await adminPage.waitForURL(/\/portal\/users\.html/);
    await row().getByTestId('user-status').filter({ hasText: '在用' }).waitFor();
    // The admin's own row offers nothing to do to themselves.
    expect(await adminPage.locator(`tr[data-user-email="${admin.email}"] button`).count()).toBe(0);
    await shot(adminPage, '01-list');
    await expectNoRawKeys(adminPage);

    // Deactivate, after confirming: the editor's open page has no session any more.
    adminPage.once('dialog', (dialog) => dialog.accept());
    await row().getByTestId('user-deactivate').click();
    await row().getByTestId('user-status').filter({ hasText: '已停用' }).waitFor();
    expect(await adminPage.getByTestId('user-notice').textContent()).toContain('已停用');
    await editorPage.reload();
    await editorPage.waitForURL(/\/portal\/login\.html/);
    await shot(adminPage, '02-deactivated');

    // Back in with the old password.
    await row().getByTestId('user-reactivate').click();
    await row().getByTestId('user-status').filter({ hasText: '在用' }).waitFor();
    await logIn(editorPage, editor.email, editor.password);

    // The admin's reset: the old password stops working; the emailed link sets a new one.
    let before = h.delivered.length;
    adminPage.once('dialog', (dialog) => dialog.accept());
    await row().getByTestId('user-reset-password').click();
    await adminPage.getByTestId('user-notice').filter({ hasText: editor.displayName }).waitFor();
    expect((await new ApiSession(h.app).login(editor.email, editor.password)).statusCode).toBe(401);
    await setPasswordThroughLink(
      editorPage,
      await linkTo(editor.email, before),
      editor.email,
      'reset by the admin 2026',
    );

    // Forgot password, from the login page.
    await editorContext.clearCookies();
    await editorPage.goto(`${h.config.publicBaseUrl}/portal/login.html`);
    await editorPage.getByTestId('forgot-link').click();
    await editorPage.waitForURL(/forgot-password\.html/);
    await expectNoRawKeys(editorPage);
    before = h.delivered.length;
    await editorPage.fill('#forgot-email', editor.email);
    await editorPage.getByTestId('forgot-submit').click();
    expect(await editorPage.getByTestId('forgot-sent').textContent()).toContain('60 分钟');
    await shot(editorPage, '03-forgot');
    await setPasswordThroughLink(
      editorPage,
      await linkTo(editor.email, before),
      editor.email,
      'remembered at last 2026',
    );

    // My account: the admin changes their own password; a wrong current one is refused at its field.
    await adminPage.getByTestId('whoami').click();
    await adminPage.waitForURL(/\/portal\/account\.html/);
    await adminPage.fill('#current-password', 'not my password');
    await adminPage.fill('#new-password', 'a new admin passphrase');
    await adminPage.getByTestId('password-submit').click();
    await adminPage
      .locator('[data-role="form-error"]:not([hidden]), .field-error:not([hidden])')
      .first()
      .waitFor();
    await adminPage.fill('#current-password', admin.password);
    await adminPage.fill('#new-password', 'a new admin passphrase');
    await adminPage.getByTestId('password-submit').click();
    await adminPage.getByTestId('flash').waitFor();
    expect((await new ApiSession(h.app).login(admin.email, 'a new admin passphrase')).statusCode).toBe(200);

    // English: the same list in the other language, the words from the catalogue.
    await adminPage.getByTestId('nav-users').click();
    await adminPage.getByTestId('lang-switch').click();
    await row().getByTestId('user-status').filter({ hasText: 'Active' }).waitFor();
    expect(await adminPage.locator('h1').textContent()).toBe('Users');
    // The English header fits one row on a 1366 px screen (two rows are over 100 px high).
    expect(
      await adminPage.locator('.topbar').evaluate((bar) => bar.getBoundingClientRect().height),
    ).toBeLessThan(80);
    await expectNoRawKeys(adminPage);
    await shot(adminPage, '04-english');
    // The next page is drawn in English from the first paint (the switch's cookie).
    await adminPage.reload();
    expect(await adminPage.title()).toContain('Users');

    expect(problems).toEqual([]);
  }, 150_000);
});
