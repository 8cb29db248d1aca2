/** PurchaseWorkflow in auditors' words: the registration, the payment notices, the order's recording. */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { PurchaseActivities } from '../../../activities/purchase.activities.ts';
import {
  PURCHASE_STAGES,
  type paymentFailedSignal,
  type paymentSignal,
  type registerUpdate,
} from '../../../workflows/purchase.messages.ts';
import { maskSerial } from '../../domain/cover-status.ts';
import { Order, Plan } from '../../domain/entities/index.ts';
import { ORDER_STATUSES, PAYMENT_PROVIDERS } from '../../domain/entities/order.entity.ts';
import type { ActivityDescriber, MessageDescriber, TimelineFacts, WorkflowDescriber } from './engine.ts';
import { durationText, label, message, money, record, text } from './words.ts';

const provider = (value: unknown) => label('provider', PAYMENT_PROVIDERS, value);
const orderStatus = (value: unknown) => label('orderStatus', ORDER_STATUSES, value);
const plan = (planId: unknown, facts: TimelineFacts | null) =>
  facts?.plan ? message('plan.named', facts.plan) : message('plan.id', { id: text(planId) });

/** The payment id of the capture or failure notice an activity was called with. */
const paymentOf = (args: unknown[]) => text(record(args[1]).providerPaymentId);

/** Closing the provider's payment, after the window ran out or after a failure notice: the same words but their keys. */
const closing = (activity: 'closePayment' | 'closeFailedPayment'): ActivityDescriber => ({
  doing: () => message(`purchase.${activity}.doing`),
  done: (_args, result) =>
    message(`purchase.${activity}.${record(result).alreadyCaptured ? 'alreadyCaptured' : 'closed'}`),
});

/**
 * A provider's notice: a capture (or close) says its kind and amount, a failure only which payment it was.
 * Both carry the provider, the event id and the payment id as details to filter on.
 */
const notice =
  (signal: 'payment' | 'paymentFailed'): MessageDescriber =>
  (args) => {
    const sent = record(args[0]);
    const said = {
      provider: text(sent.provider),
      eventId: text(sent.eventId),
      providerPaymentId: text(sent.providerPaymentId),
    };
    const words = {
      provider: provider(sent.provider),
      eventId: said.eventId,
      payment: said.providerPaymentId,
    };
    if (signal === 'paymentFailed')
      return { message: message('purchase.paymentFailed', words), details: said };
    const kind = text(sent.kind);
    return {
      message: message('purchase.payment', {
        ...words,
        kind: label('paymentKind', ['captured', 'closed'], kind),
        amount: money(sent.amountFen, sent.currency),
      }),
      details: {
        ...said,
        kind,
        amountFen: Number.isSafeInteger(sent.amountFen) ? (sent.amountFen as number) : null,
        currency: text(sent.currency),
      },
    };
  };

const activities = {
  registerPurchase: {
    doing: () => message('purchase.registerPurchase.doing'),
    done: (_args, result) => {
      const out = record(result);
      return message('purchase.registerPurchase.done', {
        orderNumber: text(out.orderNumber),
        status: orderStatus(out.status),
      });
    },
  },
  orderStatus: {
    doing: () => message('purchase.orderStatus.doing'),
    done: (_args, result) => message('purchase.orderStatus.done', { status: orderStatus(result) }),
  },
  closePayment: closing('closePayment'),
  closeFailedPayment: closing('closeFailedPayment'),
  expireOrder: {
    doing: () => message('purchase.expireOrder.doing'),
    done: () => message('purchase.expireOrder.done'),
  },
  recordPaidOrder: {
    doing: (args) => message('purchase.recordPaidOrder.doing', { payment: paymentOf(args) }),
    done: (args, result) => {
      // 'already_recorded' is how older workers answered a repeated capture; their histories still show it.
      const known = ['recorded', 'already_recorded', 'not_pending'];
      return known.includes(text(result))
        ? message(`purchase.recordPaidOrder.${text(result)}`, { payment: paymentOf(args) })
        : message('purchase.recordPaidOrder.doing', { payment: paymentOf(args) });
    },
  },
  refundLatePayment: {
    doing: (args) => message('purchase.refundLatePayment.doing', { payment: paymentOf(args) }),
    done: (args) => {
      const capture = record(args[1]);
      return message('purchase.refundLatePayment.done', {
        provider: provider(capture.provider),
        amount: money(capture.amountFen, capture.currency),
        payment: text(capture.providerPaymentId),
      });
    },
  },
  sendOrderConfirmation: {
    doing: () => message('purchase.sendOrderConfirmation.doing'),
    done: () => message('purchase.sendOrderConfirmation.done'),
  },
} satisfies Record<keyof PurchaseActivities, ActivityDescriber>;

const updates = {
  register: (args, facts) => {
    const registration = record(args[0]);
    return {
      message: message('purchase.register', {
        plan: plan(registration.planId, facts),
        serial: maskSerial(text(registration.serialNumber)),
        provider: provider(registration.paymentProvider),
      }),
      details: { provider: text(registration.paymentProvider) },
    };
  },
} satisfies Record<(typeof registerUpdate)['name'], MessageDescriber>;

const signals = {
  payment: notice('payment'),
  paymentFailed: notice('paymentFailed'),
} satisfies Record<(typeof paymentSignal | typeof paymentFailedSignal)['name'], MessageDescriber>;

export const purchaseTimeline: WorkflowDescriber = {
  started: (input) =>
    message('purchase.started', {
      orderNumber: text(input.orderNumber),
      window: durationText(input.paymentTimeout),
    }),
  activities,
  updates,
  signals,
  stages: PURCHASE_STAGES,
  /** The plan the order is for (the registration carries only its id). */
  async facts(em: EntityManager, input) {
    const order = await em.findOne(Order, { orderNumber: text(input.orderNumber) });
    if (!order) return null;
    const found = await em.findOne(Plan, { id: order.plan });
    return found ? { plan: { code: found.code, nameZh: found.nameZh, nameEn: found.nameEn } } : null;
  },
};
