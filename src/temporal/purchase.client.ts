/**
 * How the web side talks to PurchaseWorkflow: register an order (update-with-
 * start, so a retried or double-clicked "Pay" meets the same workflow), read
 * its progress, and hand it verified payment notifications.
 */

import { type Client, WithStartWorkflowOperation } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import {
  PURCHASE_ERRORS,
  type PurchaseInput,
  type PurchaseStatus,
  paymentFailedSignal,
  paymentSignal,
  purchaseStatusQuery,
  type Registration,
  type RegistrationResult,
  registerUpdate,
} from '../../workflows/purchase.messages.ts';
import type { PurchaseWorkflow } from '../../workflows/purchase.workflow.ts';
import { MANUFACTURER_ID, ORDER_NUMBER, PLAN_ID } from '../../workflows/search-attributes.ts';
import type { AppConfig } from '../config.ts';
import { conflict, errorMessage, FIELD_WORDS, idempotencyKeyReused, rejected } from '../domain/errors.ts';
import { orderNumberFor, purchaseWorkflowId } from '../domain/order-links.ts';
import type { PaymentNotification } from '../payments/provider.ts';
import { queryIfExists, updateRefusal } from './workflow-calls.ts';

function purchaseInput(config: AppConfig, orderNumber: string): PurchaseInput {
  return {
    orderNumber,
    paymentTimeout: config.purchase.paymentTimeout,
    latePaymentWindow: config.purchase.latePaymentWindow,
  };
}

export async function placeOrder(
  client: Client,
  config: AppConfig,
  registration: Registration,
  manufacturerId: string,
): Promise<RegistrationResult> {
  const orderNumber = orderNumberFor(registration.idempotencyKey, config.linkSecret);
  const startWorkflowOperation = new WithStartWorkflowOperation<typeof PurchaseWorkflow>('PurchaseWorkflow', {
    workflowId: purchaseWorkflowId(orderNumber),
    taskQueue: config.temporal.taskQueue,
    workflowIdConflictPolicy: 'USE_EXISTING',
    args: [purchaseInput(config, orderNumber)],
    typedSearchAttributes: [
      { key: ORDER_NUMBER, value: orderNumber },
      { key: PLAN_ID, value: registration.planId },
      { key: MANUFACTURER_ID, value: manufacturerId },
    ],
  });
  try {
    return await client.workflow.executeUpdateWithStart(registerUpdate, {
      args: [registration],
      startWorkflowOperation,
    });
  } catch (err) {
    const refusal = updateRefusal(err);
    if (!refusal) throw err;
    if (refusal.type === PURCHASE_ERRORS.unitAlreadyCovered)
      throw conflict(errorMessage('unitAlreadyCovered'), refusal.fields);
    if (refusal.type === PURCHASE_ERRORS.idempotencyKeyReused) throw idempotencyKeyReused();
    throw rejected('registration_rejected', FIELD_WORDS, refusal.fields);
  }
}

export const purchaseStatus = (client: Client, orderNumber: string): Promise<PurchaseStatus | null> =>
  queryIfExists(client, purchaseWorkflowId(orderNumber), purchaseStatusQuery);

/**
 * Delivers a verified notification to the order's workflow; when that
 * workflow has finished (say, a payment long after expiry) a new run starts
 * and settles it. Throws when Temporal cannot be reached, so the provider
 * retries the callback and nothing is lost.
 */
export async function deliverPaymentNotification(
  client: Client,
  config: AppConfig,
  notification: PaymentNotification,
  order: { planId: string; manufacturerId: string },
): Promise<void> {
  await client.workflow.signalWithStart<typeof PurchaseWorkflow, [PaymentNotification]>('PurchaseWorkflow', {
    workflowId: purchaseWorkflowId(notification.orderNumber),
    taskQueue: config.temporal.taskQueue,
    args: [purchaseInput(config, notification.orderNumber)],
    signal: paymentSignal,
    signalArgs: [notification],
    typedSearchAttributes: [
      { key: ORDER_NUMBER, value: notification.orderNumber },
      { key: PLAN_ID, value: order.planId },
      { key: MANUFACTURER_ID, value: order.manufacturerId },
    ],
  });
}

/**
 * Tells the order's workflow that the consumer's payment attempt was declined or failed, so it
 * closes the payment and frees the unit at once. A finished workflow has nothing left to decide
 * (the order is paid or already expired), so no run is started for it. Throws when Temporal
 * cannot be reached, so the provider retries the callback.
 */
export async function deliverPaymentFailure(
  client: Client,
  notification: PaymentNotification,
): Promise<void> {
  try {
    await client.workflow
      .getHandle(purchaseWorkflowId(notification.orderNumber))
      .signal(paymentFailedSignal, {
        provider: notification.provider,
        eventId: notification.eventId,
        providerPaymentId: notification.providerPaymentId,
      });
  } catch (err) {
    if (!(err instanceof WorkflowNotFoundError)) throw err;
  }
}
