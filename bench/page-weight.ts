/**
 * Page weight of the consumer's whole path, from scanning the QR code to a
 * paid, confirmed order, in Chromium on a phone: landing page → purchase form
 * → sandbox checkout → order page (live steps, until confirmed).
 *
 * Every response is recorded with the Chrome DevTools Protocol: bytes on the
 * wire (`Network.loadingFinished.encodedDataLength`: compressed body plus
 * response headers, as the phone downloads them) and bytes decoded (the body
 * after decompression). The total on the wire is checked against the 60 KB
 * budget of issue 3; the exit code is 1 when it is over.
 *
 *   node bench/page-weight.ts            (TEMPORAL_CLI_PATH must be set)
 *
 * The browser starts with an empty cache, like a first scan. Uploads (the
 * form posts) are not counted: they are what the phone sends, not downloads.
 */

import { chinaDate } from '../src/domain/coverage.ts';
import { launchChromium, PHONE_CONTEXT } from '../test/helpers/browser.ts';
import { publishBenchPlan, startBenchSystem, stopOnSignals } from './support.ts';

const BUDGET_BYTES = 60 * 1024;

/** The parts of CDP's Network.Request / Network.Response read here. */
interface CdpRequest {
  method: string;
  url: string;
}
interface CdpResponse {
  status: number;
  mimeType: string;
  headers: Record<string, unknown>;
}

interface Entry {
  method: string;
  url: string;
  resourceType: string;
  status: number | null;
  mimeType: string;
  encoding: string;
  wireBytes: number;
  decodedBytes: number;
  state: 'pending' | 'finished' | 'failed';
}

const system = await startBenchSystem({ listen: true });
stopOnSignals(system);
const base = system.url as string;
let overBudget = false;

