import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';

/**
 * Debian's Chromium, headless, as every browser test and the page-weight
 * benchmark drive it; no browser is ever downloaded. Background networking is
 * off because this machine's closed network refuses those connections.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}

/** A phone as the consumer journeys use one: 390×844 at 2×, touch, Chinese, China time. */
export const PHONE_CONTEXT: BrowserContextOptions = {
  viewport: { width: 390, height: 844 },
  deviceScaleFactor: 2,
  isMobile: true,
  hasTouch: true,
  locale: 'zh-CN',
  timezoneId: 'Asia/Shanghai',
};

/** Collects the page's uncaught errors and the console's CSP refusals into `problems`. */
export function watchPageProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text()))
      problems.push(`console: ${message.text()}`);
  });
}

/** `shot(page, name)`: with E2E_SCREENSHOTS=<dir>, keeps a full-page screenshot of each step, for looking at the pages. */
export function screenshots(prefix: string) {
  return async (page: Page, name: string) => {
    const dir = process.env.E2E_SCREENSHOTS;
    if (dir) await page.screenshot({ path: `${dir}/${prefix}${name}.png`, fullPage: true });
  };
}
