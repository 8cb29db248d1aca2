import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /** This request's own EntityManager (a fork: its identity map dies with the request). */
    em: EntityManager;
  }
}

export const ormPlugin = fp(async (app: FastifyInstance, { orm }: { orm: MikroORM }) => {
  // Forked on first use, so requests served without the database (cached landing pages, static
  // files) do not pay for an EntityManager.
  const forks = new WeakMap<FastifyRequest, EntityManager>();
  app.decorateRequest('em', {
    getter(this: FastifyRequest) {
      let em = forks.get(this);
      if (!em) {
        em = orm.em.fork();
        forks.set(this, em);
      }
      return em;
    },
  });
});
