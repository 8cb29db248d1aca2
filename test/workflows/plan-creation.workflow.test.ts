/**
 * PlanCreationWorkflow on the real Temporal dev server with the real worker,
 * database and API: publish, request-changes loop, four-eyes refusal,
 * rejected Updates, reminders and expiry.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import jsQRModule from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Plan, PlanDocument, PlanDraft, PlanVersion } from '../../src/domain/entities/index.ts';
import { planDraftWorkflowId } from '../../src/temporal/plan-creation.client.ts';
import { statusQuery, submitSelectionUpdate } from '../../workflows/plan-creation.messages.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { recordHistory } from '../helpers/histories.ts';
import { fieldWords } from '../helpers/messages.ts';
import {
  addUser,
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';

const jsQR = jsQRModule as unknown as typeof jsQRModule.default;

describe('PlanCreationWorkflow', () => {
  let h: Harness;
  let editor: Awaited<ReturnType<typeof signUp>>;
  let approver: Awaited<ReturnType<typeof addUser>>;
  let productId: string;

  beforeAll(async () => {
    h = await startHarness();
    editor = await signUp(h.app, 'Xinghe');
    approver = await addUser(editor.session, ['approver'], () => new ApiSession(h.app));
    productId = (await createProduct(editor.session)).id;
  });
  afterAll(() => h?.close());

  const suggestedSelection = async (draftId: string) => {
    const { suggestions } = await waitForStage(editor.session, draftId, 'awaiting_selection');
    return pickSelection(suggestions, PHONE_DRAFT.coverageTypes);
  };

  it('goes from entry through matching and review to a published plan with QR code and label', async () => {
    const draft = await createDraft(editor.session, productId);
    const { suggestions } = await waitForStage(editor.session, draft.id, 'awaiting_selection');
    expect(suggestions.cases.length).toBeGreaterThan(0);
    expect(
      suggestions.cases.every((c) =>
        c.reasons.some((r) => r.code === 'matching:sameCategory' && r.params?.category === 'smartphone'),
      ),
    ).toBe(true);
    expect(suggestions.clauses[0]?.score).toBeGreaterThan(0.5);
    expect(suggestions.clauses.every((c) => c.reasons.length > 0)).toBe(true);

    const clauseIds = pickSelection(suggestions, PHONE_DRAFT.coverageTypes);
    const submitted = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds,
      customClauses: [
        {
          coverageType: 'general_terms',
          titleZh: '以旧换新优惠',
          titleEn: 'Trade-in discount',
          bodyZh: '保障期内以旧换新购买本品牌新机，可享受九折优惠。',
          bodyEn: 'During the plan term, trading in towards a new phone of this brand earns a 10% discount.',
        },
      ],
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    expect(submitted.json().stage).toBe('awaiting_review');

    const approved = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
    });
    expect(approved.statusCode, approved.body).toBe(200);

    const handle = h.client.workflow.getHandle(planDraftWorkflowId(draft.id));
    const result = await handle.result();
    expect(result?.code).toMatch(/^[1-9A-HJ-NP-Za-km-z]{10}$/);
    expect(result?.publicUrl).toBe(`https://yanbao.test/w/${result?.code}`);

    const em = h.db.orm.em.fork();
    const plan = await em.findOneOrFail(Plan, { draft: draft.id });
    const version = await em.findOneOrFail(PlanVersion, { plan: plan.id, version: 1 });
    expect(version.clauses).toHaveLength(clauseIds.length + 1);
    expect(version.clauses.at(-1)?.titleZh).toBe('以旧换新优惠');
    expect(version.approvedBy).toBe(approver.id);
    const png = await em.findOneOrFail(PlanDocument, { planVersion: version.id, kind: 'qr_png' });
    const image = PNG.sync.read(Buffer.from(png.content));
    expect(jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data).toBe(result?.publicUrl);
    expect(await em.count(PlanDocument, { planVersion: version.id })).toBe(3);
    const row = await em.findOneOrFail(PlanDraft, { id: draft.id });
    expect(row.status).toBe('published');

    // The response schemas keep every field the rows and the workflow hold (the serializer drops the rest).
    const shown = (await editor.session.request('GET', `/api/v1/plan-drafts/${draft.id}`)).json();
    expect(shown.draft.selection).toEqual(row.selection);
    // Each review as recorded, with its reviewer named.
    expect(shown.draft.reviews).toEqual(
      row.reviews.map((review) => ({
        ...review,
        reviewer: { id: review.reviewerId, displayName: 'approver' },
      })),
    );
    expect(shown.suggestions).toEqual(row.suggestions);
    expect(shown.workflow).toEqual(await handle.query(statusQuery));
    expect(shown.workflow.published).toEqual(result);
    expect(approved.json().lastReview).toEqual(row.reviews[0]);
    const planShown = (await editor.session.request('GET', `/api/v1/plans/${plan.id}`)).json();
    expect(planShown.versions[0].clauses).toEqual(version.clauses);
    expect(planShown.versions[0].coverageStartRule).toEqual(version.coverageStartRule);

    const described = await handle.describe();
    expect(described.searchAttributes.YanbaoBusinessStatus).toEqual(['published']);
    expect(described.searchAttributes.YanbaoPlanId).toEqual([plan.id]);

    await recordHistory(h.client, planDraftWorkflowId(draft.id), 'plan-creation-published');
  });

  it('loops back to selection when the approver requests changes', async () => {
    const draft = await createDraft(editor.session, productId, {
      nameZh: '星河手机一年屏幕保障',
      termMonths: 12,
    });
    const clauseIds = await suggestedSelection(draft.id);
    const first = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds,
    });
    expect(first.statusCode, first.body).toBe(200);

    const blank = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'request_changes',
      comment: '  ',
    });
    expect(blank.statusCode).toBe(422);

    const sentBack = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'request_changes',
      comment: '请补充意外损坏条款 / add an accidental damage clause',
    });
    expect(sentBack.statusCode, sentBack.body).toBe(200);
    expect(sentBack.json().stage).toBe('awaiting_selection');
    const reviewed = await h.db.orm.em.fork().findOneOrFail(PlanDraft, { id: draft.id });
    expect(reviewed.status).toBe('awaiting_selection');
    expect(reviewed.reviews).toHaveLength(1);
    expect(reviewed.reviews[0]?.comment).toContain('accidental damage');

    const second = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: clauseIds.slice().reverse(),
    });
    expect(second.statusCode, second.body).toBe(200);
    const approved = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
      comment: 'ok',
    });
    expect(approved.statusCode, approved.body).toBe(200);
    const result = await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result();
    expect(result?.version).toBe(1);
    const final = await h.db.orm.em.fork().findOneOrFail(PlanDraft, { id: draft.id });
    expect(final.reviews.map((r) => r.decision)).toEqual(['request_changes', 'approve']);
    await recordHistory(h.client, planDraftWorkflowId(draft.id), 'plan-creation-changes-requested');
  });

  it('refuses approval by the person who submitted the selection (four eyes)', async () => {
    const draft = await createDraft(editor.session, productId, { nameZh: '星河手机电池保障' });
    const clauseIds = await suggestedSelection(draft.id);
    // The sign-up user holds editor and approver roles, and submits.
    expect(
      (await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, { clauseIds }))
        .statusCode,
    ).toBe(200);
    const selfApproval = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
    });
    expect(selfApproval.statusCode).toBe(403);
    expect(selfApproval.json().message).toMatch(/four-eyes/);

    const handle = h.client.workflow.getHandle(planDraftWorkflowId(draft.id));
    expect((await handle.query(statusQuery)).stage).toBe('awaiting_review');
    const history = await handle.fetchHistory();
    const updates = history.events?.filter((e) => e.workflowExecutionUpdateAcceptedEventAttributes) ?? [];
    expect(updates).toHaveLength(1); // only the selection; the refused approval never entered history
    expect((await h.db.orm.em.fork().findOneOrFail(PlanDraft, { id: draft.id })).reviews).toEqual([]);
  });

  it('rejects bad selections synchronously and writes nothing', async () => {
    const draft = await createDraft(editor.session, productId, { nameZh: '星河手机保障（拒绝测试）' });
    const clauseIds = await suggestedSelection(draft.id);
    const handle = h.client.workflow.getHandle(planDraftWorkflowId(draft.id));

    // Validator: empty and duplicated selections never reach history.
    const empty = handle.executeUpdate(submitSelectionUpdate, {
      args: [{ clauseIds: [], customClauses: [], submittedBy: editor.me.user.id }],
    });
    await expect(empty).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    const duplicated = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: [clauseIds[0], clauseIds[0]],
    });
    expect(duplicated.statusCode).toBe(422);
    expect(duplicated.json().message).toMatch(/more than once/);

    // Activity check against the library: an unknown clause, and missing required terms.
    const unknown = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: [...clauseIds, '00000000-0000-4000-8000-000000000000'],
    });
    expect(unknown.statusCode).toBe(422);
    expect(fieldWords(unknown.json().fields)).toContainEqual({
      field: `clauseIds/${clauseIds.length}`,
      message: 'clause 00000000-0000-4000-8000-000000000000 does not exist',
    });
    const incomplete = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: clauseIds.slice(0, 1),
    });
    expect(incomplete.statusCode).toBe(422);
    expect(incomplete.json().message).toMatch(/no clause of coverage type/);

    try {
      await handle.executeUpdate(submitSelectionUpdate, {
        args: [{ clauseIds: ['not-a-uuid'], customClauses: [], submittedBy: editor.me.user.id }],
      });
      expect.unreachable();
    } catch (err) {
      expect((err as WorkflowUpdateFailedError).cause).toBeInstanceOf(ApplicationFailure);
    }

    const stored = await h.db.orm.em.fork().findOneOrFail(PlanDraft, { id: draft.id });
    expect(stored.selection).toBeNull();
    expect(stored.status).toBe('awaiting_selection');
    expect((await handle.query(statusQuery)).stage).toBe('awaiting_selection');
  });
});

describe('PlanCreationWorkflow timers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ planReview: { reminderInterval: '1 second', draftExpiresAfter: '4 seconds' } });
  });
  afterAll(() => h?.close());

  it('reminds approvers while a draft waits and expires it when left untouched', async () => {
    const editor = await signUp(h.app, 'Timers');
    const approver = await addUser(editor.session, ['approver'], () => new ApiSession(h.app));
    // A deactivated approver is reminded of nothing.
    const gone = await addUser(editor.session, ['approver'], () => new ApiSession(h.app));
    const deactivated = await editor.session.request(
      'POST',
      `/api/v1/manufacturer/users/${gone.id}/deactivate`,
    );
    expect(deactivated.statusCode, deactivated.body).toBe(200);
    const productId = (await createProduct(editor.session)).id;
    const draft = await createDraft(editor.session, productId);
    const { suggestions } = await waitForStage(editor.session, draft.id, 'awaiting_selection');
    const submitted = await editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, {
      clauseIds: pickSelection(suggestions, PHONE_DRAFT.coverageTypes),
    });
    expect(submitted.statusCode, submitted.body).toBe(200);

    const result = await h.client.workflow.getHandle(planDraftWorkflowId(draft.id)).result();
    expect(result).toBeNull();
    const stored = await h.db.orm.em.fork().findOneOrFail(PlanDraft, { id: draft.id });
    expect(stored.status).toBe('expired');
    const toApprover = h.delivered.filter((m) => m.recipient === approver.email);
    // Asked once on submission (in the manufacturer's language), then reminded while the draft waits.
    expect(toApprover[0]?.subject).toBe(`待您审核的延保方案：${PHONE_DRAFT.nameZh}`);
    const reminders = toApprover.filter(
      (m) => m.subject === `提醒：延保方案待您审核：${PHONE_DRAFT.nameZh}` && /第 \d+ 次提醒/.test(m.body),
    );
    expect(reminders.length).toBeGreaterThanOrEqual(2);
    // The submitter is never reminded to approve their own selection.
    expect(h.delivered.some((m) => m.recipient === editor.email)).toBe(false);
    expect(h.delivered.some((m) => m.recipient === gone.email)).toBe(false);

    const late = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'approve',
    });
    expect(late.statusCode).toBeGreaterThanOrEqual(400);
  });
});
