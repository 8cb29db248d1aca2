/**
 * ClaimWorkflow on the real Temporal dev server, driven through the real API
 * (consumer files with the order link token, the service desk acts through
 * Updates): accept → repair → close, reject, the claim cap, a replacement
 * ending the plan, and SLA reminders on shortened durable timers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Claim, MainProduct, Notification, Order } from '../../src/domain/entities/index.ts';
import { claimWorkflowId } from '../../workflows/claim.messages.ts';
import { BUSINESS_STATUS, MANUFACTURER_ID, ORDER_NUMBER } from '../../workflows/search-attributes.ts';
import { ApiSession } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import { fieldWords } from '../helpers/messages.ts';
import { allPageTexts, openPdf } from '../helpers/pdf.ts';
import { addUser, PHONE_PRODUCT } from '../helpers/plan-fixtures.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { activeOrder as paidOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

const today = () => chinaDate(new Date());

describe('ClaimWorkflow', () => {
  let h: Harness;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let desk: ApiSession;

  beforeAll(async () => {
    h = await startHarness({ claims: { decisionSla: '1 hour', repairSla: '1 hour' } }, { listen: true });
    // Coverage from the day the product was bought (10 days ago), so a fault today is covered.
    plan = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    desk = plan.editor.session;
  });
  afterAll(() => h?.close());

  const activeOrder = () => paidOrder(h, plan.code);

  async function fileClaim(
    order: { orderNumber: string; token: string },
    over: Record<string, unknown> = {},
  ) {
    const response = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${order.orderNumber}/claims?t=${order.token}`,
      payload: {
        faultDescription: '屏幕无法点亮',
        faultDate: today(),
        contactPhone: '13987654321',
        coverageType: 'screen',
        idempotencyKey: crypto.randomUUID().replaceAll('-', ''),
        ...over,
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    return response.json().claimNumber as string;
  }

  const act = (claimNumber: string, step: 'decision' | 'repair' | 'close', body?: unknown) =>
    desk.request('POST', `/api/v1/claims/${claimNumber}/${step}`, body);
  const claimOf = (claimNumber: string) => h.db.orm.em.fork().findOneOrFail(Claim, { claimNumber });
  const result = (claimNumber: string) => h.client.workflow.getHandle(claimWorkflowId(claimNumber)).result();
  const smsFor = (claimNumber: string) =>
    h.db.orm.em
      .fork()
      .find(
        Notification,
        { dedupeKey: { $like: `claim:${claimNumber}:%` } },
        { orderBy: { createdAt: 'asc' } },
      );

  it('takes a claim through accept, repair and close, telling the consumer at every step', async () => {
    const order = await activeOrder();
    const claimNumber = await fileClaim(order);
    expect(claimNumber).toMatch(/^CL[A-Z2-9]{16}$/);

    const accepted = await act(claimNumber, 'decision', { decision: 'accept', reason: '请送至就近服务网点' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ status: 'accepted', decisionReason: '请送至就近服务网点' });
    // A second decision is refused by the workflow's validator: nothing changes.
    expect((await act(claimNumber, 'decision', { decision: 'reject', reason: 'x' })).statusCode).toBe(409);

    const repaired = await act(claimNumber, 'repair', {
      repairCostFen: 45_000,
      parts: '屏幕总成',
      outcome: 'repaired',
    });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(repaired.json()).toMatchObject({
      status: 'repaired',
      repairCostFen: 45_000,
      cap: { retailPriceFen: 299_900, approvedFen: 45_000, remainingFen: 254_900 },
    });
    const closed = await act(claimNumber, 'close');
    expect(closed.statusCode, closed.body).toBe(200);

    expect(await result(claimNumber)).toMatchObject({ status: 'closed', remindersSent: 0 });
    const claim = await claimOf(claimNumber);
    expect(claim).toMatchObject({
      status: 'closed',
      repairCostFen: 45_000,
      parts: '屏幕总成',
      outcome: 'repaired',
    });
    expect(claim.decidedAt && claim.repairedAt && claim.closedAt).toBeTruthy();
    const sms = await smsFor(claimNumber);
    expect(sms.map((n) => n.dedupeKey.split(':')[2])).toEqual([
      'submitted',
      'accepted',
      'repaired',
      'closed',
    ]);
    expect(
      sms.every((n) => n.channel === 'sms' && n.recipient === '+8613987654321' && n.status === 'delivered'),
    ).toBe(true);
    expect(sms[2]?.body).toContain('¥450.00');
    expect(sms[0]?.body).toContain(`/o/${order.orderNumber}/claims/${claimNumber}?t=${order.token}`);
    expect((await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: order.orderNumber })).status).toBe(
      'active',
    );

    // Searchable by manufacturer, order and business status; no personal data.
    const description = await h.client.workflow.getHandle(claimWorkflowId(claimNumber)).describe();
    expect(description.typedSearchAttributes.get(MANUFACTURER_ID)).toBe(claim.manufacturer);
    expect(description.typedSearchAttributes.get(ORDER_NUMBER)).toBe(order.orderNumber);
    expect(description.typedSearchAttributes.get(BUSINESS_STATUS)).toBe('closed');
    await recordHistory(h.client, claimWorkflowId(claimNumber), 'claim-closed');

    // The auditors' timeline states the repair cost in the currency of the claim's order.
    const auditor = await platformUser(h, 'auditor');
    const timeline = await auditor.request('GET', `/api/v1/audit/workflows/${claimWorkflowId(claimNumber)}`);
    expect(timeline.statusCode, timeline.body).toBe(200);
    const steps = timeline.json().steps as { step: string; textEn: string; textZh: string }[];
    const repair = steps.find((s) => s.step === 'activity.recordClaimRepair');
    expect(repair?.textEn).toBe('Repair recorded: repaired, cost ¥450.00, parts 屏幕总成');
    expect(repair?.textZh).toBe('维修已记录：已修复，费用 ¥450.00，配件 屏幕总成');
  });

  it('rejects with a reason the consumer reads, and ends there', async () => {
    const order = await activeOrder();
    const claimNumber = await fileClaim(order, { coverageType: 'battery', faultDescription: '电池鼓包' });
    const noReason = await act(claimNumber, 'decision', { decision: 'reject', reason: ' ' });
    expect(noReason.statusCode).toBe(400);
    expect(fieldWords(noReason.json().fields)).toEqual([
      { field: 'reason', message: 'say why the claim is rejected' },
    ]);
    expect((await claimOf(claimNumber)).status).toBe('submitted');

    const rejected = await act(claimNumber, 'decision', {
      decision: 'reject',
      reason: '外壳有明显摔痕，属人为损坏',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await result(claimNumber)).toMatchObject({ status: 'rejected' });
    expect(await claimOf(claimNumber)).toMatchObject({
      status: 'rejected',
      decisionReason: '外壳有明显摔痕，属人为损坏',
    });
    const sms = await smsFor(claimNumber);
    expect(sms.map((n) => n.dedupeKey.split(':')[2])).toEqual(['submitted', 'rejected']);
    expect(sms[1]?.body).toContain('外壳有明显摔痕，属人为损坏');
    // Nothing follows a rejection.
    expect((await act(claimNumber, 'repair', { repairCostFen: 1, outcome: 'repaired' })).statusCode).toBe(
      409,
    );
    expect((await act(claimNumber, 'close')).statusCode).toBe(409);
    await recordHistory(h.client, claimWorkflowId(claimNumber), 'claim-rejected');
  });

  it('refuses a repair that would take the approved costs past the retail price, and records the first', async () => {
    const order = await activeOrder();
    const first = await fileClaim(order);
    const second = await fileClaim(order, { coverageType: 'parts_labour', faultDescription: '无法充电' });
    for (const claimNumber of [first, second])
      expect((await act(claimNumber, 'decision', { decision: 'accept' })).statusCode).toBe(200);

    const recorded = await act(first, 'repair', {
      repairCostFen: 200_000,
      parts: '主板',
      outcome: 'repaired',
    });
    expect(recorded.statusCode, recorded.body).toBe(200);

    const over = await act(second, 'repair', {
      repairCostFen: 100_000,
      parts: '充电接口',
      outcome: 'repaired',
    });
    expect(over.statusCode, over.body).toBe(422);
    expect(over.json()).toMatchObject({
      error: 'claim_cap_exceeded',
      fields: [
        {
          field: 'repairCostFen',
          message: "exceeds the claim cap: ¥999.00 left of the product's retail price ¥2,999.00",
        },
      ],
    });
    expect(await claimOf(second)).toMatchObject({ status: 'accepted', repairCostFen: null, outcome: null });
    expect(await claimOf(first)).toMatchObject({ status: 'repaired', repairCostFen: 200_000 });
    expect(await h.client.workflow.getHandle(claimWorkflowId(second)).query('progress')).toMatchObject({
      status: 'accepted',
      busy: false,
    });

    // Exactly what is left still fits; then the cap is reached.
    const rest = await act(second, 'repair', {
      repairCostFen: 99_900,
      parts: '充电接口',
      outcome: 'repaired',
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json().cap).toEqual({ retailPriceFen: 299_900, approvedFen: 299_900, remainingFen: 0 });
    expect((await act(second, 'close')).statusCode).toBe(200);
    expect(await result(second)).toMatchObject({ status: 'closed' });
    await recordHistory(h.client, claimWorkflowId(second), 'claim-cap-refused');
  });

  it('caps repairs, and prints the cap, at the retail price the order was sold under after the product changes', async () => {
    // A manufacturer of its own, so its product may change without touching the other tests' plan.
    const own = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    const seller = own.editor.session;
    const order = await paidOrder(h, own.code);
    const productUrl = `/api/v1/products/${own.productId}`;
    const edited = await seller.request('PUT', productUrl, {
      ...PHONE_PRODUCT,
      name: '星河 X5 Pro',
      serialPattern: '^XP[0-9]{8}$',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    // The API refuses the retail price and base warranty while the plan is on sale: change them directly.
    await h.db.orm.em
      .fork()
      .nativeUpdate(MainProduct, { id: own.productId }, { retailPriceFen: 50_000, baseWarrantyMonths: 36 });

    const response = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${order.orderNumber}/claims?t=${order.token}`,
      payload: {
        faultDescription: '屏幕碎裂',
        faultDate: today(),
        contactPhone: '13987654321',
        coverageType: 'screen',
        idempotencyKey: crypto.randomUUID().replaceAll('-', ''),
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const { claimNumber } = response.json();
    const deskAct = (step: string, body: unknown) =>
      seller.request('POST', `/api/v1/claims/${claimNumber}/${step}`, body);
    expect((await deskAct('decision', { decision: 'accept' })).statusCode).toBe(200);
    // More than the product's price today, within the ¥2,999.00 it was sold under.
    const repaired = await deskAct('repair', {
      repairCostFen: 250_000,
      parts: '屏幕总成',
      outcome: 'repaired',
    });
    expect(repaired.statusCode, repaired.body).toBe(200);
    expect(repaired.json().cap).toEqual({
      retailPriceFen: 299_900,
      approvedFen: 250_000,
      remainingFen: 49_900,
    });
    expect(await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: order.orderNumber })).toMatchObject({
      productRetailPriceFen: 299_900,
      productBaseWarrantyMonths: 12,
      productSerialPattern: '^XH[0-9]{10}$',
    });

    const view = await h.app.inject({
      method: 'GET',
      url: `/api/v1/public/orders/${order.orderNumber}?t=${order.token}`,
    });
    expect(view.json()).toMatchObject({ claimCapFen: 299_900, claimCapCurrency: 'CNY' });
    const certificate = await h.app.inject({
      method: 'GET',
      url: `/o/${order.orderNumber}/certificate.pdf?t=${order.token}`,
    });
    expect(certificate.statusCode).toBe(200);
    const pdf = await openPdf(certificate.rawPayload);
    try {
      expect((await allPageTexts(pdf))[0]).toMatch(/Claim cap\s*¥2,999\.00/);
    } finally {
      await pdf.destroy();
    }
  });

  it('ends the plan when the unit is replaced', async () => {
    const order = await activeOrder();
    const claimNumber = await fileClaim(order, { coverageType: 'parts_labour' });
    expect((await act(claimNumber, 'decision', { decision: 'accept' })).statusCode).toBe(200);
    const replaced = await act(claimNumber, 'repair', { repairCostFen: 150_000, outcome: 'replaced' });
    expect(replaced.statusCode, replaced.body).toBe(200);
    expect(replaced.json().order.status).toBe('ended');

    const ended = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: order.orderNumber });
    expect(ended.status).toBe('ended');
    expect(ended.endedAt).toBeInstanceOf(Date);
    // An ended plan takes no new claims; the replaced claim can still be closed.
    const again = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${order.orderNumber}/claims?t=${order.token}`,
      payload: {
        faultDescription: '又坏了',
        faultDate: today(),
        contactPhone: '13987654321',
        coverageType: 'screen',
        idempotencyKey: crypto.randomUUID().replaceAll('-', ''),
      },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toMatch(/ended/);
    expect((await act(claimNumber, 'close')).statusCode).toBe(200);
    expect(await result(claimNumber)).toMatchObject({ status: 'closed' });
    const sms = await smsFor(claimNumber);
    expect(sms.find((n) => n.dedupeKey.endsWith(':repaired'))?.body).toContain('换新');
  });

  it('reminds the service desk when a claim waits too long for a decision and for its repair', async () => {
    const saved = h.config.claims;
    h.config.claims = { decisionSla: '2 seconds', repairSla: '2 seconds' };
    try {
      // A deactivated approver is no longer the desk: no reminders for them.
      const gone = await addUser(desk, ['approver'], () => new ApiSession(h.app));
      expect(
        (await desk.request('POST', `/api/v1/manufacturer/users/${gone.id}/deactivate`)).statusCode,
      ).toBe(200);
      const order = await activeOrder();
      const claimNumber = await fileClaim(order);
      const handle = h.client.workflow.getHandle(claimWorkflowId(claimNumber));
      const waitFor = async (check: () => Promise<boolean>, what: string) => {
        const deadline = Date.now() + 20_000;
        while (!(await check())) {
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      };
      await waitFor(async () => (await claimOf(claimNumber)).slaRemindersSent >= 1, 'the decision reminder');
      const emails = h.delivered.filter((m) => m.channel === 'email' && m.subject.includes(claimNumber));
      expect(emails.length).toBeGreaterThanOrEqual(1);
      // Every approver and admin of the manufacturer is reminded.
      expect(emails.map((m) => m.recipient)).toContain(plan.editor.email);
      expect(emails.map((m) => m.recipient)).not.toContain(gone.email);
      // In the manufacturer's language (zh-CN here), the SLA in words.
      expect(emails[0]?.body).toContain('等待受理或拒绝已超过 2 秒（第 1 次提醒）');
      expect(emails[0]?.body).toContain(`/portal/claims.html?claim=${claimNumber}`);

      expect((await act(claimNumber, 'decision', { decision: 'accept' })).statusCode).toBe(200);
      const afterDecision = (await claimOf(claimNumber)).slaRemindersSent;
      await waitFor(
        async () => (await claimOf(claimNumber)).slaRemindersSent > afterDecision,
        'the repair reminder',
      );
      expect(
        h.delivered.some(
          (m) =>
            m.channel === 'email' &&
            m.subject.includes(claimNumber) &&
            /已受理，等待登记维修结果已超过/.test(m.body),
        ),
      ).toBe(true);
      // One outbox row per reminder and recipient: retries never send twice.
      const rows = await h.db.orm.em
        .fork()
        .find(Notification, { dedupeKey: { $like: `claim-sla:${claimNumber}:%` } });
      expect(new Set(rows.map((r) => r.dedupeKey)).size).toBe(rows.length);

      expect(
        (await act(claimNumber, 'repair', { repairCostFen: 0, outcome: 'no_fault_found' })).statusCode,
      ).toBe(200);
      expect((await act(claimNumber, 'close')).statusCode).toBe(200);
      const done = await handle.result();
      expect(done.status).toBe('closed');
      expect(done.remindersSent).toBeGreaterThanOrEqual(2);
      expect((await claimOf(claimNumber)).slaRemindersSent).toBe(done.remindersSent);
      await recordHistory(h.client, claimWorkflowId(claimNumber), 'claim-sla-reminded');
    } finally {
      h.config.claims = saved;
    }
  });
});
