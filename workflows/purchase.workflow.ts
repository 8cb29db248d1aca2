/**
 * PurchaseWorkflow — one per order (id `purchase-<orderNumber>`):
 * registration (an Update, answered synchronously) → payment wait (verified
 * callbacks arrive as Signals; timeout closes the payment and expires the
 * order) → order recording → confirmation. A payment that arrives after
 * expiry is refunded. A callback for a finished workflow starts a fresh run
 * (signal-with-start), which looks at the order and does what is still owed.
 *
 * A purchase schedules three activities: registration and payment creation are
 * one activity that also reports the order's status, the certificate is rendered
 * on its first download instead of here, and the status is not asked for again
 * when the recording just said what it is. (That was the `fewer-purchase-activities`
 * patch; the seven-activity path before it is retired, see FEWER_ACTIVITIES.)
 *
 * Since the `payment-failure-signal` patch a declined or failed attempt, reported by
 * the provider and delivered as the `paymentFailed` Signal, ends the payment wait at
 * once: the payment is closed (marked failed) and the order expires, freeing the unit
 * for a new order; a capture that still comes is refunded like any late payment.
 */
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  deprecatePatch,
  log,
  patched,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { PurchaseActivities } from '../activities/purchase.activities.ts';
import { durationToMs } from '../src/domain/duration.ts';
import type { OrderStatus } from '../src/domain/entities/order.entity.ts';
import type { PaymentNotification } from '../src/payments/provider.ts';
import {
  type PaymentFailure,
  PURCHASE_ERRORS,
  type PurchaseInput,
  type PurchaseStage,
  type PurchaseStatus,
  paymentFailedSignal,
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

/**
 * Retired patch, step 2 of Temporal's three (patched → deprecatePatch → removed): only the three-activity
 * path is left, and runs recorded under `patched()` still replay because the marker is still written.
 * Step 2 shipped before any manufacturer went live (December 2026), so no run from before the patch exists
 * anywhere. Step 3, deleting this call, is safe once no run started under `patched()` is open or still
 * kept for audit: from 2027-03-01 (a purchase lives at most the registration wait + payment timeout + late
 * payment window, hours; TEMPORAL_RETENTION keeps it 30 days more by default). Delete the
 * `purchase-*-fewer-activities` histories with it, and record new ones.
 */
const FEWER_ACTIVITIES = 'fewer-purchase-activities';

/**
 * Marks runs that end the payment wait when the provider reports the attempt declined or failed:
 * the payment is closed and the order expires at once, so the unit can be bought again.
 */
const PAYMENT_FAILURE_SIGNAL = 'payment-failure-signal';

/** How long a fresh run waits for its registration Update before giving up. */
const REGISTRATION_WAIT = '5 minutes';

export async function PurchaseWorkflow(input: PurchaseInput): Promise<PurchaseStatus> {
  let stage = 'registration' as PurchaseStage;
  let registration = null as RegistrationResult | null;
  let registering: Promise<RegistrationResult> | null = null;
  let rejected = false;
  const inbox: PaymentNotification[] = [];
  const failures: PaymentFailure[] = [];
  const refunded: string[] = [];
  deprecatePatch(FEWER_ACTIVITIES);
  /** The order's status as the registration activity saw it. */
  let registeredStatus: OrderStatus | null = null;

  const status = (): PurchaseStatus => ({ stage, payUrl: registration?.payUrl ?? null, refunded });
  const moveTo = (next: PurchaseStage) => {
    // Registration already moved to awaiting_payment: no second upsert with the same value.
    if (next === stage) return;
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
  setHandler(paymentFailedSignal, (failure) => {
    failures.push(failure);
  });
  /** The fingerprint of the first registration accepted: what this order's idempotency key stands for. */
  let registeredFingerprint: string | undefined;

  setHandler(
    registerUpdate,
    async (details) => {
      // Set before the first await, so the validator of an Update delivered right after sees it.
      registeredFingerprint ??= details.fingerprint;
      // A double-clicked "Pay" sends the same registration twice: both get the one answer.
      registering ??= (async () => {
        const registered = await unwrapActivity(activities.registerPurchase(input.orderNumber, details));
        registeredStatus = registered.status;
        return { orderNumber: registered.orderNumber, payUrl: registered.payUrl };
      })();
      try {
        registration = await registering;
        if (stage === 'registration') moveTo('awaiting_payment');
        return registration;
      } catch (err) {
        rejected = true;
        throw err;
      }
    },
    {
      // The same key with a different registration (another serial, name, phone or plan) is refused
      // before it reaches history, even when both arrive at once. Validators run only on live
      // delivery, never on replay, so this changes no recorded history.
      validator: (details) => {
        if (registeredFingerprint !== undefined && details.fingerprint !== registeredFingerprint)
          throw ApplicationFailure.create({
            type: PURCHASE_ERRORS.idempotencyKeyReused,
            message: 'this idempotency key was already used with a different registration',
            nonRetryable: true,
          });
      },
    },
  );

  // 1. registration — or, in a run started by a late callback, the callback itself.
  await condition(() => registration !== null || rejected || inbox.length > 0, REGISTRATION_WAIT);
  if (rejected || (registration === null && inbox.length === 0)) {
    moveTo('rejected');
    await condition(allHandlersFinished);
    return status();
  }

  let orderStatus = registeredStatus ?? (await activities.orderStatus(input.orderNumber));
  if (orderStatus === 'pending_payment') {
    moveTo('awaiting_payment');
    // 2. payment wait — since the patch, a declined or failed attempt ends it too.
    const failureEndsWait = patched(PAYMENT_FAILURE_SIGNAL);
    const settled = failureEndsWait ? () => hasCapture() || failures.length > 0 : hasCapture;
    const settledInTime = await condition(settled, durationToMs(input.paymentTimeout));
    if (!settledInTime || (failureEndsWait && !hasCapture())) {
      const failure = failureEndsWait ? failures[0] : undefined;
      const { alreadyCaptured } = failure
        ? await activities.closeFailedPayment(input.orderNumber, failure)
        : await activities.closePayment(input.orderNumber);
      // Paid just before the close: the provider's callback is on its way.
      if (alreadyCaptured) await condition(hasCapture, durationToMs(input.latePaymentWindow));
    }
    const capture = takeCapture();
    if (capture) {
      // 3. order recording
      moveTo('recording');
      const recorded = await activities.recordPaidOrder(input.orderNumber, capture);
      if (recorded === 'recorded') {
        // 4. confirmation
        moveTo('confirming');
        await activities.sendOrderConfirmation(input.orderNumber);
      }
      // Recorded now or before: the order is active, as the recording's own transaction saw it.
      orderStatus = recorded !== 'not_pending' ? 'active' : await activities.orderStatus(input.orderNumber);
    } else {
      await activities.expireOrder(input.orderNumber);
      orderStatus = await activities.orderStatus(input.orderNumber);
    }
  }

  if (orderStatus === 'expired') {
    moveTo('expired');
    // A payment that still arrives is refunded; a run started by such a callback does the same.
    const deadline = Date.now() + durationToMs(input.latePaymentWindow);
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
