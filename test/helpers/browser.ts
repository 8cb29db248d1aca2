import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { DEFAULT_LOCALE, loadResources } from '../../src/i18n/catalogue.ts';

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

/** What a raw catalogue key on a page looks like: `ns:key`, or a portal key such as `nav.dashboard`, `audit.…`. */
const CATALOGUE_KEYS = (() => {
  const resources = loadResources();
  const keysOf = (tree: unknown, prefix = ''): string[] =>
    typeof tree === 'object' && tree !== null
      ? Object.entries(tree).flatMap(([key, value]) => keysOf(value, prefix ? `${prefix}.${key}` : key))
      : [prefix];
  const namespaces = Object.keys(resources[DEFAULT_LOCALE] ?? {});
  const bare = [
    ...keysOf(resources[DEFAULT_LOCALE]?.portal),
    ...keysOf(resources[DEFAULT_LOCALE]?.audit).map((key) => `audit.${key}`),
  ];
  return {
    // A key the catalogue lacks shows itself too, so any `group.key` of a group the portal uses counts as raw.
    bareGroups: new Set(bare.map((key) => key.split('.')[0])),
    qualified: new RegExp(`\\b(?:${namespaces.join('|')}):[A-Za-z_.]+`, 'g'),
  };
})();

/**
 * Fails when the page shows a catalogue key instead of words (a key missing in this language shows itself):
 * in its text, title, placeholders, labels and options. One line per page visited, in each language.
 */
export async function expectNoRawKeys(page: Page): Promise<void> {
  const shown: string[] = await page.evaluate(() => [
    document.title,
    // biome-ignore lint/performance/useDomNodeTextContent: what is shown, split at element edges, not script text
    document.body.innerText,
    ...[...document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')].flatMap((node) =>
      ['placeholder', 'aria-label', 'title', 'alt'].map((name) => node.getAttribute(name) ?? ''),
    ),
    ...[...document.querySelectorAll('option')].map((option) => option.textContent ?? ''),
  ]);
  const raw = shown.flatMap((text) => [
    ...(text.match(CATALOGUE_KEYS.qualified) ?? []),
    ...text
      .split(/\s+/)
      .filter((token) => /^[a-z][a-zA-Z]*(?:\.[a-zA-Z_]+)+$/.test(token))
      .filter((token) => CATALOGUE_KEYS.bareGroups.has(token.split('.')[0] ?? '')),
  ]);
  expect([...new Set(raw)], `catalogue keys shown on ${page.url()}`).toEqual([]);
}
