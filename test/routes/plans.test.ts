/**
 * Plan drafts and published plans through HTTP: per-field validation that
 * writes nothing, roles, and isolation between manufacturers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PlanDraft } from '../../src/domain/entities/index.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import { statusQuery } from '../../workflows/plan-creation.messages.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import {
  addUser,
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';

describe('plan drafts and plans', () => {
  let h: Harness;
  let a: Awaited<ReturnType<typeof signUp>>;
  let aApprover: Awaited<ReturnType<typeof addUser>>;
  let b: Awaited<ReturnType<typeof signUp>>;
  let productId: string;
  let planId: string;
  let draftId: string;

  beforeAll(async () => {
    h = await startHarness();
    a = await signUp(h.app, 'Alpha');
    b = await signUp(h.app, 'Beta');
    aApprover = await addUser(a.session, ['approver'], () => new ApiSession(h.app));
    productId = (await createProduct(a.session)).id;
    const draft = await createDraft(a.session, productId);
    draftId = draft.id;
    const { suggestions } = await waitForStage(a.session, draft.id, 'awaiting_selection');
    await a.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
    });
    await aApprover.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
    });
    planId = (await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result())?.planId as string;
  });
  afterAll(() => h?.close());

  it('validates every draft field, names it, and starts nothing', async () => {
    const before = await h.db.orm.em.fork().count(PlanDraft);
    const bad: [Record<string, unknown>, string][] = [
      [{ productId: 'nope' }, 'productId'],
      [{ nameZh: '' }, 'nameZh'],
      [{ termMonths: 0 }, 'termMonths'],
      [{ termMonths: 12.5 }, 'termMonths'],
      [{ coverageStartRule: { kind: 'someday' } }, 'coverageStartRule.kind'],
      [{ coverageStartRule: { kind: 'waiting_days' } }, 'coverageStartRule.days'],
      [{ priceFen: 19.9 }, 'priceFen'],
      [{ priceFen: 400_000 }, 'priceFen'],
      // Beyond the money columns, and JSON that is not a number.
      [{ priceFen: 2_147_483_648 }, 'priceFen'],
      [{ priceFen: '29900' }, 'priceFen'],
      [{ termMonths: '24' }, 'termMonths'],
      [{ purchaseWindowDays: 0 }, 'purchaseWindowDays'],
      [{ coverageTypes: [] }, 'coverageTypes'],
      [{ coverageTypes: ['theft'] }, 'coverageTypes.0'],
      [{ coverageTypes: ['exclusions'] }, 'coverageTypes'],
    ];
    for (const [over, field] of bad) {
      const response = await a.session.request('POST', '/api/v1/plan-drafts', {
        productId,
        ...PHONE_DRAFT,
        ...over,
      });
      expect(response.statusCode, `${field}: ${response.body}`).toBe(400);
      expect(response.json().fields.map((f: { field: string }) => f.field)).toContain(field);
    }
    expect(await h.db.orm.em.fork().count(PlanDraft)).toBe(before);
  });

  it('lets only editors draft and only approvers review', async () => {
    const approverDraft = await aApprover.session.request('POST', '/api/v1/plan-drafts', {
      productId,
      ...PHONE_DRAFT,
    });
    expect(approverDraft.statusCode).toBe(403);
    const editor = await addUser(a.session, ['editor'], () => new ApiSession(h.app));
    const review = await editor.session.request('POST', `/api/v1/plan-drafts/${draftId}/review`, {
      decision: 'approve',
    });
    expect(review.statusCode).toBe(403);
  });

  it('serves the published plan with its frozen clauses and documents to its manufacturer', async () => {
    const plan = (await a.session.request('GET', `/api/v1/plans/${planId}`)).json();
    expect(plan.publicUrl).toBe(`https://yanbao.test/w/${plan.code}`);
    expect(plan.versions[0].clauses.length).toBeGreaterThanOrEqual(6);
    expect(plan.documents.map((d: { kind: string }) => d.kind).sort()).toEqual([
      'label_pdf',
      'qr_png',
      'qr_svg',
    ]);
    const png = await a.session.request('GET', `/api/v1/plans/${planId}/documents/qr_png`);
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.rawPayload.subarray(1, 4).toString()).toBe('PNG');
    const pdf = await a.session.request('GET', `/api/v1/plans/${planId}/documents/label_pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toMatch(/attachment; filename="yanbao-\w+-v1\.pdf"/);
    const svg = await a.session.request('GET', `/api/v1/plans/${planId}/documents/qr_svg`);
    expect(svg.body).toContain('<svg');
  });

  it('keeps manufacturer B away from A’s drafts, plans and documents', async () => {
    const s = b.session;
    expect((await s.request('GET', '/api/v1/plan-drafts')).json().items).toEqual([]);
    expect((await s.request('GET', '/api/v1/plans')).json().items).toEqual([]);
    expect((await s.request('GET', `/api/v1/plan-drafts/${draftId}`)).statusCode).toBe(404);
    expect((await s.request('GET', `/api/v1/plans/${planId}`)).statusCode).toBe(404);
    expect((await s.request('GET', `/api/v1/plans/${planId}/documents/qr_png`)).statusCode).toBe(404);
    expect(
      (await s.request('POST', `/api/v1/plan-drafts/${draftId}/selection`, { clauseIds: [] })).statusCode,
    ).toBe(404);
    expect(
      (await s.request('POST', `/api/v1/plan-drafts/${draftId}/review`, { decision: 'approve' })).statusCode,
    ).toBe(404);
  });

  it('lists the review queue by status', async () => {
    const queue = (
      await aApprover.session.request('GET', '/api/v1/plan-drafts?status=awaiting_review')
    ).json();
    expect(queue.items.every((d: { status: string }) => d.status === 'awaiting_review')).toBe(true);
    const bad = await aApprover.session.request('GET', '/api/v1/plan-drafts?status=maybe');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().fields[0].field).toBe('querystring.status');
  });

  it('never reports a stage that the draft it returns does not show yet', async () => {
    const draft = await createDraft(a.session, productId);
    // The status query answers only once matching is over, so the request spans the moment
    // the activity writes the suggestions and the workflow moves on.
    const workflows = h.client.workflow;
    const getHandle = workflows.getHandle.bind(workflows);
    const spy = vi.spyOn(workflows, 'getHandle').mockImplementation((...args) => {
      const handle = getHandle(...args);
      const query: typeof handle.query = async (...queryArgs) => {
        while (['entry', 'matching'].includes((await handle.query(statusQuery)).stage)) await sleep(20);
        return handle.query(...queryArgs);
      };
      return { ...handle, query };
    });
    try {
      const body = (await a.session.request('GET', `/api/v1/plan-drafts/${draft.id}`)).json();
      expect(body.workflow.stage).toBe('awaiting_selection');
      expect(body.draft.status).toBe('awaiting_selection');
      expect(body.suggestions.clauses.length).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });
});
