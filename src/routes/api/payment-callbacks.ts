import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { Type } from '@sinclair/typebox';
import { Order, Payment, PaymentEvent } from '../../domain/entities/index.ts';
import { PAYMENT_PROVIDERS } from '../../domain/entities/order.entity.ts';
import { DomainError, errorMessage, notFound } from '../../domain/errors.ts';
import type { CallbackRefusal } from '../../observability/metrics.ts';
import { CallbackRejected } from '../../payments/provider.ts';
import { recordProviderRefund } from '../../services/provider-refunds.ts';
import { deliverPaymentFailure, deliverPaymentNotification } from '../../temporal/purchase.client.ts';
import { errors, StringEnum } from '../schemas.ts';

/**
 * Asynchronous payment notifications. Nothing reaches a workflow unverified:
 * signature (by the provider's own rules), then order, payment, amount and
 * currency; the event is stored once and duplicates are acknowledged without effect.
 */
export const paymentCallbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { payments, temporal, config } = app.deps;
  // Signatures cover the exact bytes sent, so this route reads the raw body.
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/payments/:provider/notify',
    {
      schema: {
        tags: ['payments'],
        summary: "A payment provider's signed asynchronous notification",
        params: Type.Object({ provider: StringEnum(PAYMENT_PROVIDERS) }),
        body: Type.String({ description: 'raw body as the provider sent it' }),
        response: { ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const provider = payments[request.params.provider];
      if (!provider) throw notFound('paymentProvider', { provider: request.params.provider });
      /** The refusal, counted by reason (yanbao_payment_callbacks_refused_total). */
      const callbackRejected = (reason: CallbackRefusal, message: string, status = 400) => {
        app.metrics.callbacksRefused.inc({ provider: provider.name, reason });
        // Read by the provider's machines, not people: the reason is the code, the English detail its words.
        return new DomainError(
          'callback_rejected',
          status,
          errorMessage('callbackRejected', { reason, detail: message }),
        );
      };
      const notification = await provider
        .verifyCallback(request.body, request.headers)
        .catch((err: unknown) => {
          if (err instanceof CallbackRejected)
            throw callbackRejected(err.status === 401 ? 'signature' : 'malformed', err.message, err.status);
          throw err;
        });
      if (notification.provider !== provider.name)
        throw callbackRejected('other_provider', 'notification from another provider');
      const em = request.em;
      const order = await em.findOne(Order, { orderNumber: notification.orderNumber });
      if (!order) throw callbackRejected('unknown_order', `unknown order ${notification.orderNumber}`);
      const payment = await em.findOne(Payment, {
        order: order.id,
        provider: provider.name,
        providerPaymentId: notification.providerPaymentId,
      });
      if (!payment) throw callbackRejected('unknown_payment', 'unknown payment for this order');
      // A refund notice of its own amount may be for part of it; everything else names the order's exact amount.
      const amountFits =
        notification.kind === 'refunded' && notification.refundedTotalFen === undefined
          ? notification.amountFen > 0 && notification.amountFen <= order.amountFen
          : notification.amountFen === order.amountFen;
      if (!amountFits || notification.currency !== order.currency)
        throw callbackRejected(
          'amount_mismatch',
          `amount ${notification.amountFen} ${notification.currency} does not match the order's ${order.amountFen} ${order.currency}`,
        );
      const { kind, refundedTotalFen } = notification;
      // Still waiting for the consumer: verified, acknowledged, nothing to record.
      if (kind === 'pending')
        return reply.type(provider.acknowledgement.contentType).send(provider.acknowledgement.body);
      try {
        // Stored and delivered together: if Temporal is unreachable nothing is kept, the provider retries.
        await em.transactional(async (tx) => {
          const amountFen =
            refundedTotalFen === undefined
              ? notification.amountFen
              : (
                  await recordProviderRefund(
                    tx,
                    { ...notification, refundedTotalFen },
                    { orderId: order.id, paymentId: payment.id },
                  )
                ).thisRefundFen;
          tx.create(PaymentEvent, {
            provider: provider.name,
            providerEventId: notification.eventId,
            providerPaymentId: notification.providerPaymentId,
            orderNumber: notification.orderNumber,
            kind,
            amountFen,
            currency: notification.currency,
            rawBody: request.body,
          });
          await tx.flush();
          if (kind === 'captured')
            await deliverPaymentNotification(temporal, config, notification, {
              planId: order.plan,
              manufacturerId: order.manufacturer,
            });
          if (notification.kind === 'failed') await deliverPaymentFailure(temporal, notification);
        });
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
        request.log.info({ eventId: notification.eventId }, 'duplicate payment notification acknowledged');
      }
      return reply.type(provider.acknowledgement.contentType).send(provider.acknowledgement.body);
    },
  );
};
