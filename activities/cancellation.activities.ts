/**
 * Activities of CancellationWorkflow. Each is idempotent: one Cancellation
 * per order (unique, written under the order's row lock), one refund per
 * payment and reason (unique) made with a refund id derived from the order
 * so the provider treats a retry as the same refund, and one message per
 * dedupe key.
 */
import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { Cancellation, Order, Payment, Refund } from '../src/domain/entities/index.ts';
import { errorMessage } from '../src/domain/errors.ts';
import { formatFen } from '../src/domain/money.ts';
import { orderUrl } from '../src/domain/order-links.ts';
import { cancelOrder } from '../src/domain/order-status.ts';
import { yanbaoRefundId } from '../src/domain/provider-refund.ts';
import { type Message, translate } from '../src/i18n/catalogue.ts';
import { enqueueAndDeliver } from '../src/notifications/notifier.ts';
import {
  cancellationRecordOf,
  quoteCancellation,
  type RecordedCancellation,
} from '../src/services/cancellations.ts';
import {
  CANCELLATION_ERRORS,
  type CancellationInput,
  cancellationWorkflowId,
} from '../workflows/cancellation.messages.ts';
import type { ActivityDeps } from './index.ts';

const reject = (type: string, message: string) =>
  ApplicationFailure.create({ type, message, nonRetryable: true });

/**
 * A refusal the consumer is shown: its detail (second, after no field problems) is a catalogue code for
 * the API to put in words; the message is those words in English, for logs and the history.
 */
const refuse = (type: string, detail: Message) =>
  ApplicationFailure.create({
    type,
    message: translate('en', detail),
    details: [[], detail],
    nonRetryable: true,
  });

/** The refund id the provider sees: the same for every retry of this order's cancellation. */
export const cancellationRefundId = (orderId: string) => yanbaoRefundId('cancellation', orderId);

export function createCancellationActivities({ orm, config, payments, notifications }: ActivityDeps) {
  const loadOrder = (em: EntityManager, orderNumber: string) => em.findOneOrFail(Order, { orderNumber });
  const loadCancellation = (em: EntityManager, order: Order) =>
    em.findOneOrFail(Cancellation, { order: order.id });

  return {
    /**
     * Step 1, with the order row locked: checks the order can be cancelled,
     * computes the refund for the day it was asked and freezes it in the
     * Cancellation. A cancellation already recorded is returned as it is.
     */
    async recordCancellation(input: CancellationInput): Promise<RecordedCancellation> {
      return orm.em.fork().transactional(async (tx) => {
        const order = await tx.findOneOrFail(
          Order,
          { orderNumber: input.orderNumber },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const existing = await tx.findOne(Cancellation, { order: order.id });
        if (existing) {
          // Another request for the order, after its first workflow run finished: only the same one.
          if (
            existing.requestFingerprint &&
            input.fingerprint &&
            existing.requestFingerprint !== input.fingerprint
          )
            throw refuse(CANCELLATION_ERRORS.idempotencyKeyReused, errorMessage('cancellationReused'));
          return cancellationRecordOf(existing, order);
        }
        const { quote, refused } = await quoteCancellation(tx, order, input.requestedOn);
        if (refused) throw refuse(refused.type, refused.detail);
        const cancellation = tx.create(Cancellation, {
          id: randomUUID(),
          order: order.id,
          workflowId: cancellationWorkflowId(order.orderNumber),
          reason: input.reason,
          requestFingerprint: input.fingerprint ?? null,
          withinCoolingOff: quote.withinCoolingOff,
          approvedClaimsFen: quote.approvedClaimsFen,
          refundFen: quote.refundFen,
          refundQuote: quote,
          status: 'requested',
        });
        await tx.flush();
        return cancellationRecordOf(cancellation, order);
      });
    },

    /**
     * Step 2: the refund through the order's payment provider, recorded once.
     * Nothing to do for a zero refund. The refund id is derived from the
     * order, so a retry after a lost answer is the same refund at the provider.
     */
    async refundCancellation(orderNumber: string): Promise<{ providerRefundId: string } | null> {
      const em = orm.em.fork();
      const order = await loadOrder(em, orderNumber);
      const cancellation = await loadCancellation(em, order);
      if (cancellation.refundFen === 0) return null;
      const payment = await em.findOne(Payment, { order: order.id, status: 'captured' });
      if (!payment)
        throw reject('NoCapturedPayment', `order ${orderNumber} has no captured payment to refund`);
      const done = await em.findOne(Refund, { payment: payment.id, reason: 'cancellation' });
      if (done) return { providerRefundId: done.providerRefundId };
      const provider = payments[payment.provider];
      // A provider that is not configured right now (say, Alipay keys missing) may come back: retry.
      if (!provider) throw new Error(`payment provider ${payment.provider} is not configured`);
      const { providerRefundId } = await provider.refund({
        providerPaymentId: payment.providerPaymentId,
        amountFen: cancellation.refundFen,
        refundId: cancellationRefundId(order.id),
      });
      em.create(Refund, {
        id: randomUUID(),
        payment: payment.id,
        reason: 'cancellation',
        amountFen: cancellation.refundFen,
        currency: payment.currency,
        providerRefundId,
      });
      try {
        await em.flush();
      } catch (err) {
        if (!(err instanceof UniqueConstraintViolationException)) throw err;
      }
      return { providerRefundId };
    },

    /** Step 3, in one transaction: the order cancelled, the cancellation settled. */
    async completeCancellation(orderNumber: string): Promise<RecordedCancellation> {
      return orm.em.fork().transactional(async (tx) => {
        const order = await tx.findOneOrFail(
          Order,
          { orderNumber },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const cancellation = await loadCancellation(tx, order);
        const now = new Date();
        cancelOrder(order, now);
        if (cancellation.status !== 'refunded') {
          cancellation.status = 'refunded';
          cancellation.refundedAt = now;
        }
        return cancellationRecordOf(cancellation, order);
      });
    },

    /** Step 4: tells the consumer, through the outbox. */
    async notifyCancellation(orderNumber: string): Promise<void> {
      const em = orm.em.fork();
      const order = await loadOrder(em, orderNumber);
      const cancellation = await loadCancellation(em, order);
      const amount = formatFen(cancellation.refundFen, order.currency);
      const link = orderUrl(config.publicBaseUrl, orderNumber, config.linkSecret);
      const refundZh =
        cancellation.refundFen > 0 ? `退款 ${amount} 将原路退回您的支付账户。` : '按退保规则本次无可退金额。';
      const refundEn =
        cancellation.refundFen > 0
          ? `${amount} is refunded to the account you paid with.`
          : 'Under the cancellation terms no amount is refunded.';
      await enqueueAndDeliver(em, notifications, [
        {
          dedupeKey: `order-cancelled:${orderNumber}`,
          channel: 'sms',
          recipient: order.consumerPhone,
          subject: `延保已退保 / Extended warranty cancelled: ${orderNumber}`,
          body:
            `您的延保订单 ${orderNumber} 已退保。${refundZh}查看订单：${link}\n` +
            `Your extended warranty ${orderNumber} is cancelled. ${refundEn} Order: ${link}`,
          template: { name: 'order_cancelled', params: { order: orderNumber, refund: amount, link } },
        },
      ]);
    },
  };
}

export type CancellationActivities = ReturnType<typeof createCancellationActivities>;
