import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import cookie from '@fastify/cookie';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { hasMessage, LOCALES } from '../../src/i18n/catalogue.ts';
import { webRoutes } from '../../src/routes/pages/web.ts';
import { LANG_COOKIE, WEB_PAGES } from '../../src/routes/pages/web-pages.ts';

const WEB = new URL('../../web/', import.meta.url).pathname;
const webFiles = (dir = WEB): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? webFiles(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const scripts = webFiles().filter((file) => file.endsWith('.js'));

/** How the pages name a catalogue key: a bare `audit.…` key is in the audit namespace, another bare key in portal. */
const code = (key: string) =>
  key.includes(':') ? key : key.startsWith('audit.') ? `audit:${key.slice(6)}` : `portal:${key}`;

describe('the pages’ words live only in the catalogue', () => {
  it('no page file carries Chinese text of its own', () => {
    const offenders = webFiles()
      .filter((file) => /\.(js|html|css)$/.test(file))
      .flatMap((file) =>
        readFileSync(file, 'utf8')
          .split('\n')
          .map((line, i) => ({ line, at: `${relative(WEB, file)}:${i + 1}` }))
          .filter(({ line }) => /[\u3400-\u9fff]/.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line)),
      )
      .map(({ at, line }) => `${at} ${line.trim()}`);
    expect(offenders).toEqual([]);
  });

  it('every key a page names literally has words in both languages', () => {
    const keys = new Set(
      scripts.flatMap((file) =>
        [
          ...readFileSync(file, 'utf8').matchAll(
            /\b(?:t|tx|flashNext)\(\s*'([a-zA-Z][\w-]*(?::[\w-]+)?(?:\.[\w-]+)+)'|data-(?:placeholder|i18n)="([\w-]+(?::[\w-]+)?(?:\.[\w-]+)+)"/g,
          ),
        ].map((match) => code(match[1] ?? match[2] ?? '')),
      ),
    );
    expect(keys.size).toBeGreaterThan(300);
    const missing = [...keys].flatMap((key) =>
      LOCALES.filter((locale) => !hasMessage(locale, key)).map((locale) => `${locale} ${key}`),
    );
    expect(missing).toEqual([]);
  });
});

describe('one layout for every portal, audit and front page', () => {
  const app = Fastify();
  app.register(cookie);
  app.register(webRoutes);
  afterAll(() => app.close());

  it('serves each page as the layout with its module and its title in the language of the switch’s cookie', async () => {
    for (const [url, page] of Object.entries(WEB_PAGES)) {
      const zh = await app.inject({ method: 'GET', url });
      expect(zh.statusCode, url).toBe(200);
      expect(zh.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(zh.body).toContain(`<script type="module" src="${page.module}"></script>`);
      expect(zh.body).toContain('<html lang="zh-CN">');
      expect(zh.body).toMatch(/<title>[^<]*[\u3400-\u9fff][^<]*<\/title>/);
      const en = await app.inject({ method: 'GET', url, cookies: { [LANG_COOKIE]: 'en' } });
      expect(en.body).toContain('<html lang="en">');
      expect(en.body).toMatch(/<title>[^<\u3400-\u9fff]+<\/title>/);
      expect(en.headers.vary).toBe('cookie');
    }
    const stats = await app.inject({ method: 'GET', url: '/portal/dashboard.html' });
    expect(stats.body).toContain('data-page="stats"');
    expect(stats.body).toContain('<script src="/api/v1/statistics/chart.umd.min.js" defer></script>');
  });

  it('ignores a language it does not have', async () => {
    const page = await app.inject({ method: 'GET', url: '/portal/', cookies: { [LANG_COOKIE]: 'fr' } });
    expect(page.body).toContain('<html lang="zh-CN">');
  });

  it('serves lit-html’s browser modules, and nothing else of the package', async () => {
    const lit = await app.inject({ method: 'GET', url: '/vendor/lit-html/lit-html.js' });
    expect(lit.statusCode).toBe(200);
    expect(lit.headers['content-type']).toMatch(/javascript/);
    // The browser build, not the server one under node/.
    expect(lit.body).toContain('document');
    expect((await app.inject({ method: 'GET', url: '/vendor/lit-html/package.json' })).statusCode).toBe(404);
  });
});
