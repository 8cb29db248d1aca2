/**
 * A payment provider's asynchronous notification. Nothing reaches a workflow
 * unverified: signature (by the provider's own rules), then order, payment,
 * amount and currency; the event is stored once and duplicates are
 * acknowledged without effect.
 */
import { type EntityManager, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { FastifyBaseLogger } from 'fastify';
import type { AppConfig } from '../config.ts';
import { Order, Payment, PaymentEvent } from '../domain/entities/index.ts';
import { DomainError, errorMessage } from '../domain/errors.ts';
import type { CallbackRefusal } from '../observability/metrics.ts';
import { CallbackRejected, type PaymentNotification, type PaymentProvider } from '../payments/provider.ts';
import { deliverPaymentFailure, deliverPaymentNotification } from '../temporal/purchase.client.ts';
import { recordProviderRefund } from './provider-refunds.ts';

/** A refused notification, with why (yanbao_payment_callbacks_refused_total counts it by reason). */
export class NotificationRefused extends DomainError {
  readonly reason: CallbackRefusal;
  constructor(reason: CallbackRefusal, message: string, status = 400) {
    // Read by the provider's machines, not people: the reason is the code, the English detail its words.
    super('callback_rejected', status, errorMessage('callbackRejected', { reason, detail: message }));
    this.reason = reason;
  }
}

/**
 * Why a notification's amount does not fit its order, or null when it does. A refund notice of its
 * own amount may be for part of it; everything else names the order's exact amount and currency.
 */
export function amountMismatch(
  notification: Pick<PaymentNotification, 'kind' | 'amountFen' | 'currency' | 'refundedTotalFen'>,
  order: Pick<Order, 'amountFen' | 'currency'>,
): string | null {
  const amountFits =
    notification.kind === 'refunded' && notification.refundedTotalFen === undefined
      ? notification.amountFen > 0 && notification.amountFen <= order.amountFen
      : notification.amountFen === order.amountFen;
  if (amountFits && notification.currency === order.currency) return null;
  return `amount ${notification.amountFen} ${notification.currency} does not match the order's ${order.amountFen} ${order.currency}`;
}

export interface PaymentNotificationDeps {
  em: EntityManager;
  client: Client;
  config: AppConfig;
  log: FastifyBaseLogger;
}

/**
 * Verifies a notification as received (raw body and headers) and, unless it only says the payment
 * is still pending, stores it and delivers it to the order's PurchaseWorkflow. Throws
 * NotificationRefused for anything that does not verify or match.
 */
export async function receivePaymentNotification(
  deps: PaymentNotificationDeps,
  provider: PaymentProvider,
  rawBody: string,
  headers: Record<string, string | string[] | undefined>,
): Promise<void> {
  const { em, client, config } = deps;
  const notification = await provider.verifyCallback(rawBody, headers).catch((err: unknown) => {
    if (err instanceof CallbackRejected)
      throw new NotificationRefused(err.status === 401 ? 'signature' : 'malformed', err.message, err.status);
    throw err;
  });
  if (notification.provider !== provider.name)
    throw new NotificationRefused('other_provider', 'notification from another provider');
  const order = await em.findOne(Order, { orderNumber: notification.orderNumber });
  if (!order) throw new NotificationRefused('unknown_order', `unknown order ${notification.orderNumber}`);
  const payment = await em.findOne(Payment, {
    order: order.id,
    provider: provider.name,
    providerPaymentId: notification.providerPaymentId,
  });
  if (!payment) throw new NotificationRefused('unknown_payment', 'unknown payment for this order');
  const mismatch = amountMismatch(notification, order);
  if (mismatch) throw new NotificationRefused('amount_mismatch', mismatch);
  const { kind, refundedTotalFen } = notification;
  // Still waiting for the consumer: verified, acknowledged, nothing to record.
  if (kind === 'pending') return;
  if (kind === 'refund_failed') {
    deps.log.error(
      {
        eventId: notification.eventId,
        orderNumber: order.orderNumber,
        refundRequestId: notification.refundRequestId,
      },
      'the provider reports a refund that did not go through; settle it in the provider console',
    );
    return;
  }
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
        rawBody,
      });
      await tx.flush();
      if (kind === 'captured')
        await deliverPaymentNotification(client, config, notification, {
          planId: order.plan,
          manufacturerId: order.manufacturer,
        });
      if (notification.kind === 'failed') await deliverPaymentFailure(client, notification);
    });
  } catch (err) {
    if (!(err instanceof UniqueConstraintViolationException)) throw err;
    deps.log.info({ eventId: notification.eventId }, 'duplicate payment notification acknowledged');
  }
}
