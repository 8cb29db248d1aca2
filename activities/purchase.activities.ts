/**
 * Activities of PurchaseWorkflow: registration, the provider calls, order
 * recording, refunds and confirmation. Each is idempotent: unique keys
 * (idempotency key, provider payment id, refund per payment and reason,
 * certificate per order, notification dedupe key) make retries harmless.
 */
import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import { ApplicationFailure } from '@temporalio/common';
import { chinaDate, soldCoverage } from '../src/domain/coverage.ts';
import {
  MainProduct,
  Manufacturer,
  Order,
  Payment,
  Plan,
  PlanVersion,
  Refund,
} from '../src/domain/entities/index.ts';
import type { OrderStatus } from '../src/domain/entities/order.entity.ts';
import { type FieldProblem, fieldProblem } from '../src/domain/errors.ts';
import { formatFen } from '../src/domain/money.ts';
import { orderNumberFor, orderUrl } from '../src/domain/order-links.ts';
import { yanbaoRefundId } from '../src/domain/provider-refund.ts';
import { registrationProblems } from '../src/domain/registration.ts';
import { registrationFingerprint } from '../src/domain/request-fingerprint.ts';
import { problemsInEnglish } from '../src/i18n/errors.ts';
import { enqueue, enqueueAndDeliver } from '../src/notifications/notifier.ts';
import type { PaymentNotification, PaymentProvider } from '../src/payments/provider.ts';
import { offerFacts } from '../src/services/registration.ts';
import { type PaymentFailure, PURCHASE_ERRORS, type Registration } from '../workflows/purchase.messages.ts';
import type { ActivityDeps } from './index.ts';

const reject = (type: string, message: string, fields: FieldProblem[] = []) =>
  ApplicationFailure.create({ type, message, details: [fields], nonRetryable: true });

