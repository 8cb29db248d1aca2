import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';

const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

/** The pages in web/: static HTML and ES modules talking to /api/v1. */
export const webRoutes: FastifyPluginAsync = async (app) => {
  await app.register(fastifyStatic, { root: WEB_ROOT, prefix: '/', index: ['index.html'] });
  app.get('/portal', (_request, reply) => reply.redirect('/portal/'));
};
