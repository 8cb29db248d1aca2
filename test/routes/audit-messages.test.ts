/**
 * The auditor's outbox view over HTTP: an order's messages with their delivery
 * status (delivered, waiting for the relay, failed with its error), phones
 * masked and bodies left out; filters validated; staff only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manufacturer } from '../../src/domain/entities/index.ts';
import {
  createNotifier,
  enqueueAndDeliver,
  PermanentDeliveryError,
} from '../../src/notifications/notifier.ts';
import type { ApiSession } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { platformUser } from '../helpers/platform-staff.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

interface MessageView {
  id: string;
  dedupeKey: string;
  channel: string;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  maxAttempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  provider: string | null;
  providerMessageId: string | null;
  deliveredAt: string | null;
  attachesCertificate: boolean;
}

describe('audit: messages and their delivery status', () => {
  let h: Harness;
  let auditor: ApiSession;
  let plan: Awaited<ReturnType<typeof publishedPlan>>;
  let orderNumber: string;

  beforeAll(async () => {
    h = await startHarness({}, { listen: true });
    auditor = await platformUser(h, 'auditor');
    plan = await publishedPlan(h);
    ({ orderNumber } = await activeOrder(h, plan.code));
    // A message its provider refused for good.
    const refusing = createNotifier(
      {
        async send() {
          throw new PermanentDeliveryError('SMTP 550: 5.1.1 mailbox unavailable');
        },
      },
      h.config,
    );
    await enqueueAndDeliver(h.db.orm.em.fork(), refusing, [
      {
        dedupeKey: `audit-test:${orderNumber}`,
        channel: 'email',
        recipient: 'gone@maker.test',
        subject: '退信测试 / bounce test',
        body: 'secret body',
      },
    ]);
  });
  afterAll(() => h?.close());

  const messages = async (query: string) => {
    const response = await auditor.request('GET', `/api/v1/audit/messages?${query}`);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as { items: MessageView[]; total: number };
  };

  it("lists an order's messages with their delivery status, phones masked and bodies left out", async () => {
    const { items, total } = await messages(`reference=${orderNumber}`);
    expect(total).toBe(3);
    const byKey = new Map(items.map((m) => [m.dedupeKey.split(':')[0], m]));

    const sms = byKey.get('order-confirmation');
    expect(sms).toMatchObject({
      channel: 'sms',
      recipient: '+86139****5678',
      status: 'delivered',
      attempts: 1,
      provider: 'log',
      providerMessageId: null,
      nextAttemptAt: null,
      attachesCertificate: false,
    });
    expect(sms?.deliveredAt).not.toBeNull();

    // Written by the purchase; the worker's relay delivers it (none runs in this test).
    const manufacturer = await h.db.orm.em
      .fork()
      .findOneOrFail(Manufacturer, { id: plan.editor.me.manufacturer.id });
    const email = byKey.get('order-confirmation-email');
    expect(email).toMatchObject({
      channel: 'email',
      recipient: manufacturer.email,
      status: 'pending',
      attempts: 0,
      deliveredAt: null,
      attachesCertificate: true,
      maxAttempts: h.config.outbox.maxAttempts,
    });
    expect(email?.nextAttemptAt).not.toBeNull();

    const bounced = byKey.get('audit-test');
    expect(bounced).toMatchObject({
      status: 'failed',
      attempts: 1,
      nextAttemptAt: null,
      lastError: 'SMTP 550: 5.1.1 mailbox unavailable',
    });
    expect(JSON.stringify(items)).not.toContain('secret body');
    expect(JSON.stringify(items)).not.toContain('13912345678');
  });

  it('filters by status and channel, newest first, in pages', async () => {
    const failed = await messages(`status=failed&reference=${orderNumber}`);
    expect(failed.items.map((m) => m.dedupeKey)).toEqual([`audit-test:${orderNumber}`]);
    const sms = await messages('channel=sms');
    expect(sms.items.every((m) => m.channel === 'sms')).toBe(true);
    const page = await messages(`reference=${orderNumber}&limit=1&offset=1`);
    expect(page).toMatchObject({ total: 3 });
    expect(page.items).toHaveLength(1);
  });

  it('refuses bad filters with field-level 400s', async () => {
    for (const [query, field] of [
      ['status=sent', 'status'],
      ['channel=fax', 'channel'],
      ['reference=%25', 'reference'],
      ['reference=a_b_c', 'reference'],
      ['limit=1000', 'limit'],
    ]) {
      const response = await auditor.request('GET', `/api/v1/audit/messages?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(
        response.json().fields.map((f: { field: string }) => f.field),
        query,
      ).toContain(`querystring.${field}`);
    }
  });

  it('is for platform staff only', async () => {
    expect((await plan.editor.session.request('GET', '/api/v1/audit/messages')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/audit/messages' })).statusCode).toBe(401);
    const admin = await platformUser(h, 'platform_admin');
    expect((await admin.request('GET', '/api/v1/audit/messages')).statusCode).toBe(200);
  });
});
