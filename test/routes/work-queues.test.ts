/**
 * The review and service-desk work queues (issue 14 §5), over HTTP with email through a real SMTP server
 * (Mailpit): approvers are emailed when a draft is submitted, its editor when changes are requested and when
 * the plan is published, in the manufacturer's language and never a deactivated user; the review queue
 * names the submitter and the waiting time, a change request its reviewer; the navigation's to-do counts;
 * the service desk's search and filters.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chinaDate } from '../../src/domain/coverage.ts';
import { Claim, Manufacturer, Order } from '../../src/domain/entities/index.ts';
import { channelSinks, logSink } from '../../src/notifications/notifier.ts';
import { type SmtpSink, smtpSink } from '../../src/notifications/smtp.sink.ts';
import { ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { type Mailpit, type MailpitMessage, startMailpit } from '../helpers/mailpit.ts';
import {
  addUser,
  createDraft,
  createProduct,
  PHONE_DRAFT,
  pickSelection,
  waitForStage,
} from '../helpers/plan-fixtures.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('work queues', () => {
  let mailpit: Mailpit;
  let smtp: SmtpSink;
  let h: Harness;

  /** Every message Mailpit holds for this address, oldest first, with its text. */
  const mailTo = async (address: string): Promise<MailpitMessage[]> => {
    const summaries = (await mailpit.messages()).filter((m) => m.To.some((to) => to.Address === address));
    return Promise.all(summaries.reverse().map((m) => mailpit.message(m.ID)));
  };
  /** Waits for the `count`-th message to this address. */
  const nthMailTo = (address: string, count: number) =>
    waitFor(`message ${count} to ${address}`, async () => {
      const messages = await mailTo(address);
      return messages.length >= count ? messages[count - 1] : undefined;
    });

  beforeAll(async () => {
    mailpit = await startMailpit();
    smtp = smtpSink({ smtpUrl: mailpit.smtpUrl, from: '延保平台 <noreply@yanbao.test>' });
    h = await startHarness({}, { listen: true, sink: channelSinks({ email: smtp, sms: logSink(() => {}) }) });
  });
  afterAll(async () => {
    smtp?.close();
    await h?.close();
    await mailpit?.stop();
  });

  it('emails the review steps in the manufacturer language, and shows who submitted, for how long, and who asked for changes', async () => {
    const admin = await signUp(h.app, 'Queues');
    const manufacturerId = admin.me.manufacturer.id as string;
    const editor = await addUser(admin.session, ['editor'], () => new ApiSession(h.app));
    const approver = await addUser(admin.session, ['approver'], () => new ApiSession(h.app));
    const gone = await addUser(admin.session, ['approver'], () => new ApiSession(h.app));
    expect(
      (await admin.session.request('POST', `/api/v1/manufacturer/users/${gone.id}/deactivate`)).statusCode,
    ).toBe(200);

    const product = await createProduct(editor.session, { model: 'QUEUE-1' });
    const draft = await createDraft(editor.session, product.id);
    const { suggestions } = await waitForStage(editor.session, draft.id, 'awaiting_selection');
    const clauseIds = pickSelection(suggestions, PHONE_DRAFT.coverageTypes);
    const submit = () =>
      editor.session.request('POST', `/api/v1/plan-drafts/${draft.id}/selection`, { clauseIds });
    expect((await submit()).statusCode).toBe(200);

    // The approver is asked, in Chinese (every manufacturer's language so far), with the submitter's name.
    const asked = await nthMailTo(approver.email, 1);
    expect(asked.Subject).toBe(`待您审核的延保方案：${PHONE_DRAFT.nameZh}`);
    expect(asked.Text).toContain('editor 提交了延保方案');
    expect(asked.Text).toContain(`/portal/draft.html?id=${draft.id}`);

    // The queue names the submitter and how long the draft has waited; the to-do count has it.
    const queue = (
      await approver.session.request('GET', '/api/v1/plan-drafts?status=awaiting_review')
    ).json();
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({
      id: draft.id,
      submitter: { id: editor.id, displayName: 'editor' },
      submittedAt: expect.any(String),
      waitingSeconds: expect.any(Number),
    });
    expect(queue.items[0].waitingSeconds).toBeGreaterThanOrEqual(0);
    expect((await approver.session.request('GET', '/api/v1/manufacturer/todo')).json()).toEqual({
      draftsToReview: 1,
      claimsWaiting: 0,
      claimsOverSla: 0,
    });
    // The editor reviews nothing; the submitter never reviews their own draft.
    expect(
      (await editor.session.request('GET', '/api/v1/manufacturer/todo')).json().draftsToReview,
    ).toBeNull();

    // The manufacturer now writes in English: the change request reaches the editor in English, naming the reviewer.
    await h.db.orm.em.fork().nativeUpdate(Manufacturer, { id: manufacturerId }, { locale: 'en' });
    const changes = await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, {
      decision: 'request_changes',
      comment: 'Add the liquid damage clause.',
    });
    expect(changes.statusCode, changes.body).toBe(200);
    const told = await nthMailTo(editor.email, 1);
    expect(told.Subject).toBe(`Changes requested: ${PHONE_DRAFT.nameEn}`);
    expect(told.Text).toContain('approver asked for changes');
    expect(told.Text).toContain('Add the liquid damage clause.');
    const reviewed = (await editor.session.request('GET', `/api/v1/plan-drafts/${draft.id}`)).json();
    expect(reviewed.draft.reviews).toEqual([
      expect.objectContaining({
        decision: 'request_changes',
        reviewer: { id: approver.id, displayName: 'approver' },
      }),
    ]);
    expect(reviewed.draft.waitingSeconds).toBeNull();

    // Submitted again: a new request to review; approved: the editor hears it is on sale.
    await waitForStage(editor.session, draft.id, 'awaiting_selection');
    expect((await submit()).statusCode).toBe(200);
    expect((await nthMailTo(approver.email, 2)).Subject).toBe(
      `Plan waiting for your review: ${PHONE_DRAFT.nameEn}`,
    );
    await approver.session.request('POST', `/api/v1/plan-drafts/${draft.id}/review`, { decision: 'approve' });
    const published = await nthMailTo(editor.email, 2);
    expect(published.Subject).toBe(`Plan published: ${PHONE_DRAFT.nameEn}`);
    expect(published.Text).toContain(
      `approver approved the plan "${PHONE_DRAFT.nameEn}"; version 1 is on sale now`,
    );
    expect(published.Text).toContain(`${h.config.publicBaseUrl}/w/`);

    // Nothing to the deactivated approver, nothing to the editor about reviewing.
    expect(await mailTo(gone.email)).toEqual([]);
    expect((await mailTo(editor.email)).map((m) => m.Subject)).toHaveLength(2);
    expect((await approver.session.request('GET', '/api/v1/manufacturer/todo')).json().draftsToReview).toBe(
      0,
    );
  });

  it('searches and filters the service desk, and counts the claims waiting and over their SLA', async () => {
    const plan = await publishedPlan(h, { coverageStartRule: { kind: 'from_purchase' } });
    const desk = plan.editor.session;
    const orders = [
      await activeOrder(h, plan.code, { consumerPhone: '13900001111' }),
      await activeOrder(h, plan.code, { consumerPhone: '13900002222' }),
    ];
    const file = async (order: { orderNumber: string; token: string }, contactPhone: string) => {
      const response = await h.app.inject({
        method: 'POST',
        url: `/api/v1/public/orders/${order.orderNumber}/claims?t=${order.token}`,
        payload: {
          faultDescription: '屏幕有一条竖线',
          faultDate: chinaDate(new Date()),
          contactPhone,
          coverageType: 'screen',
          idempotencyKey: crypto.randomUUID().replaceAll('-', ''),
        },
      });
      expect(response.statusCode, response.body).toBe(201);
      return response.json().claimNumber as string;
    };
    const first = await file(orders[0] as (typeof orders)[0], '13911114321');
    const second = await file(orders[1] as (typeof orders)[0], '13922228765');
    const list = async (query: string) => {
      const response = await desk.request('GET', `/api/v1/claims?${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { items: { claimNumber: string; overdue: boolean }[]; total: number };
    };
    const numbers = async (query: string) => (await list(query)).items.map((c) => c.claimNumber);

    expect(await numbers('q=4321')).toEqual([first]);
    expect(await numbers('q=13922228765')).toEqual([second]);
    expect(await numbers(`q=${first.toLowerCase()}`)).toEqual([first]);
    const serial = (await h.db.orm.em.fork().findOneOrFail(Order, { orderNumber: orders[1]?.orderNumber }))
      .serialNumber;
    expect(await numbers(`q=${serial.toLowerCase()}`)).toEqual([second]);
    expect(await numbers('q=0000')).toEqual([]);
    expect(await numbers('status=submitted')).toEqual([first, second]);
    expect(await numbers('overdue=true')).toEqual([]);
    expect((await desk.request('GET', '/api/v1/manufacturer/todo')).json()).toMatchObject({
      claimsWaiting: 2,
      claimsOverSla: 0,
    });

    // The first has waited longer than the decision SLA (filed three days ago; the SLA is two).
    await h.db.orm.em
      .fork()
      .nativeUpdate(Claim, { claimNumber: first }, { createdAt: new Date(Date.now() - 3 * 86_400_000) });
    const overdue = await list('overdue=true');
    expect(overdue.items.map((c) => [c.claimNumber, c.overdue])).toEqual([[first, true]]);
    expect((await list(`q=${second}`)).items[0]?.overdue).toBe(false);
    expect((await desk.request('GET', '/api/v1/manufacturer/todo')).json()).toMatchObject({
      claimsWaiting: 2,
      claimsOverSla: 1,
    });

    // Another manufacturer finds none of them, by any search.
    const rival = (await signUp(h.app, 'QueueRival')).session;
    expect((await rival.request('GET', '/api/v1/claims?q=4321')).json()).toEqual({ items: [], total: 0 });
    expect((await rival.request('GET', `/api/v1/claims?q=${first}`)).json()).toEqual({ items: [], total: 0 });
    expect((await rival.request('GET', '/api/v1/manufacturer/todo')).json()).toEqual({
      draftsToReview: 0,
      claimsWaiting: 0,
      claimsOverSla: 0,
    });
  });
});
