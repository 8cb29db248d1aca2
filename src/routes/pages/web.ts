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

/** The message catalogue (src/i18n/locales) as an ES module: the pages word the API's `{ code, params }` with it. */
const CATALOGUE_MODULE = `export const CATALOGUE = ${JSON.stringify(loadResources())};`;

/** The pages in web/: static HTML and ES modules talking to /api/v1. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'] });
  app.get('/portal/js/vocabulary.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(VOCABULARY_MODULE),
  );
  app.get('/assets/catalogue.js', { schema: { hide: true } }, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(CATALOGUE_MODULE),
  );
  app.get('/portal', { schema: { hide: true } }, (_request, reply) => reply.redirect('/portal/'));
};
