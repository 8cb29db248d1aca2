/**
 * A published plan after publication (issue 14 §3) over real HTTP, PostgreSQL and Temporal:
 * stopping and resuming sale (roles, idempotency, the record of who and when, the consumer's
 * QR page in both languages, a payment under way that still completes), and a new version
 * through the same review as a new plan (same QR code, field-level 4xx, one open version per
 * plan, retries answered with the same draft) while orders keep the version they bought.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlanCreationActivities } from '../../activities/plan-creation.activities.ts';
import { Order, PlanDraft, PlanSaleEvent, PlanVersion } from '../../src/domain/entities/index.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { addUser, PHONE_DRAFT, pickSelection, waitForStage } from '../helpers/plan-fixtures.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { activeOrder, pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

describe('stopping, resuming and versioning a plan', () => {
  let h: Harness;
  let seller: Awaited<ReturnType<typeof publishedPlan>>;
  let approver: Awaited<ReturnType<typeof addUser>>;
  let editorOnly: Awaited<ReturnType<typeof addUser>>;
  let other: Awaited<ReturnType<typeof signUp>>;

  const plan = async () => {
    const response = await seller.editor.session.request('GET', `/api/v1/plans/${seller.planId}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json();
  };
  const landing = (lang: 'zh' | 'en') => fetch(`${h.config.publicBaseUrl}/w/${seller.code}?lang=${lang}`);

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    seller = await publishedPlan(h);
    approver = await addUser(seller.editor.session, ['approver'], () => new ApiSession(h.app));
    editorOnly = await addUser(seller.editor.session, ['editor'], () => new ApiSession(h.app));
    other = await signUp(h.app, 'Other');
  });
  afterAll(() => h?.close());

  it('lets approvers and admins stop and resume selling, not editors or other manufacturers', async () => {
    const byEditor = await editorOnly.session.request('POST', `/api/v1/plans/${seller.planId}/stop`);
    expect(byEditor.statusCode).toBe(403);
    const byStranger = await other.session.request('POST', `/api/v1/plans/${seller.planId}/stop`);
    expect(byStranger.statusCode).toBe(404);
    const badId = await approver.session.request('POST', '/api/v1/plans/not-a-uuid/stop');
    expect(badId.statusCode).toBe(400);
    expect(badId.json().fields.map((f: { field: string }) => f.field)).toContain('params.id');
    expect((await plan()).status).toBe('on_sale');
    expect(await h.db.orm.em.fork().count(PlanSaleEvent, { plan: seller.planId })).toBe(0);
  });

  it('stops once however often it is asked, says so on the QR page, and lets a payment under way complete', async () => {
    // A consumer has started paying before the plan stops.
    const placed = await register(h, registration(seller.code));

    for (let i = 0; i < 2; i++) {
      const stopped = await approver.session.request('POST', `/api/v1/plans/${seller.planId}/stop`);
      expect(stopped.statusCode, stopped.body).toBe(200);
      expect(stopped.json().status).toBe('retired');
    }
    const { saleEvents } = await plan();
    expect(saleEvents).toEqual([
      { action: 'stopped', userId: approver.id, userName: 'approver', at: expect.any(String) },
    ]);

    const zh = await landing('zh');
    expect(zh.status).toBe(410);
    const zhText = await zh.text();
    expect(zhText).toContain('该方案已停止销售');
    expect(zhText).toContain('已购买的延保不受影响');
    const en = await landing('en');
    expect(en.status).toBe(410);
    expect(await en.text()).toContain('Cover you have already bought is unaffected');

    // No new order …
    const refused = await h.app.inject({
      method: 'POST',
      url: '/api/v1/public/orders',
      payload: registration(seller.code),
    });
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.json().error).toBe('not_on_sale');

    // … but the one being paid for completes.
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    const order = await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    expect(order.status).toBe('active');
  });

  it('resumes once, records who and when, and sells again at once', async () => {
    for (let i = 0; i < 2; i++) {
      const resumed = await seller.editor.session.request('POST', `/api/v1/plans/${seller.planId}/resume`);
      expect(resumed.statusCode, resumed.body).toBe(200);
      expect(resumed.json().status).toBe('on_sale');
    }
    const { saleEvents } = await plan();
    expect(saleEvents.map((e: { action: string; userId: string }) => [e.action, e.userId])).toEqual([
      ['resumed', seller.editor.me.user.id],
      ['stopped', approver.id],
    ]);
    expect((await landing('zh')).status).toBe(200);

    // The auditor reads the same record across manufacturers.
    const auditor = await platformUser(h, 'auditor');
    const record = await auditor.request('GET', `/api/v1/audit/plan-sale-events?planId=${seller.planId}`);
    expect(record.statusCode, record.body).toBe(200);
    expect(record.json()).toMatchObject({
      total: 2,
      items: [
        { action: 'resumed', planCode: seller.code, userEmail: seller.editor.email },
        { action: 'stopped', planCode: seller.code, userEmail: approver.email },
      ],
    });
    expect((await seller.editor.session.request('GET', '/api/v1/audit/plan-sale-events')).statusCode).toBe(
      403,
    );
  });

  it('refuses bad terms for a new version field by field, and other roles and manufacturers', async () => {
    const url = `/api/v1/plans/${seller.planId}/versions`;
    const bad: [Record<string, unknown>, string][] = [
      [{ priceFen: 19.9 }, 'priceFen'],
      [{ priceFen: 99_999_999 }, 'priceFen'],
      [{ termMonths: 0 }, 'termMonths'],
      [{ coverageStartRule: { kind: 'waiting_days' } }, 'coverageStartRule.days'],
      [{ coverageTypes: ['exclusions'] }, 'coverageTypes'],
    ];
    for (const [body, field] of bad) {
      const response = await seller.editor.session.request('POST', url, body);
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect((await approver.session.request('POST', url, { priceFen: 25_900 })).statusCode).toBe(403);
    expect((await other.session.request('POST', url, { priceFen: 25_900 })).statusCode).toBe(404);
    expect(await h.db.orm.em.fork().count(PlanDraft, { revisesPlan: seller.planId })).toBe(0);
  });

  it('publishes a new version through review under the same code; orders keep the version they bought', async () => {
    const before = await activeOrder(h, seller.code);
    const url = `/api/v1/plans/${seller.planId}/versions`;

    // A double click and a retry: one draft.
    const [first, second] = await Promise.all([
      seller.editor.session.request('POST', url, { priceFen: 25_900, termMonths: 12 }),
      seller.editor.session.request('POST', url, { priceFen: 25_900, termMonths: 12 }),
    ]);
    expect([first.statusCode, second.statusCode].sort()).toEqual([200, 201]);
    const draft = first.json();
    expect(second.json().id).toBe(draft.id);
    expect(draft).toMatchObject({
      revisesPlanId: seller.planId,
      productId: seller.productId,
      nameZh: PHONE_DRAFT.nameZh,
      priceFen: 25_900,
      termMonths: 12,
      purchaseWindowDays: PHONE_DRAFT.purchaseWindowDays,
      coverageTypes: PHONE_DRAFT.coverageTypes,
    });
    const retried = await seller.editor.session.request('POST', url, { priceFen: 25_900, termMonths: 12 });
    expect(retried.statusCode).toBe(200);
    expect(retried.json().id).toBe(draft.id);
    // Different terms while one is open: a 409 naming the open draft.
    const clash = await seller.editor.session.request('POST', url, { priceFen: 24_900 });
    expect(clash.statusCode, clash.body).toBe(409);
    expect(clash.json().params).toMatchObject({ draftId: draft.id });
    expect((await plan()).openVersionDraftId).toBe(draft.id);

    // The same review as a new plan: selection by an editor, approval by someone else.
    const { suggestions } = await waitForStage(seller.editor.session, draft.id, 'awaiting_selection');
    const selected = await seller.editor.session.request(
      'POST',
      `/api/v1/plan-drafts/${draft.id}/selection`,
      {
        clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
      },
    );
    expect(selected.statusCode, selected.body).toBe(200);
    expect((await plan()).currentVersion).toBe(1);
    const approved = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const published = await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result();
    expect(published).toMatchObject({ planId: seller.planId, code: seller.code, version: 2 });

    const after = await plan();
    expect(after).toMatchObject({ code: seller.code, currentVersion: 2, openVersionDraftId: null });
    expect(after.versions.map((v: { version: number; priceFen: number }) => [v.version, v.priceFen])).toEqual(
      [
        [2, 25_900],
        [1, PHONE_DRAFT.priceFen],
      ],
    );
    expect(after.versions[0].draftId).toBe(draft.id);
    expect(after.documents.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'label_pdf',
      'qr_png',
      'qr_svg',
    ]);

    // A retried publication finds the version instead of making a third.
    const activities = createPlanCreationActivities({
      orm: h.db.orm,
      publicBaseUrl: h.config.publicBaseUrl,
      notifications: h.notifications,
    });
    expect(await activities.publishPlan(draft.id, approver.id)).toEqual(published);
    expect(await h.db.orm.em.fork().count(PlanVersion, { plan: seller.planId })).toBe(2);

    // New buyers get version 2 at its price; the earlier order keeps version 1. (The worker's
    // publication reaches this process's landing cache within its TTL; not waited for here.)
    h.app.landingCache.invalidate();
    const landed = await fetch(`${h.config.publicBaseUrl}/w/${seller.code}`);
    expect(landed.status).toBe(200);
    expect(await landed.text()).toContain('¥259.00');
    const later = await activeOrder(h, seller.code);
    const detail = async (orderNumber: string) => {
      const response = await seller.editor.session.request('GET', `/api/v1/orders/${orderNumber}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json();
    };
    expect((await detail(before.orderNumber)).planVersion).toMatchObject({
      version: 1,
      priceFen: PHONE_DRAFT.priceFen,
    });
    expect((await detail(later.orderNumber)).planVersion).toMatchObject({ version: 2, priceFen: 25_900 });
    const listed = await seller.editor.session.request('GET', `/api/v1/orders?planId=${seller.planId}`);
    expect(listed.statusCode, listed.body).toBe(200);
    const versionOf = new Map(
      listed
        .json()
        .items.map((i: { orderNumber: string; planVersion: number }) => [i.orderNumber, i.planVersion]),
    );
    expect(versionOf.get(before.orderNumber)).toBe(1);
    expect(versionOf.get(later.orderNumber)).toBe(2);

    // The next version can be opened now that this one is published.
    const next = await seller.editor.session.request('POST', url, { priceFen: 24_900 });
    expect(next.statusCode, next.body).toBe(201);
  });
});
