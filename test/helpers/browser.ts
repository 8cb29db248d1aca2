import { type Browser, chromium } from 'playwright-core';

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
