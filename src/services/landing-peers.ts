/**
 * Landing caches of every web process, kept in step through PostgreSQL's LISTEN/NOTIFY: a process that
 * invalidates its own cache (a plan stopped, a manufacturer suspended) tells the others on the
 * `landing_changed` channel, and the worker says so when it publishes a plan, inside the publishing
 * transaction (PostgreSQL sends a notification when its transaction commits). So the staleness bound of
 * src/services/landing-cache.ts holds across processes; the TTL stays the bound when the listening
 * connection is down (it reconnects, and invalidates on reconnecting, since it may have missed something).
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { LandingCache } from './landing-cache.ts';

export const LANDING_CHANGED_CHANNEL = 'landing_changed';
const RECONNECT_MS = 1000;

/** Tells every web process that what a landing shows changed; in a transaction, once it commits. */
export async function announceLandingChange(em: EntityManager): Promise<void> {
  await em.execute(`select pg_notify('${LANDING_CHANGED_CHANNEL}', '')`);
}

/** Listens for the other processes' changes and announces this cache's own invalidations to them. */
export function shareLandingInvalidations(
  cache: LandingCache,
  databaseUrl: string,
  log: FastifyBaseLogger,
): { ready: Promise<void>; close(): Promise<void> } {
  // Our own announcements come back to us too: they carry this id so we do not retire our cache twice.
  const self = randomUUID();
  let client: pg.Client | null = null;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: databaseUrl, application_name: 'yanbao landing cache' });
    next.on('notification', (note) => {
      if (note.payload !== self) cache.invalidate({ announce: false });
    });
    next.on('error', (error) => {
      log.warn({ err: error }, 'landing cache: the LISTEN connection failed; reconnecting');
      void next.end().catch(() => {});
      if (client === next) client = null;
      schedule();
    });
    try {
      await next.connect();
      await next.query(`listen ${LANDING_CHANGED_CHANNEL}`);
    } catch (error) {
      log.warn({ err: error }, 'landing cache: cannot LISTEN; retrying');
      await next.end().catch(() => {});
      schedule();
      return;
    }
    if (closed) return void (await next.end());
    client = next;
    // Whatever changed while we were not listening.
    cache.invalidate({ announce: false });
  };
  const schedule = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      void connect();
    }, RECONNECT_MS);
    retry.unref();
  };

  cache.onInvalidate(() => {
    client
      ?.query('select pg_notify($1, $2)', [LANDING_CHANGED_CHANNEL, self])
      .catch((error: unknown) =>
        log.warn({ err: error }, 'landing cache: could not tell the other processes'),
      );
  });
  return {
    ready: connect(),
    async close() {
      closed = true;
      clearTimeout(retry);
      await client?.end();
      client = null;
    },
  };
}
