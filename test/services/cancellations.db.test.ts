/**
 * The cancellation preview and the refusals answered before a workflow is
 * started, on PostgreSQL without Temporal: the client given to the service
 * fails the test if it is touched. The recording activity's own refusal, too.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createCancellationActivities } from '../../activities/cancellation.activities.ts';
import type { AppConfig } from '../../src/config.ts';
import { addDays, addMonths, chinaDate } from '../../src/domain/coverage.ts';
import { Cancellation, Claim } from '../../src/domain/entities/index.ts';
import { DomainError } from '../../src/domain/errors.ts';
import { cancellationFingerprint } from '../../src/domain/request-fingerprint.ts';
import { translate } from '../../src/i18n/catalogue.ts';
import type { Notifier } from '../../src/notifications/notifier.ts';
import type { PaymentProviders } from '../../src/payments/provider.ts';
import { previewCancellation, requestCancellation } from '../../src/services/cancellations.ts';
import { searchCancellations } from '../../src/services/order-search.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { orderRow, type PlanRows, planRows } from '../helpers/order-rows.ts';

const DAY_MS = 86_400_000;
/** Refusals must come before Temporal: any use of the client fails. */
const untouchable = new Proxy({} as Client, {
  get: (_target, property) => {
    throw new Error(`the Temporal client was used (${String(property)})`);
  },
});

