import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import en from '../../src/i18n/locales/en/consumer.json' with { type: 'json' };
import zh from '../../src/i18n/locales/zh-CN/consumer.json' with { type: 'json' };
import { type Harness, startHarness } from '../helpers/harness.ts';
import { get } from '../helpers/raw-http.ts';

const FAVICON_SVG = readFileSync(new URL('../../web/brand/favicon.svg', import.meta.url), 'utf8');
const ICON_LINK = /<link rel="icon" type="image\/svg\+xml" href="([^"]+)">/;

describe('error pages and the favicon (real HTTP)', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    base = h.config.publicBaseUrl;
  });
  afterAll(() => h?.close());

  const expectHtml404 = (response: Awaited<ReturnType<typeof get>>, lang: 'zh-CN' | 'en') => {
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers.vary).toContain('accept-language');
    expect(response.text).toMatch(new RegExp(`^<!doctype html><html lang="${lang}">`));
  };

  it('answers an unknown URL outside /api/ with an HTML page in the request language', async () => {
    const english = await get(base, '/portal/nope.html', { 'accept-language': 'en-GB,en;q=0.9' });
    expectHtml404(english, 'en');
    expect(english.text).toContain(`<h1>${en.pageNotFoundTitle}</h1>`);
    expect(english.text).toContain(en.pageNotFoundBody);

    const chinese = await get(base, '/nope', { 'accept-language': 'zh-CN,zh;q=0.9,en;q=0.8' });
    expectHtml404(chinese, 'zh-CN');
    expect(chinese.text).toContain(`<h1>${zh.pageNotFoundTitle}</h1>`);

    // The portal's language switch (its cookie) wins over the browser's languages.
    const switched = await get(base, '/nope', { 'accept-language': 'zh-CN', cookie: 'yanbao_lang=en' });
    expectHtml404(switched, 'en');
  });

  it('keeps JSON errors for unknown API paths', async () => {
    const api = await get(base, '/api/v1/nope', { 'accept-language': 'en' });
    expect(api.status).toBe(404);
    expect(api.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(api.text)).toMatchObject({ error: 'not_found' });
  });

  it('answers bad order links with the order page, not the plan page, wording', async () => {
    const cases = [
      '/o/YBABCDEFGH23456789?t=not-the-right-token', // well formed, no such order
      '/o/YBABCDEFGH23456789', // no token
      '/o/YB-cut-off?t=abcdefghijkl', // malformed number
    ];
    for (const url of cases) {
      const english = await get(base, url, { 'accept-language': 'en' });
      expectHtml404(english, 'en');
      expect(english.text, url).toContain(`<h1>${en.orderNotFoundTitle}</h1>`);
      expect(english.text, url).toContain(en.orderNotFoundBody);
      expect(english.text, url).toContain('href="/lookup?lang=en"');
      expect(english.text, url).not.toContain(en.notFoundBody);
    }
    // The claims and cancellation pages of a link without its token: their own not-found page, in HTML.
    for (const url of ['/o/YBABCDEFGH23456789/claims', '/o/YBABCDEFGH23456789/cancel']) {
      const english = await get(base, url, { 'accept-language': 'en' });
      expectHtml404(english, 'en');
    }
    const chinese = await get(base, cases[0] as string, { 'accept-language': 'zh-CN' });
    expectHtml404(chinese, 'zh-CN');
    expect(chinese.text).toContain(zh.orderNotFoundBody);
  });

  it('links the favicon from the portal and the consumer pages, cached for a year; /favicon.ico leads to it', async () => {
    const portal = await get(base, '/portal/login.html');
    const consumer = await get(base, '/lookup');
    const href = portal.text.match(ICON_LINK)?.[1];
    expect(href).toMatch(/^\/brand\/favicon\.[\w-]{12}\.svg$/);
    expect(consumer.text.match(ICON_LINK)?.[1]).toBe(href);

    const icon = await get(base, href ?? '');
    expect(icon.status).toBe(200);
    expect(icon.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(icon.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(icon.text).toBe(FAVICON_SVG);

    const ico = await get(base, '/favicon.ico');
    expect(ico.status).toBe(302);
    expect(ico.headers.location).toBe(href);
    expect(ico.headers['cache-control']).toBe('public, max-age=300');
  });
});
