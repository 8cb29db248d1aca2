import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { assetUrl, WebAssets } from '../../src/pages/assets.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { publishedPlan } from '../helpers/purchase-fixtures.ts';
import { get } from '../helpers/raw-http.ts';

const CONSUMER_CSS = readFileSync(new URL('../../web/consumer/consumer.css', import.meta.url), 'utf8');
const STYLESHEET = /<link rel="stylesheet" href="([^"]+)">/;

describe('static assets', () => {
  let h: Harness;
  let base: string;
  let landing: string;
  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    base = h.config.publicBaseUrl;
    landing = `/w/${(await publishedPlan(h)).code}`;
  });
  afterAll(() => h?.close());

  it('the landing page links the hashed stylesheet, served immutable in the encoding asked for', async () => {
    const page = await get(base, landing, { 'accept-encoding': 'gzip, deflate, br' });
    const href = page.text.match(STYLESHEET)?.[1];
    expect(href).toMatch(/^\/consumer\/consumer\.[\w-]{12}\.css$/);
    expect(href).toBe(assetUrl('/consumer/consumer.css'));

    const etags = new Set<string>();
    const cases: [string | undefined, string | undefined][] = [
      ['gzip, deflate, br', 'br'],
      ['gzip, deflate, br, zstd', 'br'], // Chromium: no zstd copy is kept, so brotli
      ['gzip', 'gzip'],
      ['x-gzip', 'gzip'],
      ['br;q=0.5, gzip', 'gzip'],
      [undefined, undefined],
      ['identity', undefined],
      ['zstd', undefined],
    ];
    for (const [accept, expected] of cases) {
      const css = await get(base, href ?? '', accept ? { 'accept-encoding': accept } : {});
      expect(css.status, accept).toBe(200);
      expect(css.headers['cache-control'], accept).toBe('public, max-age=31536000, immutable');
      expect(css.headers['content-type'], accept).toBe('text/css; charset=utf-8');
      expect(css.headers['content-encoding'], accept).toBe(expected);
      expect(css.headers.vary, accept).toBe('accept-encoding');
      expect(Number(css.headers['content-length']), accept).toBe(css.raw.length);
      expect(css.text, accept).toBe(CONSUMER_CSS);
      if (expected) expect(css.raw.length, accept).toBeLessThan(CONSUMER_CSS.length / 2);
      const etag = css.headers.etag ?? '';
      expect(etag, accept).toMatch(/^"[\w-]{12}(\.br|\.gzip)?"$/);
      etags.add(etag);

      const again = await get(base, href ?? '', {
        ...(accept ? { 'accept-encoding': accept } : {}),
        'if-none-match': etag,
      });
      expect(again.status, accept).toBe(304);
      expect(again.raw.length, accept).toBe(0);
      expect(again.headers.etag, accept).toBe(etag);
    }
    // Each encoding is its own representation, with its own tag.
    expect(etags.size).toBe(3);
  });

  it('links the hashed scripts and keeps the plain URL working with a short max-age', async () => {
    const page = await get(base, landing);
    expect(page.text).toContain(`<script type="module" src="${assetUrl('/consumer/coverage-preview.js')}">`);
    expect(page.text).not.toMatch(/(href|src)="\/consumer\/[\w-]+\.(css|js)"/);

    const plain = await get(base, '/consumer/consumer.css', { 'accept-encoding': 'gzip' });
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('public, max-age=300');
    expect(plain.headers['content-encoding']).toBe('gzip');
    expect(plain.text).toBe(CONSUMER_CSS);

    const script = await get(base, assetUrl('/consumer/coverage-preview.js'), { 'accept-encoding': 'br' });
    expect(script.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(script.headers['content-encoding']).toBe('br');
    expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    // A hash that is not the file's is no file at all.
    expect((await get(base, '/consumer/consumer.AAAAAAAAAAAA.css')).status).toBe(404);
  });

  it('never compresses an asset per request', async () => {
    const compressors = (
      [
        'createBrotliCompress',
        'createGzip',
        'createDeflate',
        'createZstdCompress',
        'brotliCompress',
        'brotliCompressSync',
        'gzip',
        'gzipSync',
      ] as const
    ).map((name) => vi.spyOn(zlib, name));
    const calls = () => compressors.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    try {
      for (const path of [assetUrl('/consumer/consumer.css'), '/consumer/consumer.css']) {
        const cases: [string, string | undefined][] = [
          ['br', 'br'],
          ['gzip', 'gzip'],
          ['gzip, deflate, br, zstd', 'br'],
          // No deflate copy is kept: identity, which @fastify/compress must not deflate on the way out.
          ['deflate', undefined],
        ];
        for (const [accept, expected] of cases) {
          const response = await get(base, path, { 'accept-encoding': accept });
          expect(response.headers['content-encoding'], `${path} ${accept}`).toBe(expected);
        }
      }
      expect(calls()).toBe(0);
      // The spies do see per-request compression: the portal's stylesheet still goes through @fastify/compress.
      const portal = await get(base, '/assets/app.css', { 'accept-encoding': 'gzip' });
      expect(portal.headers['content-encoding']).toBe('gzip');
      expect(calls()).toBeGreaterThan(0);
    } finally {
      for (const spy of compressors) spy.mockRestore();
    }
  });
});

describe('asset URLs', () => {
  const root = mkdtempSync(join(tmpdir(), 'yanbao-assets-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  mkdirSync(join(root, 'consumer'));
  const file = join(root, 'consumer', 'page.css');

  it('change with the content of the file, and only with it', () => {
    writeFileSync(file, 'body { color: black; }\n');
    const first = new WebAssets(root, ['consumer']).url('/consumer/page.css');
    expect(first).toMatch(/^\/consumer\/page\.[\w-]{12}\.css$/);
    expect(new WebAssets(root, ['consumer']).url('/consumer/page.css')).toBe(first);
    writeFileSync(file, 'body { color: navy; }\n');
    expect(new WebAssets(root, ['consumer']).url('/consumer/page.css')).not.toBe(first);
  });

  it('refuse a file that is not served, so a typo fails the first render', () => {
    expect(() => assetUrl('/consumer/nope.css')).toThrow(/not one of the static assets/);
  });
});
