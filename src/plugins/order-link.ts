/**
 * The order a consumer's order link opens (`…/:orderNumber?t=<token>`), looked up once per request
 * by one preHandler, so every API route and page that takes the link reads it the same way.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Order } from '../domain/entities/index.ts';
import { notFound } from '../domain/errors.ts';
import { findOrderByLink } from '../services/order-view.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The order the link opens; null when it opens none (malformed, a wrong token, no such order). */
    linkedOrder: Order | null;
  }
}

export const orderLinkPlugin = fp(async (app: FastifyInstance) => {
  app.decorateRequest('linkedOrder', null);
});

/**
 * preHandler for routes with `:orderNumber` and `?t=`: sets request.linkedOrder. The form posts validate
 * with attachValidation, so a malformed link may arrive here: it opens no order.
 */
export async function openOrderLink(request: FastifyRequest) {
  const { orderNumber } = request.params as { orderNumber?: unknown };
  const { t } = (request.query ?? {}) as { t?: unknown };
  request.linkedOrder =
    typeof orderNumber === 'string' && typeof t === 'string'
      ? await findOrderByLink(request.em, orderNumber, t, request.server.deps.config.linkSecret)
      : null;
}

/** The linked order for the API: a link that opens none is answered like a missing order (404). */
export function linkedOrder(request: FastifyRequest): Order {
  if (!request.linkedOrder) throw notFound('order');
  return request.linkedOrder;
}
