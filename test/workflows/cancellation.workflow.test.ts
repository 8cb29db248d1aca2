/**
 * CancellationWorkflow on the real Temporal dev server, with orders bought
 * through the real PurchaseWorkflow and refunds made at the real sandbox
 * gateway: full refund inside the cooling-off period, pro-rated after it
 * with a claim deducted, a zero refund that still cancels, a double submit
 * that is one cancellation and one refund, and a refusal under the lock.
 *
 * "After the cooling-off period" is simulated by moving the order's paidAt
 * and coverage window back in the database once the purchase has finished:
 * the workflow reads them when it records the cancellation, exactly as it
 * would read an order bought months ago. Claims are inserted as rows (as the
 * claim workflow would leave them once closed with a repair cost).
 */
import { randomBytes } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cancellationRefundId } from '../../activities/cancellation.activities.ts';
import { addDays, addMonths, chinaDate, daysBetween } from '../../src/domain/coverage.ts';
import {
  Cancellation,
  Claim,
  Notification,
  Order,
  Payment,
  Refund,
  SandboxCallback,
  SandboxPayment,
} from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { sandboxEventId } from '../../src/payments/sandbox.gateway.ts';
import {
  CANCELLATION_ERRORS,
  type CancellationStatus,
  cancellationWorkflowId,
  requestCancellationUpdate,
} from '../../workflows/cancellation.messages.ts';
import type { CancellationWorkflow } from '../../workflows/cancellation.workflow.ts';
import { BUSINESS_STATUS, MANUFACTURER_ID, ORDER_NUMBER } from '../../workflows/search-attributes.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const DAY_MS = 86_400_000;

