/**
 * Cancellation through HTTP against real PostgreSQL and Temporal: the
 * preview's numbers, the order token, every bad field named, refusals (not
 * active, open repair request, changed amount) answered 409 with nothing
 * written and no workflow started, the consumer's no-JavaScript page, and
 * the manufacturer's list limited to its own orders.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowNotFoundError } from '@temporalio/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, addMonths, chinaDate, daysBetween } from '../../src/domain/coverage.ts';
import type { ClaimStatus } from '../../src/domain/entities/claim.entity.ts';
import { Cancellation, Claim, Order, PlanVersion } from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { cancellationWorkflowId } from '../../workflows/cancellation.messages.ts';
import { signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

const DAY_MS = 86_400_000;

describe('cancellation API and pages', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  beforeAll(async () => {
    h = await startHarness(
      { purchase: { paymentTimeout: '10 minutes', latePaymentWindow: '5 seconds' } },
      { listen: true },
    );
    plan = await publishedPlan(h, { coolingOffDays: 7 });
  });
  afterAll(() => h?.close());

  const token = (orderNumber: string) => orderAccessToken(orderNumber, h.config.linkSecret);
  const api = (
    method: 'GET' | 'POST',
    orderNumber: string,
    path: string,
    body?: object,
    t = token(orderNumber),
  ) =>
    h.app.inject({
      method,
      url: `/api/v1/public/orders/${orderNumber}/${path}?t=${encodeURIComponent(t)}`,
      ...(body ? { payload: body } : {}),
    });
  const preview = (orderNumber: string, t?: string) =>
    api('GET', orderNumber, 'cancellation-preview', undefined, t);
  const cancel = (orderNumber: string, body: object = {}, t?: string) =>
    api('POST', orderNumber, 'cancellation', body, t);
  const fields = (response: { json(): { fields?: { field: string }[] } }) =>
    (response.json().fields ?? []).map((f) => f.field);

  async function activeOrder() {
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    return h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
  }

  async function age(orderNumber: string, daysAgo: number, coveredDaysAgo: number) {
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber });
    order.paidAt = new Date(Date.now() - daysAgo * DAY_MS);
    order.coverageStart = addDays(chinaDate(new Date()), -coveredDaysAgo);
    order.coverageEnd = addDays(addMonths(order.coverageStart, 24), -1);
    await em.flush();
    return order;
  }

  async function claim(order: Order, status: ClaimStatus, repairCostFen: number | null) {
    const em = h.db.orm.em.fork();
    const claimNumber = `CL${randomBytes(6).toString('hex').toUpperCase()}`;
    em.create(Claim, {
      claimNumber,
      order: order.id,
      manufacturer: order.manufacturer,
      faultDescription: 'battery drains overnight',
      faultDate: chinaDate(new Date()),
      contactPhone: order.consumerPhone,
      coverageType: 'battery',
      status,
      repairCostFen,
      workflowId: `claim-${claimNumber}`,
    });
    await em.flush();
  }

  /** Nothing written and nothing started for this order. */
  async function untouched(order: Order) {
    expect(await h.db.orm.em.fork().count(Cancellation, { order: order.id })).toBe(0);
    expect((await h.db.orm.em.fork().findOneOrFail(Order, { id: order.id })).status).toBe(order.status);
    await expect(
      h.client.workflow.getHandle(cancellationWorkflowId(order.orderNumber)).describe(),
    ).rejects.toThrow(WorkflowNotFoundError);
  }

  it('carries the cooling-off period from the draft into the published plan, 1 to 365 days', async () => {
    const version = await h.db.orm.em.fork().findOneOrFail(PlanVersion, { plan: plan.planId });
    expect(version.coolingOffDays).toBe(7);
    for (const coolingOffDays of [0, 366, 2.5]) {
      const response = await plan.editor.session.request('POST', '/api/v1/plan-drafts', {
        productId: plan.productId,
        nameZh: '测试',
        nameEn: 'Test',
        termMonths: 12,
        coverageStartRule: { kind: 'from_purchase' },
        priceFen: 10_000,
        purchaseWindowDays: 30,
        coverageTypes: ['parts_labour'],
        coolingOffDays,
      });
      expect(response.statusCode, response.body).toBe(400);
      expect(fields(response)).toEqual(['coolingOffDays']);
    }
  });

  it('previews a full refund inside the cooling-off period, before coverage has even started', async () => {
    const order = await activeOrder();
    const response = await preview(order.orderNumber);
    expect(response.statusCode, response.body).toBe(200);
    const totalDays = daysBetween(order.coverageStart as string, order.coverageEnd as string) + 1;
    expect(response.json()).toEqual({
      orderNumber: order.orderNumber,
      quotedOn: chinaDate(new Date()),
      amountFen: 29_900,
      basis: 'cooling_off_full',
      withinCoolingOff: true,
      coolingOffEnds: addDays(chinaDate(order.paidAt as Date), 7),
      totalDays,
      // after_base_warranty: coverage starts a year after the product was bought, so all of it remains
      remainingDays: totalDays,
      proRatedFen: 29_900,
      approvedClaimsFen: 0,
      refundFen: 29_900,
      currency: 'CNY',
    });
    await untouched(order);
  });

  it('previews a pro-rated refund after the cooling-off period, minus approved claims only', async () => {
    const order = await age((await activeOrder()).orderNumber, 30, 100);
    await claim(order, 'closed', 2_500);
    await claim(order, 'repaired', 1_000);
    await claim(order, 'rejected', null);
    const body = (await preview(order.orderNumber)).json();
    const totalDays = daysBetween(order.coverageStart as string, order.coverageEnd as string) + 1;
    const remainingDays = totalDays - 100;
    const proRatedFen = Math.floor((29_900 * remainingDays) / totalDays);
    expect(body).toMatchObject({
      withinCoolingOff: false,
      totalDays,
      remainingDays,
      proRatedFen,
      approvedClaimsFen: 3_500,
      refundFen: proRatedFen - 3_500,
    });
  });

  it('answers 404 without the right token, as for a missing order', async () => {
    const order = await activeOrder();
    const other = await activeOrder();
    for (const t of ['x'.repeat(24), token(other.orderNumber)]) {
      expect((await preview(order.orderNumber, t)).statusCode).toBe(404);
      expect((await cancel(order.orderNumber, {}, t)).statusCode).toBe(404);
      expect((await api('GET', order.orderNumber, 'cancellation', undefined, t)).statusCode).toBe(404);
    }
    expect((await preview('YBAAAAAAAAAAAAAA', token('YBAAAAAAAAAAAAAA'))).statusCode).toBe(404);
    await untouched(order);
  });

  it('names every bad field and writes nothing', async () => {
    const order = await activeOrder();
    const cases: [object, string][] = [
      [{ reason: 'x'.repeat(501) }, 'reason'],
      [{ reason: '   ' }, 'reason'],
      [{ expectedRefundFen: -1 }, 'expectedRefundFen'],
      [{ expectedRefundFen: 12.5 }, 'expectedRefundFen'],
      [{ expectedRefundFen: 'all of it' }, 'expectedRefundFen'],
    ];
    for (const [body, field] of cases) {
      const response = await cancel(order.orderNumber, body);
      expect(response.statusCode, response.body).toBe(400);
      expect(fields(response)).toEqual([field]);
    }
    const badNumber = await h.app.inject({
      method: 'GET',
      url: '/api/v1/public/orders/nope/cancellation-preview?t=abc',
    });
    expect(badNumber.statusCode).toBe(400);
    expect(fields(badNumber)).toEqual(expect.arrayContaining(['params.orderNumber']));
    const noToken = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${order.orderNumber}/cancellation-preview`,
    });
    expect(noToken.statusCode).toBe(400);
    expect(fields(noToken)).toEqual(['querystring.t']);
    await untouched(order);
  });

  it('refuses an order that is not active, an open repair request and a changed amount with 409', async () => {
    const pending = await register(h, registration(plan.code));
    const unpaid = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: pending.orderNumber });
    for (const response of [await preview(unpaid.orderNumber), await cancel(unpaid.orderNumber)]) {
      expect(response.statusCode).toBe(409);
      expect(response.json()).toEqual({
        error: 'conflict',
        message: 'only an active order can be cancelled; this one is pending_payment',
        code: 'errors:notCancellable',
        params: { status: 'pending_payment' },
      });
    }
    await untouched(unpaid);

    const order = await activeOrder();
    const changed = await cancel(order.orderNumber, { expectedRefundFen: 100 });
    expect(changed.statusCode).toBe(409);
    expect(fieldWords(changed.json().fields)).toEqual([
      { field: 'expectedRefundFen', message: 'the refund is now 29900 fen' },
    ]);
    await untouched(order);

    await claim(order, 'submitted', null);
    const open = await cancel(order.orderNumber);
    expect(open.statusCode).toBe(409);
    expect(open.json().message).toMatch(/repair request on this order is still being handled/);
    expect((await preview(order.orderNumber)).statusCode).toBe(409);
    await untouched(order);
  });

  it('answers the same cancellation request again with its record; another reason or refund is 422 idempotency_key_reused', async () => {
    const order = await activeOrder();
    const first = { reason: '换新手机', expectedRefundFen: 29_900 };
    const requested = await cancel(order.orderNumber, first);
    expect(requested.statusCode, requested.body).toBe(202);
    await h.client.workflow.getHandle(cancellationWorkflowId(order.orderNumber)).result();
    const stored = await h.db.orm.em.fork().findOneOrFail(Cancellation, { order: order.id });
    // The order is the key: the same request again, even after it finished, is the same cancellation.
    const again = await cancel(order.orderNumber, { ...first, reason: ` ${first.reason} ` });
    expect(again.statusCode, again.body).toBe(202);
    expect(again.json()).toMatchObject({
      orderNumber: order.orderNumber,
      status: 'refunded',
      refundFen: 29_900,
    });
    for (const body of [
      { ...first, reason: '太贵了' },
      { ...first, expectedRefundFen: 0 },
      { reason: first.reason },
    ]) {
      const reused = await cancel(order.orderNumber, body);
      expect(reused.statusCode, reused.body).toBe(422);
      expect(reused.json()).toMatchObject({
        error: 'idempotency_key_reused',
        fields: [{ field: 'orderNumber', message: 'was already used with a different request' }],
      });
    }
    expect(await h.db.orm.em.fork().findOneOrFail(Cancellation, { order: order.id })).toMatchObject({
      reason: '换新手机',
      refundFen: 29_900,
      updatedAt: stored.updatedAt,
    });
  });

  it('lets only one of two different cancellation requests sent at once win', async () => {
    const order = await activeOrder();
    const first = { reason: '换新手机', expectedRefundFen: 29_900 };
    const second = { reason: '太贵了', expectedRefundFen: 29_900 };
    const answers = await Promise.all([cancel(order.orderNumber, first), cancel(order.orderNumber, second)]);
    expect(answers.map((a) => a.statusCode).sort(), answers.map((a) => a.body).join('\n')).toEqual([
      202, 422,
    ]);
    const winner = answers[0]?.statusCode === 202 ? first : second;
    expect(await h.db.orm.em.fork().findOneOrFail(Cancellation, { order: order.id })).toMatchObject({
      reason: winner.reason,
    });
  });

  it('shows the consumer the amount in words, confirms without JavaScript and lands on the cancelled order', async () => {
    const order = await activeOrder();
    const t = token(order.orderNumber);
    const pageUrl = `/o/${order.orderNumber}/cancel?t=${t}`;
    const zh = await h.app.inject({ method: 'GET', url: pageUrl });
    expect(zh.statusCode).toBe(200);
    expect(zh.body).toContain('¥299.00');
    expect(zh.body).toContain('人民币贰佰玖拾玖元整');
    expect(zh.body).toContain('全额退款');
    expect(zh.body).toContain('name="expectedRefundFen" value="29900"');
    expect(zh.body).not.toContain('<script');
    const en = await h.app.inject({ method: 'GET', url: `${pageUrl}&lang=en` });
    expect(en.body).toContain('two hundred ninety-nine yuan');
    expect(en.body).toContain(`action="/o/${order.orderNumber}/cancel?t=${t}&amp;lang=en"`);

    const postForm = (payload: string) =>
      h.app.inject({
        method: 'POST',
        url: pageUrl,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload,
      });
    const stale = await postForm('reason=&expectedRefundFen=100');
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('退款金额已经变化');
    await untouched(order);

    const confirmed = await postForm('reason=%E6%8D%A2%E6%96%B0%E6%89%8B%E6%9C%BA&expectedRefundFen=29900');
    expect(confirmed.statusCode, confirmed.body).toBe(303);
    expect(confirmed.headers.location).toBe(`/o/${order.orderNumber}?t=${t}`);
    const cancelled = await h.db.orm.em.fork().findOneOrFail(Cancellation, { order: order.id });
    expect(cancelled).toMatchObject({ status: 'refunded', refundFen: 29_900, reason: '换新手机' });
    expect((await h.app.inject({ method: 'GET', url: `/o/${order.orderNumber}?t=${t}` })).body).toContain(
      '已退保',
    );
    // A second tap after it finished lands on the order too; the page now shows the cancellation.
    expect((await postForm('expectedRefundFen=29900')).headers.location).toBe(
      `/o/${order.orderNumber}?t=${t}`,
    );
    const after = await h.app.inject({ method: 'GET', url: pageUrl });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('已退保');
    expect(after.body).toContain('退款 ¥299.00 已原路退回');
    expect((await api('GET', order.orderNumber, 'cancellation')).json()).toMatchObject({
      status: 'refunded',
      refundFen: 29_900,
    });
    expect(
      (await h.app.inject({ method: 'GET', url: `/o/${order.orderNumber}/cancel?t=${'x'.repeat(24)}` }))
        .statusCode,
    ).toBe(404);
  });

  it("lists a manufacturer's own cancellations only", async () => {
    const order = await activeOrder();
    expect((await cancel(order.orderNumber)).statusCode).toBe(202);
    await h.client.workflow.getHandle(cancellationWorkflowId(order.orderNumber)).result();
    const own = await plan.editor.session.request('GET', '/api/v1/cancellations?limit=100');
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          orderNumber: order.orderNumber,
          planId: plan.planId,
          status: 'refunded',
          amountFen: 29_900,
          refundFen: 29_900,
          workflowId: cancellationWorkflowId(order.orderNumber),
        }),
      ]),
    );
    const stranger = await signUp(h.app, 'Stranger');
    const theirs = await stranger.session.request('GET', '/api/v1/cancellations');
    expect(theirs.statusCode).toBe(200);
    expect(theirs.json()).toEqual({ items: [], nextCursor: null });
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/cancellations' })).statusCode).toBe(401);
  });
});