describe('cancellation preview', () => {
  let db: TestDatabase;
  let plan: PlanRows;
  const em = (): EntityManager => db.orm.em.fork();
  const today = chinaDate(new Date());

  beforeAll(async () => {
    db = await createTestDatabase(inject('templateDatabase'));
    plan = await planRows(em(), { coolingOffDays: 7 });
  });
  afterAll(() => db?.drop());

  /** An active order paid `daysAgo` days ago, covered for a year from then. */
  function activeOrder(daysAgo: number) {
    const paidAt = new Date(Date.now() - daysAgo * DAY_MS);
    const coverageStart = chinaDate(paidAt);
    return orderRow(em(), plan, {
      status: 'active',
      paidAt,
      coverageStart,
      coverageEnd: addDays(addMonths(coverageStart, 12), -1),
      amountFen: 36_500,
    });
  }

  const refusal = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('not refused');
      },
      (err: unknown) => {
        if (!(err instanceof DomainError)) throw err;
        return {
          status: err.status,
          message: translate('en', err.detail),
          fields: err.fields.map((f) => f.field),
        };
      },
    );

  it('refunds everything within the cooling-off period when no repair was asked for', async () => {
    const order = await activeOrder(2);
    expect(await previewCancellation(em(), order)).toMatchObject({
      orderNumber: order.orderNumber,
      quotedOn: today,
      amountFen: 36_500,
      basis: 'cooling_off_full',
      withinCoolingOff: true,
      coolingOffEnds: addDays(chinaDate(order.paidAt as Date), 7),
      approvedClaimsFen: 0,
      refundFen: 36_500,
      currency: 'CNY',
    });
  });

  it('pro-rates after the cooling-off period, for the days left', async () => {
    const order = await activeOrder(30);
    const preview = await previewCancellation(em(), order);
    expect(preview).toMatchObject({ basis: 'pro_rated', withinCoolingOff: false });
    expect(preview.refundFen).toBe(Math.floor((36_500 * preview.remainingDays) / preview.totalDays));
    expect(preview.refundFen).toBe(preview.proRatedFen);
    expect(preview.refundFen).toBeLessThan(36_500);
  });

  it('deducts approved repair costs and refuses while a repair request is open', async () => {
    const order = await activeOrder(30);
    const claim = (status: Claim['status'], repairCostFen: number | null) =>
      em().insert(Claim, {
        id: randomUUID(),
        claimNumber: randomUUID().replaceAll('-', ''),
        order: order.id,
        manufacturer: plan.manufacturerId,
        faultDescription: 'does not spin',
        faultDate: today,
        contactPhone: order.consumerPhone,
        coverageType: 'parts_labour',
        status,
        repairCostFen,
        workflowId: `claim-${randomUUID()}`,
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    await claim('closed', 5_000);
    const preview = await previewCancellation(em(), order);
    expect(preview).toMatchObject({ basis: 'pro_rated', approvedClaimsFen: 5_000 });
    expect(preview.refundFen).toBe(Math.max(0, preview.proRatedFen - 5_000));

    await claim('submitted', null);
    expect(await refusal(previewCancellation(em(), order))).toEqual({
      status: 409,
      message: 'a repair request on this order is still being handled; cancel after it is closed',
      fields: [],
    });
  });

  it('refuses an order that is not active', async () => {
    const order = await orderRow(em(), plan);
    expect(await refusal(previewCancellation(em(), order))).toEqual({
      status: 409,
      message: 'only an active order can be cancelled; this one is pending_payment',
      fields: [],
    });
  });

  it('refuses a request whose confirmed refund no longer holds, before anything starts or is written', async () => {
    const order = await activeOrder(2);
    const deps = { em: em(), client: untouchable, config: {} as AppConfig };
    expect(await refusal(requestCancellation(deps, order, { expectedRefundFen: 1 }))).toEqual({
      status: 409,
      message: 'the refund has changed since it was shown; look at the new amount and confirm again',
      fields: ['expectedRefundFen'],
    });
    expect(await em().count(Cancellation, { order: order.id })).toBe(0);
  });

  it('answers a repeated request with the recorded cancellation, and refuses a different one (422)', async () => {
    const order = await activeOrder(2);
    const deps = { em: em(), client: untouchable, config: {} as AppConfig };
    await em().insert(Cancellation, {
      id: randomUUID(),
      order: order.id,
      workflowId: `cancellation-${order.orderNumber}`,
      reason: 'moving abroad',
      requestFingerprint: cancellationFingerprint({ reason: 'moving abroad' }),
      withinCoolingOff: true,
      approvedClaimsFen: 0,
      refundFen: 36_500,
      status: 'requested',
      createdAt: new Date(),
      updatedAt: new Date(),
    });
    expect(await requestCancellation(deps, order, { reason: 'moving abroad' })).toMatchObject({
      orderNumber: order.orderNumber,
      status: 'requested',
      refundFen: 36_500,
    });
    expect(await refusal(requestCancellation(deps, order, { reason: 'too expensive' }))).toMatchObject({
      status: 422,
      fields: ['orderNumber'],
    });
  });

  it('has the recording activity refuse a different request with a catalogue code, not English words', async () => {
    const order = await activeOrder(2);
    const activities = createCancellationActivities({
      orm: db.orm,
      config: {} as AppConfig,
      payments: {} as PaymentProviders,
      notifications: {} as Notifier,
    });
    const input = { orderNumber: order.orderNumber, requestedOn: today, reason: 'moving abroad' };
    await activities.recordCancellation({ ...input, fingerprint: cancellationFingerprint(input) });
    const refused = await activities
      .recordCancellation({ ...input, reason: 'too expensive', fingerprint: 'another request' })
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(refused).toBeInstanceOf(ApplicationFailure);
    const failure = refused as ApplicationFailure;
    expect([failure.type, failure.nonRetryable, failure.details]).toEqual([
      'IdempotencyKeyReused',
      true,
      [[], { code: 'errors:cancellationReused' }],
    ]);
    expect(failure.message).toBe(translate('en', { code: 'errors:cancellationReused' }));
  });

  it("lists only the manufacturer's own cancellations", async () => {
    const other = await planRows(em());
    const mine = await activeOrder(3);
    const theirs = await orderRow(em(), other, { status: 'active' });
    for (const order of [mine, theirs])
      await em().insert(Cancellation, {
        id: randomUUID(),
        order: order.id,
        workflowId: `cancellation-${order.orderNumber}`,
        withinCoolingOff: true,
        approvedClaimsFen: 0,
        refundFen: 100,
        status: 'refunded',
        createdAt: new Date(),
        updatedAt: new Date(),
      });
    const { items, nextCursor } = await searchCancellations(em(), {
      manufacturerId: other.manufacturerId,
      limit: 10,
    });
    expect(nextCursor).toBeNull();
    expect(items.map(({ order, cancellation }) => [order.id, cancellation.status])).toEqual([
      [theirs.id, 'refunded'],
    ]);
  });
});
