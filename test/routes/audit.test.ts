/**
 * The auditor's API against the real system: the workflow list from Temporal
 * visibility (filters, injection-proof values, pages), a purchase told as a
 * business timeline (provider and event id of the payment) and as raw JSON,
 * and the reconciliation report, clean and with unexplained rows flagged.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskSerial } from '../../src/domain/cover-status.ts';
import { addDays, chinaDate, daysBetween } from '../../src/domain/coverage.ts';
import {
  Cancellation,
  Claim,
  Order,
  Payment,
  PaymentEvent,
  Plan,
  Refund,
} from '../../src/domain/entities/index.ts';
import { orderAccessToken, purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { historyFromJSON } from '../../src/temporal/history-json.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import type { StatsRollupWorkflow } from '../../workflows/stats-rollup.workflow.ts';
import { type ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

describe('audit API', () => {
  let h: Harness;
  let auditor: ApiSession;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let manufacturerId: string;
  let paidOrder: string;
  let paidSerial: string;

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    h.config.temporal.webUiUrl = 'http://temporal-ui.test:8233';
    auditor = await platformUser(h, 'auditor');
    plan = await publishedPlan(h);
    manufacturerId = plan.editor.me.manufacturer.id;
    const bought = registration(plan.code);
    const placed = await register(h, bought);
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    paidOrder = placed.orderNumber;
    paidSerial = bought.serialNumber;
  });
  afterAll(() => h?.close());

  const list = async (query: Record<string, string | number>) => {
    const response = await auditor.request(
      'GET',
      `/api/v1/audit/workflows?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]))}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      query: string;
      items: {
        workflowId: string;
        runId: string;
        type: string;
        status: string;
        manufacturer: { id: string; name: string } | null;
        plan: { code: string } | null;
        orderNumber: string | null;
        businessStatus: string | null;
        temporalUiUrl: string | null;
      }[];
      total: number;
      nextPageToken: string | null;
    };
  };

  it('shows a manufacturer the business timeline of its own workflows only, with no way into the Temporal UI', async () => {
    const url = (workflowId: string) => `/api/v1/workflows/${encodeURIComponent(workflowId)}/timeline`;
    const own = await plan.editor.session.request('GET', url(purchaseWorkflowId(paidOrder)));
    expect(own.statusCode, own.body).toBe(200);
    const { workflow, steps } = own.json() as {
      workflow: { type: string; orderNumber: string | null };
      steps: { kind: string; textZh: string; textEn: string }[];
    };
    expect(workflow).toMatchObject({ type: 'PurchaseWorkflow', orderNumber: paidOrder });
    expect(steps.map((step) => step.textEn).join('\n')).toMatch(/paid|payment/i);
    // The auditor's extras stay with the auditor: no raw history, no Temporal UI (it shows every tenant).
    expect(own.body).not.toMatch(/temporal-ui\.test|rawHistoryUrl|temporalUiUrl/);
    expect(
      (await plan.editor.session.request('GET', url(planDraftWorkflowId(plan.draftId)))).statusCode,
    ).toBe(200);
    const draft = await plan.editor.session.request('GET', `/api/v1/plan-drafts/${plan.draftId}`);
    expect(draft.json()).not.toHaveProperty('temporalUiUrl');

    // Another manufacturer, and a workflow nobody started, are the same 404.
    const other = await signUp(h.app, 'Nosy');
    const theirs = await other.session.request('GET', url(purchaseWorkflowId(paidOrder)));
    const nobody = await other.session.request('GET', url(purchaseWorkflowId('YB00000000000000')));
    expect([theirs.statusCode, nobody.statusCode]).toEqual([404, 404]);
    expect(theirs.json().code).toBe(nobody.json().code);
  });

  it('lists workflows from visibility, filtered by order, type, status, manufacturer, plan and time', async () => {
    // Visibility is eventually consistent: the closed purchase shows up shortly after it finished.
    await expect
      .poll(async () => (await list({ orderNumber: paidOrder })).items.map((w) => w.status), {
        timeout: 10_000,
      })
      .toEqual(['completed']);
    const byOrder = await list({ orderNumber: paidOrder });
    expect(byOrder.query).toContain(`YanbaoOrderNumber = "${paidOrder}"`);
    expect(byOrder.items[0]).toMatchObject({
      workflowId: purchaseWorkflowId(paidOrder),
      type: 'PurchaseWorkflow',
      businessStatus: 'completed',
      orderNumber: paidOrder,
      manufacturer: { id: manufacturerId, name: 'Seller 电器有限公司' },
      plan: { code: plan.code },
    });
    expect(byOrder.items[0]?.temporalUiUrl).toBe(
      `http://temporal-ui.test:8233/namespaces/default/workflows/${purchaseWorkflowId(paidOrder)}/${byOrder.items[0]?.runId}/history`,
    );

    const mine = await list({ manufacturerId });
    expect(mine.items.map((w) => w.type).sort()).toEqual(['PlanCreationWorkflow', 'PurchaseWorkflow']);
    expect(mine.total).toBe(2);
    const plans = await list({ manufacturerId, type: 'PlanCreationWorkflow', status: 'completed' });
    const { draft } = await h.db.orm.em.fork().findOneOrFail(Plan, { id: plan.planId });
    expect(plans.items.map((w) => w.workflowId)).toEqual([planDraftWorkflowId(draft)]);
    expect((await list({ planId: plan.planId, type: 'PurchaseWorkflow' })).items).toHaveLength(1);
    expect((await list({ manufacturerId, status: 'running' })).items).toHaveLength(0);
    expect((await list({ manufacturerId, businessStatus: 'published' })).items).toHaveLength(1);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
    const anHourAgo = new Date(Date.now() - 3_600_000).toISOString();
    expect((await list({ manufacturerId, from: tomorrow })).total).toBe(0);
    expect((await list({ manufacturerId, from: anHourAgo, to: tomorrow })).total).toBe(2);
  });

  it('refuses filter values that could become query syntax, with field-level 400s', async () => {
    const cases: [string, string][] = [
      ['orderNumber=YB" OR WorkflowType != "x', 'orderNumber'],
      ['manufacturerId=1" OR 1=1', 'manufacturerId'],
      ['type=NoSuchWorkflow', 'type'],
      ['status=Running', 'status'],
      ['businessStatus=a"b', 'businessStatus'],
      ['from=yesterday', 'from'],
      ['pageSize=1000', 'pageSize'],
      ['pageToken=not a token', 'pageToken'],
    ];
    for (const [query, field] of cases) {
      const response = await auditor.request('GET', `/api/v1/audit/workflows?${encodeURI(query)}`);
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().fields.map((f: { field: string }) => f.field),
        query,
      ).toContain(`querystring.${field}`);
    }
    // Tokens are signed and bound to their query: a forged one, or one taken to another filter, is refused.
    const forged = await auditor.request('GET', `/api/v1/audit/workflows?pageToken=AAAA.${'A'.repeat(43)}`);
    expect(forged.statusCode, forged.body).toBe(400);
    expect(forged.json().fields[0].field).toBe('querystring.pageToken');
    const first = await list({ pageSize: 1 });
    expect(first.nextPageToken).toMatch(/^[\w-]+\.[\w-]{43}$/);
    const elsewhere = await auditor.request(
      'GET',
      `/api/v1/audit/workflows?pageSize=1&type=PurchaseWorkflow&pageToken=${first.nextPageToken}`,
    );
    expect(elsewhere.statusCode).toBe(400);
    const backwards = await auditor.request(
      'GET',
      `/api/v1/audit/workflows?from=${new Date().toISOString()}&to=${new Date(Date.now() - 1000).toISOString()}`,
    );
    expect(backwards.statusCode).toBe(400);
  });

  it('pages through the list with nextPageToken, without gaps or repeats', async () => {
    const placed = await Promise.all([1, 2, 3].map(() => register(h, registration(plan.code))));
    await expect.poll(async () => (await list({ manufacturerId })).total, { timeout: 10_000 }).toBe(5);
    const seen: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const page = await list({ manufacturerId, pageSize: 2, ...(token ? { pageToken: token } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((w) => w.workflowId));
      token = page.nextPageToken;
      pages++;
    } while (token && pages < 10);
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toHaveLength(5);
    for (const p of placed) expect(seen).toContain(purchaseWorkflowId(p.orderNumber));
    const running = await list({ manufacturerId, status: 'running', type: 'PurchaseWorkflow' });
    expect(running.items.map((w) => w.businessStatus)).toEqual([
      'awaiting_payment',
      'awaiting_payment',
      'awaiting_payment',
    ]);
  });

  it('tells a purchase as business steps: registration, the payment with its provider and event id, the order recorded', async () => {
    const response = await auditor.request('GET', `/api/v1/audit/workflows/${purchaseWorkflowId(paidOrder)}`);
    expect(response.statusCode, response.body).toBe(200);
    const { workflow, steps, rawHistoryUrl } = response.json();
    expect(workflow).toMatchObject({
      type: 'PurchaseWorkflow',
      status: 'completed',
      orderNumber: paidOrder,
      manufacturer: { name: 'Seller 电器有限公司' },
      plan: { code: plan.code },
      taskQueue: h.config.temporal.taskQueue,
    });
    expect(workflow.durationMs).toBeGreaterThan(0);
    const event = await h.db.orm.em.fork().findOneOrFail(PaymentEvent, { orderNumber: paidOrder });
    const codes = steps.map((s: { step: string }) => s.step);
    expect(codes).toEqual(
      expect.arrayContaining([
        'workflow.started',
        'update.register',
        'activity.registerPurchase',
        'signal.payment',
        'activity.recordPaidOrder',
        'activity.sendOrderConfirmation',
        'workflow.completed',
      ]),
    );
    // In the order they happened.
    expect(codes.indexOf('signal.payment')).toBeLessThan(codes.indexOf('activity.recordPaidOrder'));
    const payment = steps.find((s: { step: string }) => s.step === 'signal.payment');
    expect(payment.textEn).toContain('Payment received from Simulated payment (sandbox)');
    expect(payment.textEn).toContain(`event id ${event.providerEventId}`);
    expect(payment.textZh).toContain(`事件编号 ${event.providerEventId}`);
    expect(payment.details).toMatchObject({
      provider: 'sandbox',
      eventId: event.providerEventId,
      kind: 'captured',
    });
    const recorded = steps.find((s: { step: string }) => s.step === 'activity.recordPaidOrder');
    expect(recorded).toMatchObject({ outcome: 'done', attempts: 1 });
    expect(recorded.textEn).toContain('Order recorded');
    expect(recorded.durationMs).toBeGreaterThanOrEqual(0);
    expect(steps.find((s: { step: string }) => s.step === 'activity.registerPurchase').textEn).toBe(
      `Order ${paidOrder} registered and payment created at the provider (Waiting for payment)`,
    );
    // The registration names the plan (from the database) and the unit by its masked serial.
    const bought = await h.db.orm.em.fork().findOneOrFail(Plan, { code: plan.code });
    expect(steps.find((s: { step: string }) => s.step === 'update.register').textEn).toBe(
      `Consumer registered unit ${maskSerial(paidSerial)} for ${bought.nameEn} (${plan.code}) and chose to pay with Simulated payment (sandbox)`,
    );
    // No personal data in the words.
    const words = JSON.stringify(steps);
    expect(words).not.toContain('张三');
    expect(words).not.toContain('13912345678');
    expect(words).not.toContain(paidSerial);
    expect(rawHistoryUrl).toContain(
      `/api/v1/audit/workflows/${purchaseWorkflowId(paidOrder)}/history?runId=`,
    );
  });

  it('names who created the draft, who submitted and who approved in a plan-creation timeline', async () => {
    const listed = await list({ manufacturerId, type: 'PlanCreationWorkflow' });
    const response = await auditor.request('GET', `/api/v1/audit/workflows/${listed.items[0]?.workflowId}`);
    expect(response.statusCode, response.body).toBe(200);
    const steps = response.json().steps as { step: string; textEn: string; actorName: string | null }[];
    expect(steps.find((s) => s.step === 'workflow.started')?.textEn).toMatch(
      /^Plan draft [0-9a-f-]{36}, created by Seller Admin, entered plan creation$/,
    );
    const submitted = steps.find((s) => s.step === 'update.submitSelection');
    expect(submitted?.actorName).toBe('Seller Admin');
    expect(submitted?.textEn).toMatch(
      /^Clause selection submitted: \d+ library clause\(s\), 0 custom \(by Seller Admin\)$/,
    );
    const approved = steps.find((s) => s.step === 'update.review');
    expect(approved?.actorName).toBe('approver');
    expect(approved?.textEn).toBe('Approved (by approver)');
    expect(steps.find((s) => s.step === 'activity.publishPlan')?.textEn).toBe(
      `Plan published: code ${plan.code}, version 1`,
    );
  });

  it('serves the raw history as JSON for download, and 404 for a workflow nobody started', async () => {
    const response = await auditor.request(
      'GET',
      `/api/v1/audit/workflows/${purchaseWorkflowId(paidOrder)}/history`,
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="purchase-YB[A-Z2-9]{14}_[0-9a-f-]{36}\.history\.json"$/,
    );
    const history = historyFromJSON(response.json());
    expect(history.events?.length).toBeGreaterThan(10);
    expect(response.body).toMatch(/"signalName": ?"payment"/);
    expect(
      (await auditor.request('GET', '/api/v1/audit/workflows/purchase-YBAAAAAAAAAAAAAA')).statusCode,
    ).toBe(404);
    expect(
      (await auditor.request('GET', '/api/v1/audit/workflows/purchase-YBAAAAAAAAAAAAAA/history')).statusCode,
    ).toBe(404);
    expect(
      (await auditor.request('GET', `/api/v1/audit/workflows/${encodeURIComponent('a"b')}`)).statusCode,
    ).toBe(400);
  });

  it('is for platform staff only', async () => {
    for (const url of ['/api/v1/audit/workflows', '/api/v1/audit/reconciliation', '/api/v1/audit/filters']) {
      expect((await plan.editor.session.request('GET', url)).statusCode, url).toBe(403);
      expect((await h.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
  });

  type Report = {
    summary: { payments: number; refunds: number; flagged: number; totals: { capturedFen: number }[] };
    rows: {
      kind: string;
      result: string;
      flagged: boolean;
      orderNumber: string;
      reference: string | null;
      id: string;
    }[];
    total: number;
  };
  const report = async (query = '') => {
    const response = await auditor.request(
      'GET',
      `/api/v1/audit/reconciliation?manufacturerId=${manufacturerId}${query}`,
    );
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as Report;
  };

  it('reconciles a clean ledger: the captured payment matches its order, nothing flagged', async () => {
    const clean = await report();
    expect(clean.summary).toMatchObject({ payments: 1, refunds: 0, flagged: 0 });
    expect(clean.summary.totals[0]?.capturedFen).toBe(29_900);
    const event = await h.db.orm.em.fork().findOneOrFail(PaymentEvent, { orderNumber: paidOrder });
    expect(clean.rows).toEqual([
      expect.objectContaining({
        kind: 'payment',
        result: 'matched',
        flagged: false,
        orderNumber: paidOrder,
        reference: event.providerEventId,
      }),
    ]);
    const today = chinaDate(new Date());
    expect((await report(`&from=2020-01-01&to=2020-01-31`)).total).toBe(0);
    expect((await report(`&from=2020-01-01&to=${today}`)).total).toBeGreaterThanOrEqual(1);
    const backwards = await auditor.request(
      'GET',
      '/api/v1/audit/reconciliation?from=2026-02-02&to=2026-02-01',
    );
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().fields[0].field).toBe('querystring.to');
  });

  it('flags unexplained rows: a capture without an order, a duplicate capture, a refund without matching state', async () => {
    const em = h.db.orm.em.fork();
    const paid = await em.findOneOrFail(Order, { orderNumber: paidOrder });
    const pending = await em.findOneOrFail(
      Order,
      { manufacturer: manufacturerId, status: 'pending_payment' },
      { orderBy: { createdAt: 'asc' } },
    );
    const captured = (order: { id: string; amountFen: number }) =>
      em.create(Payment, {
        id: randomUUID(),
        order: order.id,
        provider: 'sandbox',
        providerPaymentId: `forged-${randomUUID()}`,
        payUrl: 'https://example.invalid/pay',
        amountFen: order.amountFen,
        currency: 'CNY',
        status: 'captured',
        capturedAt: new Date(),
      });
    const orphan = captured(pending);
    const duplicate = captured(paid);
    // A cancellation refund for an order that was never cancelled.
    const original = await em.findOneOrFail(Payment, {
      order: paid.id,
      status: 'captured',
      id: { $ne: duplicate.id },
    });
    em.create(Refund, {
      id: randomUUID(),
      payment: original.id,
      reason: 'cancellation',
      amountFen: 10_000,
      currency: 'CNY',
      providerRefundId: 'refund-forged',
    });
    // The provider says it captured a payment that never reached the books (older than the grace period).
    const old = new Date(Date.now() - 3_600_000);
    em.create(PaymentEvent, {
      provider: 'sandbox',
      providerEventId: `captured-lost-${randomUUID()}`,
      providerPaymentId: 'never-recorded',
      orderNumber: pending.orderNumber,
      kind: 'captured',
      amountFen: pending.amountFen,
      currency: 'CNY',
      rawBody: '{}',
      createdAt: old,
      updatedAt: old,
    });
    await em.flush();

    const broken = await report();
    const flagged = broken.rows.filter((r) => r.flagged);
    expect(broken.summary.flagged).toBe(flagged.length);
    expect(flagged.find((r) => r.id === orphan.id)?.result).toBe('captured_without_order');
    expect(flagged.find((r) => r.id === duplicate.id)?.result).toBe('duplicate_capture');
    expect(flagged.find((r) => r.id === original.id)?.result).toBe('duplicate_capture');
    expect(flagged.find((r) => r.kind === 'refund')?.result).toBe('refund_without_matching_state');
    expect(flagged.find((r) => r.kind === 'event')).toMatchObject({
      result: 'capture_not_recorded',
      orderNumber: pending.orderNumber,
    });
    expect(flagged).toHaveLength(5);
    const only = await report('&flaggedOnly=true');
    expect(only.rows.every((r) => r.flagged)).toBe(true);
    expect(only.total).toBe(5);

    // An expired order whose late payment was refunded is explained, not flagged.
    pending.status = 'expired';
    orphan.status = 'refunded';
    em.create(Refund, {
      id: randomUUID(),
      payment: orphan.id,
      reason: 'late_payment',
      amountFen: orphan.amountFen,
      currency: 'CNY',
      providerRefundId: 'refund-late',
    });
    await em.flush();
    const explained = await report();
    expect(explained.rows.find((r) => r.id === orphan.id)).toMatchObject({
      result: 'late_payment_refunded',
      flagged: false,
    });
    expect(
      explained.rows
        .filter((r) => r.kind === 'refund')
        .map((r) => r.result)
        .sort(),
    ).toEqual(['late_payment_refunded', 'refund_without_matching_state']);

    const csv = await auditor.request(
      'GET',
      `/api/v1/audit/reconciliation.csv?manufacturerId=${manufacturerId}&flaggedOnly=true`,
    );
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.headers['content-disposition']).toContain('attachment; filename="yanbao-reconciliation-');
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'at,kind,result,flagged,orderNumber,orderStatus,manufacturerId,manufacturerName,provider,providerPaymentId,reference,reason,amountFen,currency,providerStatus,id',
    );
    expect(lines).toHaveLength(1 + 4);
    expect(lines.some((l) => l.includes(',duplicate_capture,true,') && l.includes(duplicate.id))).toBe(true);
    expect(lines.some((l) => l.includes(',capture_not_recorded,true,'))).toBe(true);
  });

  it('explains a real cancellation: its timeline in words, its refund matched to the cancelled order', async () => {
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    const token = orderAccessToken(placed.orderNumber, h.config.linkSecret);
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${placed.orderNumber}/cancellation?t=${token}`,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(202);
    const workflowId = `cancellation-${placed.orderNumber}`;
    await h.client.workflow.getHandle(workflowId).result();

    const response = await auditor.request('GET', `/api/v1/audit/workflows/${workflowId}`);
    expect(response.statusCode, response.body).toBe(200);
    const steps = response.json().steps as { step: string; textEn: string }[];
    const text = (step: string) => steps.find((s) => s.step === step)?.textEn;
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    expect(text('activity.recordCancellation')).toBe(
      `Cancellation recorded: paid ¥299.00; inside the cooling-off period (until ${addDays(chinaDate(order.paidAt as Date), 30)}) with no repair requested, full refund ¥299.00`,
    );
    const refund = await h.db.orm.em
      .fork()
      .findOneOrFail(Refund, { reason: 'cancellation', providerRefundId: { $ne: 'refund-forged' } });
    expect(text('activity.refundCancellation')).toBe(
      `Refund sent through the provider: refund id ${refund.providerRefundId}`,
    );
    expect(text('activity.completeCancellation')).toBe('Order cancelled, refund settled');

    const rows = (await report()).rows.filter((r) => r.orderNumber === placed.orderNumber);
    expect(rows.map((r) => [r.kind, r.result, r.flagged]).sort()).toEqual([
      ['payment', 'matched', false],
      ['refund', 'cancellation_refunded', false],
    ]);
  });

  it('states the refund basis of a cooling-off cancellation with an approved repair deducted (paid 29900, deducted 12050)', async () => {
    const placed = await register(h, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    const em = h.db.orm.em.fork();
    const order = await em.findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const claimNumber = `CL${randomUUID().slice(0, 12).toUpperCase()}`;
    em.create(Claim, {
      claimNumber,
      order: order.id,
      manufacturer: order.manufacturer,
      faultDescription: 'screen flickers',
      faultDate: chinaDate(new Date()),
      contactPhone: order.consumerPhone,
      coverageType: 'parts_labour',
      status: 'closed',
      repairCostFen: 12_050,
      workflowId: `claim-${claimNumber}`,
    });
    await em.flush();
    const token = orderAccessToken(placed.orderNumber, h.config.linkSecret);
    const cancelled = await h.app.inject({
      method: 'POST',
      url: `/api/v1/public/orders/${placed.orderNumber}/cancellation?t=${token}`,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(202);
    const workflowId = `cancellation-${placed.orderNumber}`;
    await h.client.workflow.getHandle(workflowId).result();

    const response = await auditor.request('GET', `/api/v1/audit/workflows/${workflowId}`);
    const step = (response.json().steps as { step: string; textZh: string; textEn: string }[]).find(
      (s) => s.step === 'activity.recordCancellation',
    );
    const start = order.coverageStart as string;
    const end = order.coverageEnd as string;
    const total = daysBetween(start, end) + 1;
    const remaining = Math.min(total, daysBetween(chinaDate(new Date()), end) + 1);
    const proRated = Math.floor((29_900 * remaining) / total);
    const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
    const ends = addDays(chinaDate(order.paidAt as Date), 30);
    const cancellation = await h.db.orm.em.fork().findOneOrFail(Cancellation, { order: order.id });
    expect(cancellation.refundFen).toBe(proRated - 12_050);
    expect(step?.textEn).toBe(
      `Cancellation recorded: paid ¥299.00; inside the cooling-off period (until ${ends}) but a repair was requested, so pro-rated: floor(¥299.00 × ${remaining}/${total} days) = ${yuan(proRated)}; approved repairs ¥120.50 deducted; refund ${yuan(proRated)} − ¥120.50 = ${yuan(proRated - 12_050)}`,
    );
    expect(step?.textZh).toBe(
      `退保已记录：支付 ¥299.00；冷静期内（至 ${ends}）但已有报修，按剩余保障天数折算：⌊¥299.00 × ${remaining}/${total} 天⌋ = ${yuan(proRated)}；扣除已批准维修 ¥120.50；退款 ${yuan(proRated)} − ¥120.50 = ${yuan(proRated - 12_050)}`,
    );
  });

  it('leaves the scheduled roll-ups out of the list unless their type is asked for', async () => {
    const rollup = await h.client.workflow.start<typeof StatsRollupWorkflow>('StatsRollupWorkflow', {
      taskQueue: h.config.temporal.taskQueue,
      workflowId: `stats-rollup-${randomUUID()}`,
      args: [{ recentDays: 1 }],
    });
    await rollup.result();
    await expect
      .poll(async () => (await list({ type: 'StatsRollupWorkflow' })).items.map((w) => w.workflowId), {
        timeout: 10_000,
      })
      .toEqual([rollup.workflowId]);
    const everything = await list({});
    expect(everything.query).toContain('WorkflowType != "StatsRollupWorkflow"');
    const types = new Set(everything.items.map((w) => w.type));
    expect(types).not.toContain('StatsRollupWorkflow');
    expect(types).toContain('PurchaseWorkflow');
    const filters = (await auditor.request('GET', '/api/v1/audit/filters')).json();
    expect(filters.scheduledWorkflowTypes).toEqual(['StatsRollupWorkflow']);
  });
});
