import { createHash } from 'node:crypto';
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
import { assetRoutes } from '../../pages/assets.ts';

const WEB_ROOT = fileURLToPath(new URL('../../../web/', import.meta.url));

/** The domain's fixed vocabularies as an ES module, so the pages never keep a copy of their own. */
const VOCABULARY_MODULE = Object.entries({
  CATEGORIES: PRODUCT_CATEGORIES,
  COVERAGE_TYPES,
  BENEFIT_TYPES: BENEFIT_COVERAGE_TYPES,
  REQUIRED_TERM_TYPES,
  START_RULES: COVERAGE_START_KINDS,
  STAGES: PLAN_CREATION_STAGES,
  ROLES: MANUFACTURER_ROLES,
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

/** The pages in web/: static HTML and ES modules talking to /api/v1. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  // The server-rendered pages' files, from memory; their routes take precedence over the wildcard below.
  assetRoutes(app);
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'] });
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
};
