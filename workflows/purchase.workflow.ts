/**
 * PurchaseWorkflow — one per order (id `purchase-<orderNumber>`):
 * registration (an Update, answered synchronously) → payment wait (verified
 * callbacks arrive as Signals; timeout closes the payment and expires the
 * order) → order recording → confirmation. A payment that arrives after
 * expiry is refunded. A callback for a finished workflow starts a fresh run
 * (signal-with-start), which looks at the order and does what is still owed.
 */
import { msToNumber } from '@temporalio/common/lib/time.js';
import {
  allHandlersFinished,
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PurchaseActivities } from '../activities/purchase.activities.ts';
import type { PaymentNotification } from '../src/payments/provider.ts';
import {
  type PurchaseInput,
  type PurchaseStage,
  type PurchaseStatus,
  paymentSignal,
  purchaseStatusQuery,
  type RegistrationResult,
  registerUpdate,
} from './purchase.messages.ts';
import { BUSINESS_STATUS } from './search-attributes.ts';
import { unwrapActivity } from './unwrap-activity.ts';

const activities = proxyActivities<PurchaseActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

/** How long a fresh run waits for its registration Update before giving up. */
const REGISTRATION_WAIT = '5 minutes';

export async function PurchaseWorkflow(input: PurchaseInput): Promise<PurchaseStatus> {
  let stage = 'registration' as PurchaseStage;
  let registration = null as RegistrationResult | null;
  let registering: Promise<RegistrationResult> | null = null;
  let rejected = false;
  const inbox: PaymentNotification[] = [];
  const refunded: string[] = [];

  const status = (): PurchaseStatus => ({ stage, payUrl: registration?.payUrl ?? null, refunded });
  const moveTo = (next: PurchaseStage) => {
    stage = next;
    upsertSearchAttributes([{ key: BUSINESS_STATUS, value: next }]);
  };
  const hasCapture = () => inbox.some((n) => n.kind === 'captured');
  const takeCapture = () => {
    const index = inbox.findIndex((n) => n.kind === 'captured');
    return index === -1 ? null : (inbox.splice(index, 1)[0] as PaymentNotification);
  };

  setHandler(purchaseStatusQuery, status);
  setHandler(paymentSignal, (notification) => {
    inbox.push(notification);
  });
  setHandler(registerUpdate, async (details) => {
    // A double-clicked "Pay" sends the same registration twice: both get the one answer.
    registering ??= (async () => {
      const orderNumber = await unwrapActivity(activities.registerOrder(input.orderNumber, details));
      const { payUrl } = await unwrapActivity(activities.createPayment(orderNumber));
      return { orderNumber, payUrl };
    })();
    try {
      registration = await registering;
      if (stage === 'registration') moveTo('awaiting_payment');
      return registration;
    } catch (err) {
      rejected = true;
      throw err;
    }
  });

  // 1. registration — or, in a run started by a late callback, the callback itself.
  await condition(() => registration !== null || rejected || inbox.length > 0, REGISTRATION_WAIT);
  if (rejected || (registration === null && inbox.length === 0)) {
    moveTo('rejected');
    await condition(allHandlersFinished);
    return status();
  }

  let orderStatus = await activities.orderStatus(input.orderNumber);
  if (orderStatus === 'pending_payment') {
    moveTo('awaiting_payment');
    // 2. payment wait
    if (!(await condition(hasCapture, msToNumber(input.paymentTimeout)))) {
      const { alreadyCaptured } = await activities.closePayment(input.orderNumber);
      // Paid just before the close: the provider's callback is on its way.
      if (alreadyCaptured) await condition(hasCapture, msToNumber(input.latePaymentWindow));
    }
    const capture = takeCapture();
    if (capture) {
      // 3. order recording
      moveTo('recording');
      const recorded = await activities.recordPaidOrder(input.orderNumber, capture);
      if (recorded === 'recorded') {
        // 4. confirmation
        moveTo('confirming');
        await activities.issueCertificate(input.orderNumber);
        await activities.sendOrderConfirmation(input.orderNumber);
      }
    } else {
      await activities.expireOrder(input.orderNumber);
    }
    orderStatus = await activities.orderStatus(input.orderNumber);
  }

  if (orderStatus === 'expired') {
    moveTo('expired');
    // A payment that still arrives is refunded; a run started by such a callback does the same.
    const deadline = Date.now() + msToNumber(input.latePaymentWindow);
    for (;;) {
      const late = takeCapture();
      if (late) {
        await activities.refundLatePayment(input.orderNumber, late);
        refunded.push(late.providerPaymentId);
        continue;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0 || !(await condition(hasCapture, remaining))) break;
    }
  } else if (orderStatus === 'active') {
    // Captures for an order already recorded are the same payment delivered again: nothing to do,
    // unless it is a different payment, which activities.recordPaidOrder refunds.
    for (let extra = takeCapture(); extra; extra = takeCapture())
      await activities.recordPaidOrder(input.orderNumber, extra);
    moveTo('completed');
  }
  log.info('purchase finished', { orderNumber: input.orderNumber, stage });
  await condition(allHandlersFinished);
  return status();
}
