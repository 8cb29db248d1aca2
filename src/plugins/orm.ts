import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's own EntityManager (a fork: its identity map dies with the request). */
    em: EntityManager;
  }
}

export const ormPlugin = fp(async (app: FastifyInstance, { orm }: { orm: MikroORM }) => {
  app.decorateRequest('em', null as unknown as EntityManager);
  app.addHook('onRequest', async (request) => {
    request.em = orm.em.fork();
  });
});
