/**
 * Email through a real SMTP server (Mailpit), read back through its HTTP API:
 * a purchase confirmation with its certificate, deliveries that fail while the
 * server is down and succeed when it is back, a refusal that is final, a
 * message that runs out of attempts, and what a resend after a crash looks like.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Manufacturer, Notification, Order, Plan } from '../../src/domain/entities/index.ts';
import {
  channelSinks,
  createNotifier,
  deliverDue,
  deliverPending,
  enqueue,
  enqueueAndDeliver,
  logSink,
  type Notifier,
  startOutboxRelay,
} from '../../src/notifications/notifier.ts';
import { type SmtpSink, smtpSink } from '../../src/notifications/smtp.sink.ts';
import { freePort, type Harness, startHarness } from '../helpers/harness.ts';
import { type Mailpit, startMailpit } from '../helpers/mailpit.ts';
import { allPageTexts, openPdf } from '../helpers/pdf.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

const FROM = '延保平台 <noreply@yanbao.test>';
const RETRY = { maxAttempts: 3, retryBaseSeconds: 1, retryMaxSeconds: 2, relayEverySeconds: 1 };

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('email through SMTP (Mailpit)', () => {
  let mailpit: Mailpit;
  let smtp: SmtpSink;
  let h: Harness;
  let notifier: Notifier;
  const em = () => h.db.orm.em.fork();
  const row = (dedupeKey: string) => em().findOneOrFail(Notification, { dedupeKey });
  const email = (recipient = 'desk@maker.test') => {
    const dedupeKey = `test:${randomUUID()}`;
    return {
      dedupeKey,
      channel: 'email' as const,
      recipient,
      subject: `测试邮件 ${dedupeKey}`,
      body: '您好，这是一封测试邮件。',
    };
  };

  beforeAll(async () => {
    mailpit = await startMailpit();
    smtp = smtpSink({ smtpUrl: mailpit.smtpUrl, from: FROM });
    h = await startHarness(
      { outbox: RETRY },
      { listen: true, sink: channelSinks({ email: smtp, sms: logSink(() => {}) }) },
    );
    notifier = h.notifications;
  });
  afterAll(async () => {
    smtp?.close();
    await h?.close();
    await mailpit?.stop();
  });
  beforeEach(() => mailpit.start());

  it('sends a purchase confirmation to the manufacturer in Chinese, with the certificate PDF attached', async () => {
    const plan = await publishedPlan(h);
    const { orderNumber } = await activeOrder(h, plan.code);
    const manufacturer = await em().findOneOrFail(Manufacturer, { id: plan.editor.me.manufacturer.id });
    const dedupeKey = `order-confirmation-email:${orderNumber}`;
    // Written by the purchase, delivered by the relay the worker runs.
    expect((await row(dedupeKey)).status).toBe('pending');
    const relay = startOutboxRelay(h.db.orm, notifier, { error: () => {} });
    try {
      await waitFor('the confirmation to be delivered', async () =>
        (await row(dedupeKey)).status === 'delivered' ? true : undefined,
      );
    } finally {
      await relay.stop();
    }
    const sent = await row(dedupeKey);
    expect(sent).toMatchObject({ provider: 'smtp', attempts: 1, lastError: null });
    expect(sent.providerMessageId).toBe(`<${sent.id}@yanbao.test>`);

    const summary = (await mailpit.messages()).find((m) => m.Subject.includes(orderNumber));
    if (!summary) throw new Error('the confirmation did not arrive');
    const message = await mailpit.message(summary.ID);
    expect(message.MessageID).toBe(`${sent.id}@yanbao.test`);
    expect(message.Subject).toBe(`延保订单确认 / Extended warranty sold: ${orderNumber}`);
    expect(message.From).toEqual({ Name: '延保平台', Address: 'noreply@yanbao.test' });
    expect(message.To).toEqual([{ Name: '', Address: manufacturer.email }]);
    expect(message.Text).toContain(`${manufacturer.name}，您好：`);
    const { nameZh } = await em().findOneOrFail(Plan, { code: plan.code });
    expect(message.Text).toContain(`您的延保方案「${nameZh}」售出一份，订单 ${orderNumber} 已生效。`);
    expect(message.Text).toContain('电子保修凭证见附件（PDF）。');

    expect(message.Attachments).toHaveLength(1);
    const [attachment] = message.Attachments;
    expect(attachment).toMatchObject({
      FileName: `yanbao-certificate-${orderNumber}.pdf`,
      ContentType: 'application/pdf',
    });
    const pdf = await mailpit.attachment(summary.ID, attachment?.PartID ?? '');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = (await allPageTexts(await openPdf(pdf))).join('\n');
    expect(text).toContain(orderNumber);
    const order = await em().findOneOrFail(Order, { orderNumber });
    expect(text).toContain(order.coverageEnd ?? 'no coverage end');
  });

  it('retries a delivery that failed while the server was down, with backoff, and delivers it once it is back', async () => {
    await mailpit.stop();
    const message = email();
    expect(await enqueueAndDeliver(em(), notifier, [message])).toBe(0);
    const failed = await row(message.dedupeKey);
    expect(failed).toMatchObject({ status: 'pending', attempts: 1, provider: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    const firstDelay = (failed.nextAttemptAt?.getTime() ?? 0) - (failed.lastAttemptAt?.getTime() ?? 0);
    expect(firstDelay).toBeGreaterThanOrEqual(900);
    expect(firstDelay).toBeLessThan(2_000);
    // Not due yet: a repeated activity attempt does not send it early.
    expect(await deliverPending(em(), notifier, [message.dedupeKey])).toBe(0);
    expect((await row(message.dedupeKey)).attempts).toBe(1);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await deliverDue(em(), notifier)).toMatchObject({ claimed: 1, delivered: 0, failed: 1 });
    const second = await row(message.dedupeKey);
    expect(second.attempts).toBe(2);
    // The delay doubled (capped at retryMaxSeconds).
    const secondDelay = (second.nextAttemptAt?.getTime() ?? 0) - (second.lastAttemptAt?.getTime() ?? 0);
    expect(secondDelay).toBeGreaterThanOrEqual(1_900);

    await mailpit.start();
    const relay = startOutboxRelay(h.db.orm, notifier, { error: () => {} });
    try {
      await waitFor('the retried message to be delivered', async () =>
        (await row(message.dedupeKey)).status === 'delivered' ? true : undefined,
      );
    } finally {
      await relay.stop();
    }
    const delivered = await row(message.dedupeKey);
    expect(delivered).toMatchObject({ attempts: 3, provider: 'smtp', lastError: null, nextAttemptAt: null });
    const arrived = (await mailpit.messages()).filter((m) => m.Subject === message.subject);
    expect(arrived).toHaveLength(1);
    expect(arrived[0]?.MessageID).toBe(`${delivered.id}@yanbao.test`);
  });

  it('marks a message failed after its last attempt', async () => {
    // Nobody listens on this port.
    const closed = smtpSink({ smtpUrl: `smtp://127.0.0.1:${await freePort()}`, from: FROM });
    const twice = createNotifier(closed, { ...h.config, outbox: { ...RETRY, maxAttempts: 2 } });
    const message = email();
    await enqueueAndDeliver(em(), twice, [message]);
    expect(await row(message.dedupeKey)).toMatchObject({ status: 'pending', attempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await deliverPending(em(), twice, [message.dedupeKey]);
    const failed = await row(message.dedupeKey);
    expect(failed).toMatchObject({ status: 'failed', attempts: 2, nextAttemptAt: null });
    expect(failed.lastError).toMatch(/ECONNREFUSED/);
    expect(await deliverPending(em(), twice, [message.dedupeKey])).toBe(0);
    expect((await row(message.dedupeKey)).attempts).toBe(2);
  });

  it('marks failed, unsent, a message whose sender stopped during its last attempt', async () => {
    const message = email();
    await enqueue(em(), [message]);
    // What a sender that died during the last allowed attempt leaves once its lease has run out.
    await em().nativeUpdate(
      Notification,
      { dedupeKey: message.dedupeKey },
      { attempts: RETRY.maxAttempts, lastError: 'ETIMEDOUT', nextAttemptAt: new Date(Date.now() - 1) },
    );
    expect(await deliverDue(em(), notifier)).toMatchObject({ claimed: 0 });
    expect(await row(message.dedupeKey)).toMatchObject({
      status: 'failed',
      nextAttemptAt: null,
      lastError: 'the sender stopped during its last attempt (earlier: ETIMEDOUT)',
    });
    expect((await mailpit.messages()).filter((m) => m.Subject === message.subject)).toHaveLength(0);
  });

  it('does not retry a refusal that another attempt cannot change (SMTP 5xx)', async () => {
    const message = email('nobody@refused.invalid');
    expect(await enqueueAndDeliver(em(), notifier, [message])).toBe(0);
    const refused = await row(message.dedupeKey);
    expect(refused).toMatchObject({ status: 'failed', attempts: 1, nextAttemptAt: null });
    expect(refused.lastError).toMatch(/^SMTP 5\d\d/);
  });

  it('sends a message once when two senders reach it together', async () => {
    const message = email();
    await enqueue(em(), [message]);
    const results = await Promise.all([
      deliverPending(em(), notifier, [message.dedupeKey]),
      deliverPending(em(), notifier, [message.dedupeKey]),
      deliverDue(em(), notifier),
    ]);
    expect(results[0] + results[1] + results[2].delivered).toBe(1);
    expect((await mailpit.messages()).filter((m) => m.Subject === message.subject)).toHaveLength(1);
  });

  it('resends, as the same message, one whose sender stopped after the server accepted it (at least once)', async () => {
    const message = email();
    expect(await enqueueAndDeliver(em(), notifier, [message])).toBe(1);
    const sent = await row(message.dedupeKey);
    // What a sender that died after the server's 250 leaves once its claim's lease has run out.
    await em().nativeUpdate(
      Notification,
      { id: sent.id },
      {
        status: 'pending',
        deliveredAt: null,
        providerMessageId: null,
        nextAttemptAt: new Date(Date.now() - 1),
      },
    );
    expect(await deliverDue(em(), notifier)).toMatchObject({ delivered: 1 });
    const copies = (await mailpit.messages()).filter((m) => m.Subject === message.subject);
    expect(copies).toHaveLength(2);
    // One Message-ID: mailboxes that collapse duplicates show it once.
    expect(new Set(copies.map((m) => m.MessageID))).toEqual(new Set([`${sent.id}@yanbao.test`]));
    expect((await row(message.dedupeKey)).attempts).toBe(2);
  });
});