describe('CancellationWorkflow', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness(
      { purchase: { paymentTimeout: '1 minute', latePaymentWindow: '5 seconds' } },
      { listen: true },
    );
    plan = await publishedPlan(h);
  });
  afterAll(() => h?.close());

  /** A paid, active order bought through PurchaseWorkflow. */
  async function activeOrder() {
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    expect((await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result()).stage).toBe(
      'completed',
    );
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    return { ...placed, order };
  }

  /** Time passes: paid `daysAgo` days ago, covered since `coveredDaysAgo` days ago for 24 months. */
  async function age(orderNumber: string, daysAgo: number, coveredDaysAgo: number) {
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber });
    order.paidAt = new Date(Date.now() - daysAgo * DAY_MS);
    order.coverageStart = addDays(chinaDate(new Date()), -coveredDaysAgo);
    order.coverageEnd = addDays(addMonths(order.coverageStart, 24), -1);
    await em.flush();
    return { start: order.coverageStart, end: order.coverageEnd };
  }

  /** A claim the service desk closed with a repair cost. */
  async function closedClaim(order: Order, repairCostFen: number) {
    const em = h.db.orm.em.fork();
    const claimNumber = `CL${randomBytes(6).toString('hex').toUpperCase()}`;
    em.create(Claim, {
      claimNumber,
      order: order.id,
      manufacturer: order.manufacturer,
      faultDescription: 'screen flickers',
      faultDate: chinaDate(new Date(Date.now() - 20 * DAY_MS)),
      contactPhone: order.consumerPhone,
      coverageType: 'parts_labour',
      status: 'closed',
      repairCostFen,
      outcome: 'repaired',
      workflowId: `claim-${claimNumber}`,
    });
    await em.flush();
  }

  const cancel = (orderNumber: string, body: Record<string, unknown> = {}) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${orderNumber}/cancellation?t=${orderAccessToken(orderNumber, h.config.linkSecret)}`,
      payload: body,
    });

  const finished = (orderNumber: string) =>
    h.client.workflow.getHandle(cancellationWorkflowId(orderNumber)).result() as Promise<CancellationStatus>;

  /** Everything the cancellation left behind in our database and at the sandbox. */
  async function outcome(orderNumber: string) {
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber });
    const payment = await em.findOneOrFail(Payment, { order: order.id });
    return {
      order,
      payment,
      cancellations: await em.find(Cancellation, { order: order.id }),
      refunds: await em.find(Refund, { payment: payment.id }),
      sandbox: await em.findOneOrFail(SandboxPayment, { id: payment.providerPaymentId }),
      sandboxRefunds: await em.count(SandboxCallback, {
        sandboxPayment: payment.providerPaymentId,
        eventId: sandboxEventId.refunded(cancellationRefundId(order.id)),
        copy: 1,
      }),
      message: await em.findOne(Notification, { dedupeKey: `order-cancelled:${orderNumber}` }),
    };
  }

  it('refunds the whole amount inside the cooling-off period and cancels the order', async () => {
    const { orderNumber, order } = await activeOrder();
    const response = await cancel(orderNumber, { reason: '不需要了', expectedRefundFen: order.amountFen });
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({
      orderNumber,
      status: 'requested',
      withinCoolingOff: true,
      approvedClaimsFen: 0,
      refundFen: order.amountFen,
      currency: 'CNY',
    });

    const status = await finished(orderNumber);
    expect(status).toMatchObject({
      stage: 'completed',
      record: { status: 'refunded', refundFen: order.amountFen },
    });
    const after = await outcome(orderNumber);
    expect(after.order.status).toBe('cancelled');
    expect(after.order.cancelledAt).toBeInstanceOf(Date);
    expect(after.cancellations).toHaveLength(1);
    expect(after.cancellations[0]).toMatchObject({
      status: 'refunded',
      reason: '不需要了',
      withinCoolingOff: true,
      refundFen: order.amountFen,
      workflowId: cancellationWorkflowId(orderNumber),
    });
    expect(after.refunds).toHaveLength(1);
    expect(after.refunds[0]).toMatchObject({
      reason: 'cancellation',
      amountFen: order.amountFen,
      currency: 'CNY',
    });
    expect(after.sandbox).toMatchObject({ status: 'refunded', refundedFen: order.amountFen });
    expect(after.sandboxRefunds).toBe(1);
    expect(after.message?.status).toBe('delivered');
    expect(h.delivered.some((m) => m.body.includes(orderNumber) && m.body.includes('¥299.00'))).toBe(true);

    const described = await h.client.workflow.getHandle(cancellationWorkflowId(orderNumber)).describe();
    expect(described.typedSearchAttributes.get(MANUFACTURER_ID)).toBe(order.manufacturer);
    expect(described.typedSearchAttributes.get(ORDER_NUMBER)).toBe(orderNumber);
    expect(described.typedSearchAttributes.get(BUSINESS_STATUS)).toBe('completed');
    await recordHistory(h.client, cancellationWorkflowId(orderNumber), 'cancellation-full-refund');
  });

  it('pro-rates after the cooling-off period and deducts an approved claim', async () => {
    const { orderNumber, order } = await activeOrder();
    const { start, end } = await age(orderNumber, 200, 190);
    await closedClaim(order, 3_000);
    const today = chinaDate(new Date());
    const total = daysBetween(start, end) + 1;
    const remaining = daysBetween(today, end) + 1;
    const expected = Math.floor((order.amountFen * remaining) / total) - 3_000;
    expect(expected).toBeGreaterThan(0);

    const response = await cancel(orderNumber);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({
      withinCoolingOff: false,
      approvedClaimsFen: 3_000,
      refundFen: expected,
    });
    expect((await finished(orderNumber)).stage).toBe('completed');

    const after = await outcome(orderNumber);
    expect(after.order.status).toBe('cancelled');
    expect(after.refunds.map((r) => [r.reason, r.amountFen])).toEqual([['cancellation', expected]]);
    expect(after.sandbox.refundedFen).toBe(expected);
    expect(after.sandboxRefunds).toBe(1);
    await recordHistory(h.client, cancellationWorkflowId(orderNumber), 'cancellation-pro-rated');
  });

  it('cancels without calling the provider when the claims ate the whole refund', async () => {
    const { orderNumber, order } = await activeOrder();
    await age(orderNumber, 400, 300);
    await closedClaim(order, order.amountFen);

    const response = await cancel(orderNumber);
    expect(response.statusCode, response.body).toBe(202);
    expect(response.json()).toMatchObject({ refundFen: 0, withinCoolingOff: false });
    expect((await finished(orderNumber)).stage).toBe('completed');

    const after = await outcome(orderNumber);
    expect(after.order.status).toBe('cancelled');
    expect(after.cancellations[0]).toMatchObject({ status: 'refunded', refundFen: 0 });
    expect(after.refunds).toHaveLength(0);
    expect(after.sandbox).toMatchObject({ status: 'paid', refundedFen: 0 });
    expect(after.message?.body).toContain('无可退金额');
    await recordHistory(h.client, cancellationWorkflowId(orderNumber), 'cancellation-zero-refund');
  });

  it('makes a double submit one cancellation with one refund at the provider', async () => {
    const { orderNumber, order } = await activeOrder();
    const [first, second] = await Promise.all([cancel(orderNumber), cancel(orderNumber)]);
    expect([first.statusCode, second.statusCode], `${first.body} ${second.body}`).toEqual([202, 202]);
    expect(second.json()).toEqual(first.json());
    await finished(orderNumber);

    const after = await outcome(orderNumber);
    expect(after.cancellations).toHaveLength(1);
    expect(after.refunds).toHaveLength(1);
    expect(after.sandboxRefunds).toBe(1);
    expect(after.sandbox.refundedFen).toBe(order.amountFen);
    // A late third submit of the same request is the same cancellation, now refunded, and changes nothing.
    const third = await cancel(orderNumber);
    expect(third.statusCode).toBe(202);
    expect(third.json()).toMatchObject({ status: 'refunded', refundFen: order.amountFen });
    expect((await outcome(orderNumber)).refunds).toHaveLength(1);
  });

  it('refuses, under the order lock, an order that is not active and records nothing', async () => {
    // Straight to Temporal, past the API's own check: the workflow's first step checks again.
    const placed = await register(h, registration(plan.code));
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const startWorkflowOperation = new WithStartWorkflowOperation<typeof CancellationWorkflow>(
      'CancellationWorkflow',
      {
        workflowId: cancellationWorkflowId(placed.orderNumber),
        taskQueue: h.config.temporal.taskQueue,
        workflowIdConflictPolicy: 'USE_EXISTING',
        args: [{ orderNumber: placed.orderNumber, requestedOn: chinaDate(new Date()), reason: null }],
      },
    );
    const refused = await h.client.workflow
      .executeUpdateWithStart(requestCancellationUpdate, { startWorkflowOperation })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
    const cause = (refused as WorkflowUpdateFailedError).cause;
    expect(cause).toBeInstanceOf(ApplicationFailure);
    expect((cause as ApplicationFailure).type).toBe(CANCELLATION_ERRORS.notCancellable);
    expect((await finished(placed.orderNumber)).stage).toBe('rejected');
    expect(await h.db.orm.em.fork().count(Cancellation, { order: order.id })).toBe(0);
    await recordHistory(h.client, cancellationWorkflowId(placed.orderNumber), 'cancellation-rejected');
  });
});
