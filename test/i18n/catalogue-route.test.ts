import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { webRoutes } from '../../src/routes/pages/web.ts';

describe('GET /i18n/<locale>.json (the catalogue the pages read)', () => {
  const app = Fastify();
  app.register(webRoutes);
  afterAll(() => app.close());

  it('serves every namespace of the locale, revalidated by ETag', async () => {
    const first = await app.inject({ method: 'GET', url: '/i18n/zh-CN.json' });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const catalogue = first.json();
    expect(catalogue.labels.coverage.claim_procedure).toBe('报修流程');
    expect(catalogue.portal['nav.dashboard']).toBe('概览');
    expect(catalogue.audit['nav.workflows']).toBeTypeOf('string');
    const english = await app.inject({ method: 'GET', url: '/i18n/en.json' });
    expect(english.json().labels.coverage.claim_procedure).toBe('How to claim');

    const again = await app.inject({
      method: 'GET',
      url: '/i18n/zh-CN.json',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('answers 404 for a locale it does not have', async () => {
    expect((await app.inject({ method: 'GET', url: '/i18n/fr.json' })).statusCode).toBe(404);
  });
});