export function createPurchaseActivities({ orm, config, payments, notifications }: ActivityDeps) {
  const provider = (name: keyof typeof payments): PaymentProvider => {
    const found = payments[name];
    if (!found) throw reject(PURCHASE_ERRORS.invalidRegistration, `payment method ${name} is not available`);
    return found;
  };
  const loadOrder = (em: EntityManager, orderNumber: string) => em.findOneOrFail(Order, { orderNumber });

  return {
    /**
     * Steps 1 and 2a as one activity: the order stored, its payment created, and the order's status, so the workflow need not ask for
     * it. Both halves are idempotent, so a retry after either is harmless.
     */
    async registerPurchase(
      orderNumber: string,
      registration: Registration,
    ): Promise<{ orderNumber: string; payUrl: string; status: OrderStatus }> {
      const order = await storeOrder(orderNumber, registration);
      const { payUrl } = await ensurePayment(orm.em.fork(), order);
      return { orderNumber: order.orderNumber, payUrl, status: order.status };
    },

    async orderStatus(orderNumber: string): Promise<OrderStatus> {
      return (await loadOrder(orm.em.fork(), orderNumber)).status;
    },

    /** Step 2b on timeout: closes the payment at the provider, which may answer that it was paid meanwhile. */
    async closePayment(orderNumber: string): Promise<{ alreadyCaptured: boolean }> {
      return closeOpenPayments(orderNumber, null);
    },

    /**
     * Step 2b when the provider reports the attempt declined or failed (workflows since the
     * `payment-failure-signal` patch): the same close, the failed payment marked `failed` so the
     * order page can say why the order ended. The provider may still answer that it was paid.
     */
    async closeFailedPayment(
      orderNumber: string,
      failure: PaymentFailure,
    ): Promise<{ alreadyCaptured: boolean }> {
      return closeOpenPayments(orderNumber, failure);
    },

    async expireOrder(orderNumber: string): Promise<void> {
      const em = orm.em.fork();
      const order = await loadOrder(em, orderNumber);
      if (order.status !== 'pending_payment') return;
      order.status = 'expired';
      order.expiredAt = new Date();
      await em.flush();
    },

    /**
     * Step 3, in one transaction: the payment captured, the order active with
     * its coverage window. Exactly one order per captured payment: a capture
     * already recorded changes nothing and answers 'recorded' again — a retry
     * whose first attempt committed but never reported back (worker killed,
     * server down) must still lead to the confirmation, which is idempotent.
     * A second, different payment for an order that is already paid is refunded.
     */
    async recordPaidOrder(
      orderNumber: string,
      capture: PaymentNotification,
    ): Promise<'recorded' | 'not_pending'> {
      const outcome = await orm.em.fork().transactional(async (tx) => {
        const order = await tx.findOneOrFail(
          Order,
          { orderNumber },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        const payment = await tx.findOneOrFail(Payment, {
          provider: capture.provider,
          providerPaymentId: capture.providerPaymentId,
          order: order.id,
        });
        if (payment.status === 'captured' && order.status === 'active') return 'recorded' as const;
        if (order.status !== 'pending_payment') return 'not_pending' as const;
        const version = await tx.findOneOrFail(PlanVersion, { id: order.planVersion });
        const paidAt = new Date();
        // Clipped to the registration day, as the order's price was (coverageOffer).
        const window = soldCoverage({
          rule: version.coverageStartRule,
          productPurchaseDate: order.productPurchaseDate,
          // As sold: the product's base warranty frozen on the order when it was registered.
          baseWarrantyMonths: order.productBaseWarrantyMonths,
          termMonths: version.termMonths,
          paidOn: chinaDate(paidAt),
          registeredOn: chinaDate(order.createdAt),
        });
        payment.status = 'captured';
        payment.capturedAt = paidAt;
        order.status = 'active';
        order.paidAt = paidAt;
        order.coverageStart = window.start;
        order.coverageEnd = window.end;
        return 'recorded' as const;
      });
      if (outcome === 'not_pending') {
        // Money for an order that is no longer waiting for it (expired, or paid by another payment).
        const em = orm.em.fork();
        const order = await loadOrder(em, orderNumber);
        const payment = await em.findOneOrFail(Payment, {
          providerPaymentId: capture.providerPaymentId,
          order: order.id,
        });
        if (payment.status !== 'captured' || order.status !== 'active') await refund(capture, 'late_payment');
      }
      return outcome;
    },

    /** A payment that arrived after the order expired goes back to the consumer, once. */
    async refundLatePayment(_orderNumber: string, capture: PaymentNotification): Promise<void> {
      await refund(capture, 'late_payment');
    },

    /**
     * Step 4b: the confirmation through the outbox: an SMS with the order link to the consumer, and
     * an email with the warranty certificate (PDF) to the manufacturer, whose warranty it is.
     */
    async sendOrderConfirmation(orderNumber: string): Promise<void> {
      const em = orm.em.fork();
      const order = await loadOrder(em, orderNumber);
      const [plan, manufacturer] = await Promise.all([
        em.findOneOrFail(Plan, { id: order.plan }),
        em.findOneOrFail(Manufacturer, { id: order.manufacturer }),
      ]);
      const link = orderUrl(config.publicBaseUrl, orderNumber, config.linkSecret);
      const amount = formatFen(order.amountFen, order.currency);
      // Delivered by the worker's outbox relay: rendering the certificate stays off the purchase's path.
      await enqueue(em, [
        {
          dedupeKey: `order-confirmation-email:${orderNumber}`,
          channel: 'email',
          recipient: manufacturer.email,
          subject: `延保订单确认 / Extended warranty sold: ${orderNumber}`,
          body:
            `${manufacturer.name}，您好：\n\n` +
            `您的延保方案「${plan.nameZh}」售出一份，订单 ${orderNumber} 已生效。\n` +
            `保障期：${order.coverageStart} 至 ${order.coverageEnd}\n金额：${amount}\n` +
            `电子保修凭证见附件（PDF）。\n\n` +
            `Your plan "${plan.nameEn}" was sold: order ${orderNumber} covers ${order.coverageStart} to ${order.coverageEnd} (${amount}). ` +
            `The warranty certificate is attached (PDF).`,
          certificateOf: order.id,
        },
      ]);
      await enqueueAndDeliver(em, notifications, [
        {
          dedupeKey: `order-confirmation:${orderNumber}`,
          channel: 'sms',
          recipient: order.consumerPhone,
          subject: `延保已生效 / Extended warranty active: ${orderNumber}`,
          body:
            `您购买的「${plan.nameZh}」已生效，保障期 ${order.coverageStart} 至 ${order.coverageEnd}，` +
            `金额 ${amount}。查看订单与电子凭证：${link}\n` +
            `Your "${plan.nameEn}" is active from ${order.coverageStart} to ${order.coverageEnd}. Order and certificate: ${link}`,
          template: {
            name: 'order_confirmed',
            params: {
              order: orderNumber,
              start: order.coverageStart ?? '',
              end: order.coverageEnd ?? '',
              link,
            },
          },
        },
      ]);
    },
  };

  /** Closes the order's open payments at their providers; idempotent, as a closed payment is not open. */
  async function closeOpenPayments(
    orderNumber: string,
    failure: PaymentFailure | null,
  ): Promise<{ alreadyCaptured: boolean }> {
    const em = orm.em.fork();
    const order = await loadOrder(em, orderNumber);
    let alreadyCaptured = false;
    for (const payment of await em.find(Payment, { order: order.id, status: 'created' })) {
      const result = await provider(payment.provider).closePayment(payment.providerPaymentId);
      if (result.alreadyCaptured) alreadyCaptured = true;
      else
        payment.status =
          payment.provider === failure?.provider && payment.providerPaymentId === failure.providerPaymentId
            ? 'failed'
            : 'closed';
    }
    await em.flush();
    return { alreadyCaptured };
  }

  /** The order for a registration: the one already stored for it, or a new pending_payment one. */
  async function storeOrder(orderNumber: string, registration: Registration): Promise<Order> {
    if (orderNumberFor(registration.idempotencyKey, config.linkSecret) !== orderNumber)
      throw reject(
        PURCHASE_ERRORS.invalidRegistration,
        'the order number does not belong to this registration',
      );
    const fingerprint = registrationFingerprint(registration);
    /** The order this key already made, unless it was made for a different registration. */
    const sameRequest = (order: Order) => {
      if (order.requestFingerprint && order.requestFingerprint !== fingerprint)
        throw reject(
          PURCHASE_ERRORS.idempotencyKeyReused,
          'this idempotency key was already used with a different registration',
          [fieldProblem('idempotencyKey', 'keyReused')],
        );
      return order;
    };
    const em = orm.em.fork();
    const existing = await em.findOne(Order, { orderNumber });
    if (existing) return sameRequest(existing);
    const plan = await em.findOne(Plan, { id: registration.planId });
    if (plan?.status !== 'on_sale') throw reject(PURCHASE_ERRORS.notOnSale, 'this plan is not on sale');
    // Independent reads: one round trip's wait instead of three.
    const [manufacturer, version, product] = await Promise.all([
      em.findOneOrFail(Manufacturer, { id: plan.manufacturer }),
      em.findOneOrFail(PlanVersion, { plan: plan.id, version: plan.currentVersion }),
      em.findOneOrFail(MainProduct, { id: plan.product }),
    ]);
    if (manufacturer.status !== 'active') throw reject(PURCHASE_ERRORS.notOnSale, 'this plan is not on sale');
    const { problems, phone, offer } = registrationProblems({
      ...registration,
      serialPattern: product.serialPattern ?? null,
      ...offerFacts({ version, product }, registration.productPurchaseDate, chinaDate(new Date())),
    });
    if (problems.length > 0 || !phone || !offer)
      throw reject(PURCHASE_ERRORS.invalidRegistration, problemsInEnglish(problems), problems);
    const order = em.create(Order, {
      orderNumber,
      idempotencyKey: registration.idempotencyKey,
      requestFingerprint: fingerprint,
      manufacturer: plan.manufacturer,
      plan: plan.id,
      planVersion: version.id,
      product: product.id,
      consumerName: registration.consumerName.trim(),
      consumerPhone: phone,
      serialNumber: registration.serialNumber,
      productPurchaseDate: registration.productPurchaseDate,
      productRetailPriceFen: product.retailPriceFen,
      productCurrency: product.currency,
      productBaseWarrantyMonths: product.baseWarrantyMonths,
      productSerialPattern: product.serialPattern ?? null,
      paymentProvider: registration.paymentProvider,
      // Pro-rated when the cover has already started (src/domain/registration.ts).
      amountFen: offer.amountFen,
      currency: version.currency,
    });
    try {
      await em.flush();
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
      // The same submission raced itself: its order is there now.
      const raced = await orm.em.fork().findOne(Order, { orderNumber });
      if (raced) return sameRequest(raced);
      throw reject(
        PURCHASE_ERRORS.unitAlreadyCovered,
        'this unit already has an active or pending order for this plan',
        [fieldProblem('serialNumber', 'alreadyCovered')],
      );
    }
    return order;
  }

  /** The order's payment at its provider, created once; returns where to pay. */
  async function ensurePayment(em: EntityManager, order: Order): Promise<{ payUrl: string }> {
    const existing = await em.findOne(Payment, { order: order.id }, { orderBy: { createdAt: 'asc' } });
    if (existing) return { payUrl: existing.payUrl };
    const plan = await em.findOneOrFail(Plan, { id: order.plan });
    const created = await provider(order.paymentProvider).createPayment({
      orderNumber: order.orderNumber,
      amountFen: order.amountFen,
      currency: order.currency,
      subject: `${plan.nameZh} / ${plan.nameEn}`,
      notifyUrl: `${config.publicBaseUrl}/api/v1/payments/${order.paymentProvider}/notify`,
      returnUrl: orderUrl(config.publicBaseUrl, order.orderNumber, config.linkSecret),
    });
    em.create(Payment, {
      order: order.id,
      provider: order.paymentProvider,
      providerPaymentId: created.providerPaymentId,
      payUrl: created.payUrl,
      amountFen: order.amountFen,
      currency: order.currency,
    });
    await em.flush();
    return { payUrl: created.payUrl };
  }

  /** Refunds one captured payment through its provider and records it, once per payment and reason. */
  async function refund(capture: PaymentNotification, reason: 'late_payment'): Promise<void> {
    const em = orm.em.fork();
    const payment = await em.findOneOrFail(Payment, {
      provider: capture.provider,
      providerPaymentId: capture.providerPaymentId,
    });
    if (await em.count(Refund, { payment: payment.id, reason })) return;
    const refundId = yanbaoRefundId(reason, payment.id);
    const { providerRefundId } = await provider(payment.provider).refund({
      providerPaymentId: payment.providerPaymentId,
      amountFen: capture.amountFen,
      refundId,
    });
    em.create(Refund, {
      id: randomUUID(),
      payment: payment.id,
      reason,
      amountFen: capture.amountFen,
      currency: capture.currency,
      providerRefundId,
    });
    payment.status = 'refunded';
    payment.capturedAt ??= new Date();
    try {
      await em.flush();
    } catch (err) {
      if (!(err instanceof UniqueConstraintViolationException)) throw err;
    }
  }
}

export type PurchaseActivities = ReturnType<typeof createPurchaseActivities>;