try {
  const plan = await publishBenchPlan(system);
  const browser = await launchChromium();
  try {
    const context = await browser.newContext(PHONE_CONTEXT);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });

    // ——— record every response of this page (redirect hops included) ———
    const entries: Entry[] = [];
    const current = new Map<string, Entry>();
    const cdp = await context.newCDPSession(page);
    const open = (requestId: string, request: CdpRequest, resourceType = 'Other') => {
      const entry: Entry = {
        method: request.method,
        url: request.url,
        resourceType,
        status: null,
        mimeType: '',
        encoding: '',
        wireBytes: 0,
        decodedBytes: 0,
        state: 'pending',
      };
      entries.push(entry);
      current.set(requestId, entry);
    };
    const describe = (entry: Entry, response: CdpResponse) => {
      const header = Object.entries(response.headers).find(([k]) => k.toLowerCase() === 'content-encoding');
      entry.status = response.status;
      entry.mimeType = response.mimeType;
      entry.encoding = header ? String(header[1]) : '';
    };
    cdp.on('Network.requestWillBeSent', (event) => {
      const hop = current.get(event.requestId);
      if (event.redirectResponse && hop) {
        // The redirect's own response ends here; the same request id continues to the new URL.
        describe(hop, event.redirectResponse);
        hop.wireBytes = event.redirectResponse.encodedDataLength;
        hop.state = 'finished';
      }
      open(event.requestId, event.request, event.type);
    });
    cdp.on('Network.responseReceived', (event) => {
      const entry = current.get(event.requestId);
      if (entry) describe(entry, event.response);
    });
    cdp.on('Network.dataReceived', (event) => {
      const entry = current.get(event.requestId);
      if (entry) entry.decodedBytes += event.dataLength;
    });
    cdp.on('Network.loadingFinished', (event) => {
      const entry = current.get(event.requestId);
      if (!entry) return;
      entry.wireBytes = event.encodedDataLength;
      entry.state = 'finished';
    });
    cdp.on('Network.loadingFailed', (event) => {
      const entry = current.get(event.requestId);
      if (entry) entry.state = 'failed';
    });
    await cdp.send('Network.enable');

    // ——— the journey ———
    await page.goto(`${base}/w/${plan.code}`);
    await page.locator(`#plan-${plan.code} details summary`).tap();
    await page.fill('#consumerName', '张三');
    await page.fill('#consumerPhone', '13912345678');
    await page.fill('#serialNumber', `XH${String(Date.now()).slice(-10)}`);
    await page.fill('#productPurchaseDate', chinaDate(new Date(Date.now() - 10 * 86_400_000)));
    await page.getByTestId('pay').tap();
    await page.waitForURL(/\/sandbox\/checkout\//);
    await page.getByTestId('sandbox-pay').tap();
    await page.waitForURL(/\/o\/[^/?]+\?t=/);
    // Confirmed: the page reloads itself with the coverage dates and the certificate link.
    await page.getByTestId('certificate').waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    await cdp.detach();
    await context.close();

    // ——— the table ———
    const pending = entries.filter((e) => e.state !== 'finished');
    const done = entries.filter((e) => e.state === 'finished');
    const shortUrl = (url: string) => {
      if (url.startsWith('data:')) return `${url.slice(0, url.search(/[;,]/))} (inline, not fetched)`;
      const u = new URL(url);
      const path = `${u.pathname}${u.search ? u.search.replace(/([?&]t=)[^&]+/, '$1…') : ''}`;
      return path.length > 56 ? `${path.slice(0, 55)}…` : path;
    };
    const fmt = (n: number) => n.toLocaleString('en-US');
    const rows = done.map((e, i) => [
      String(i + 1),
      e.method,
      String(e.status ?? ''),
      shortUrl(e.url),
      `${e.mimeType}${e.encoding ? ` (${e.encoding})` : ''}`,
      fmt(e.wireBytes),
      // A 304 revalidates the cached copy: only headers travel; the body comes from the cache.
      e.status === 304 ? `(cache) ${fmt(e.decodedBytes)}` : fmt(e.decodedBytes),
    ]);
    const header = ['#', 'method', 'status', 'URL', 'content type', 'wire B', 'decoded B'];
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
    const right = new Set([0, 2, 5, 6]);
    const line = (cells: string[]) =>
      cells
        .map((cell, c) => (right.has(c) ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
        .join('  ');
    const wire = done.reduce((sum, e) => sum + e.wireBytes, 0);
    const decoded = done.reduce((sum, e) => sum + e.decodedBytes, 0);
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

    console.log(`\nConsumer path, landing → paid, Chromium phone viewport, empty cache (${base})\n`);
    console.log(line(header));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) console.log(line(row));
    console.log(widths.map((w) => '-'.repeat(w)).join('  '));

    const byType = new Map<string, { wire: number; decoded: number; count: number }>();
    for (const e of done) {
      const t = byType.get(e.resourceType) ?? { wire: 0, decoded: 0, count: 0 };
      t.wire += e.wireBytes;
      t.decoded += e.decodedBytes;
      t.count += 1;
      byType.set(e.resourceType, t);
    }
    console.log('\nby resource type:');
    for (const [type, t] of [...byType].sort((a, b) => b[1].wire - a[1].wire))
      console.log(
        `  ${type.padEnd(12)} ${String(t.count).padStart(3)} responses  ${kb(t.wire).padStart(9)} on wire  ${kb(t.decoded).padStart(9)} decoded`,
      );

    overBudget = wire > BUDGET_BYTES;
    console.log(
      `\ntotal: ${done.length} responses, ${fmt(wire)} B = ${kb(wire)} on the wire (${fmt(decoded)} B = ${kb(decoded)} decoded, bodies revalidated from the cache included)`,
    );
    console.log(
      `budget: ${kb(BUDGET_BYTES)} → ${overBudget ? 'OVER' : 'within'} budget (${((wire / BUDGET_BYTES) * 100).toFixed(0)}% used)`,
    );
    if (pending.length > 0)
      console.log(
        `not counted (unfinished or failed): ${pending.map((e) => `${e.method} ${shortUrl(e.url)}`).join(', ')}`,
      );
    if (problems.length > 0) console.log(`\nbrowser problems:\n  ${problems.join('\n  ')}`);
  } finally {
    await browser.close();
  }
} finally {
  await system.stop();
}
if (overBudget) process.exitCode = 1;
