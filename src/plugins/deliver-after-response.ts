/**
 * Delivers outbox messages once the response has gone, off the request's clock: how long the mail
 * server or SMS provider takes must not show in the answer (nor tell whether an address has an
 * account). Closing the app waits for deliveries in flight.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { deliverPending } from '../notifications/notifier.ts';

/** Registers the hooks on `app`; answers how a handler queues a message (its dedupe key) for delivery. */
export function deliverAfterResponse(app: FastifyInstance, what: string) {
  const { notifications, orm } = app.deps;
  const toDeliver = new WeakMap<FastifyRequest, string>();
  const deliveries = new Set<Promise<unknown>>();
  app.addHook('onResponse', async (request) => {
    const dedupeKey = toDeliver.get(request);
    if (!dedupeKey) return;
    const delivery = deliverPending(orm.em.fork(), notifications, [dedupeKey])
      .catch((err: unknown) => request.log.error({ err }, `${what} not delivered`))
      .finally(() => deliveries.delete(delivery));
    deliveries.add(delivery);
  });
  app.addHook('onClose', async () => {
    await Promise.allSettled(deliveries);
  });
  return (request: FastifyRequest, dedupeKey: string) => {
    toDeliver.set(request, dedupeKey);
  };
}
