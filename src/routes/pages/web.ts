import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { PLAN_CREATION_STAGES } from '../../../workflows/plan-creation.messages.ts';
import {
  BENEFIT_COVERAGE_TYPES,
  COVERAGE_START_KINDS,
  COVERAGE_TYPES,
  PRODUCT_CATEGORIES,
} from '../../domain/catalog.ts';
import { MANUFACTURER_ROLES } from '../../domain/entities/user.entity.ts';
import { REQUIRED_TERM_TYPES } from '../../domain/plan-draft.ts';
import { loadResources } from '../../i18n/catalogue.ts';
import { assetRoutes, assetUrl, PLAIN_MAX_AGE } from '../../pages/assets.ts';
import { FAVICON } from '../../pages/html.ts';
import { RESET_LINK_MINUTES } from '../../services/users.ts';
import { webPages } from './web-pages.ts';

const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));
/**
 * lit-html's own browser ES modules, served as they are published (no build step). Node resolves the package
 * to its server build in node/; the browser build is the package's root.
 */
const LIT_HTML_ROOT = join(dirname(createRequire(import.meta.url).resolve('lit-html')), '..');

/** The domain's fixed vocabularies as an ES module, so the pages never keep a copy of their own. */
const VOCABULARY_MODULE = Object.entries({
  CATEGORIES: PRODUCT_CATEGORIES,
  COVERAGE_TYPES,
  BENEFIT_TYPES: BENEFIT_COVERAGE_TYPES,
  REQUIRED_TERM_TYPES,
  START_RULES: COVERAGE_START_KINDS,
  STAGES: PLAN_CREATION_STAGES,
  ROLES: MANUFACTURER_ROLES,
  RESET_LINK_MINUTES,
})
  .map(([name, values]) => `export const ${name} = ${JSON.stringify(values)};`)
  .join('\n');

/**
 * The message catalogue of each locale as the pages read it (web/assets/i18n.js): every namespace, with an ETag
 * from its content so browsers revalidate cheaply and see new words right after a deploy.
 */
const CATALOGUES = new Map(
  Object.entries(loadResources()).map(([locale, namespaces]) => {
    const body = JSON.stringify(namespaces);
    return [
      locale,
      { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` },
    ];
  }),
);

/** The pages in web/: one layout (web-pages.ts) and ES modules talking to /api/v1. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  await app.register(webPages);
  // The server-rendered pages' files, from memory; their routes take precedence over the wildcard below.
  assetRoutes(app);
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: false });
  await app.register(fastifyStatic, {
    root: LIT_HTML_ROOT,
    prefix: '/vendor/lit-html/',
    decorateReply: false,
    allowedPath: (path) => path.endsWith('.js'),
  });
  app.get('/portal/js/vocabulary.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(VOCABULARY_MODULE),
  );
  app.get<{ Params: { locale: string } }>(
    '/i18n/:locale.json',
    { schema: { hide: true } },
    (request, reply) => {
      const catalogue = CATALOGUES.get(request.params.locale);
      if (!catalogue) return reply.callNotFound();
      reply.header('cache-control', 'no-cache').header('etag', catalogue.etag);
      if (request.headers['if-none-match'] === catalogue.etag) return reply.code(304).send();
      return reply.type('application/json; charset=utf-8').send(catalogue.body);
    },
  );
  app.get('/portal', { schema: { hide: true } }, (_request, reply) => reply.redirect('/portal/'));
  // Browsers and crawlers ask for /favicon.ico by themselves: send them to the SVG. Briefly cached, as the
  // hashed URL changes with the file.
  app.get('/favicon.ico', { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', PLAIN_MAX_AGE).redirect(assetUrl(FAVICON), 302),
  );
};
