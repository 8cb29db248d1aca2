/**
 * The notification outbox. A message is written once per dedupe key, then
 * delivered through a sink (SMTP for email; the log in development). A failed
 * attempt is recorded (attempt count, error, next attempt with backoff) and
 * retried by the worker's relay until it is delivered or runs out of attempts.
 *
 * Delivery is at least once, never twice at the same time: an attempt claims
 * the row in one statement (`for update skip locked`, its next attempt moved
 * a lease ahead and its attempt counted), so the activity that wrote it and
 * the relay never send it together. A sender that dies after the provider
 * accepted the message but before the row says so leaves it claimed; when the
 * lease ends it is sent again, as the same message: the SMTP Message-ID is
 * derived from the row, so mailboxes that collapse one Message-ID show it once.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { AppConfig, OutboxConfig } from '../config.ts';
import { Notification, Order } from '../domain/entities/index.ts';
import type { SmsTemplate } from '../domain/sms-templates.ts';
import { retryDelayMs } from '../payments/sandbox-deliverer.ts';
import { orderCertificatePdf } from '../services/order-certificate.ts';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
}

export interface MessageAttachment {
  filename: string;
  contentType: string;
  content: Uint8Array;
}

/** An SMS as its provider's template and variables. */
export interface SmsTemplateUse {
  name: SmsTemplate;
  params: Record<string, string>;
}

/** A message as a sink sends it; `id` (the outbox row's) names it the same on every attempt. */
export interface DeliverableMessage extends OutgoingMessage {
  id: string;
  attachments: MessageAttachment[];
  template: SmsTemplateUse | null;
}

/** Who took a message, and the id it gave it (null when it gives none). */
export interface DeliveryReceipt {
  provider: string;
  providerMessageId: string | null;
}

/** Where messages finally go: SMTP/SMS adapters in production, the log in development. */
export interface NotificationSink {
  send(message: DeliverableMessage): Promise<DeliveryReceipt>;
}

/** A refusal that another attempt cannot change (an SMTP 5xx: no such mailbox, message refused). */
export class PermanentDeliveryError extends Error {}

export function logSink(log: (line: string) => void): NotificationSink {
  return {
    async send(message) {
      const attached = message.attachments.map((a) => ` [${a.filename}]`).join('');
      log(
        `[notification ${message.channel} → ${message.recipient}] ${message.subject}${attached}\n${message.body}`,
      );
      return { provider: 'log', providerMessageId: null };
    },
  };
}

/** One sink per channel. */
export function channelSinks(sinks: Record<OutgoingMessage['channel'], NotificationSink>): NotificationSink {
  return { send: (message) => sinks[message.channel].send(message) };
}

/** The sink with what delivering needs besides it: the retry policy and the certificate's renderer. */
export interface Notifier {
  sink: NotificationSink;
  retry: OutboxConfig;
  config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret'>;
}

export function createNotifier(
  sink: NotificationSink,
  config: Pick<AppConfig, 'publicBaseUrl' | 'linkSecret' | 'outbox'>,
): Notifier {
  return { sink, retry: config.outbox, config };
}

/**
 * A message for the outbox; `certificateOf` attaches that order's warranty certificate (PDF), and
 * an SMS names the template it is sent with.
 */
export type QueuedMessage = OutgoingMessage & {
  dedupeKey: string;
  certificateOf?: string;
  template?: SmsTemplateUse;
};

/**
 * Writes messages to the outbox once (the dedupe key makes activity retries
 * harmless), then tries to deliver them; a failed delivery is left to the
 * relay's retries, not thrown, since the message is safely recorded.
 * Answers how many were delivered now.
 */
export async function enqueueAndDeliver(
  em: EntityManager,
  notifier: Notifier,
  messages: QueuedMessage[],
): Promise<number> {
  await enqueue(em, messages);
  return deliverPending(
    em,
    notifier,
    messages.map((m) => m.dedupeKey),
  );
}

/** Writes messages to the outbox once, due at once; the worker's relay delivers them. */
export async function enqueue(em: EntityManager, messages: QueuedMessage[]): Promise<void> {
  for (const { certificateOf, template, ...message } of messages) {
    const now = new Date();
    await em.upsert(
      Notification,
      {
        id: randomUUID(),
        createdAt: now,
        updatedAt: now,
        ...message,
        status: 'pending',
        attempts: 0,
        nextAttemptAt: now,
        certificateOf: certificateOf ?? null,
        template: template?.name ?? null,
        templateParams: template?.params ?? null,
      },
      { onConflictFields: ['dedupeKey'], onConflictAction: 'ignore' },
    );
  }
}

/** Delivers the outbox's due messages with these dedupe keys (none, when they were never written). */
export async function deliverPending(
  em: EntityManager,
  notifier: Notifier,
  dedupeKeys: string[],
): Promise<number> {
  if (dedupeKeys.length === 0) return 0;
  const { delivered } = await deliverClaimed(em, notifier, await claim(em, notifier, { dedupeKeys }));
  return delivered;
}

/** One relay pass: every message due again (up to `limit`), oldest due first. */
export async function deliverDue(
  em: EntityManager,
  notifier: Notifier,
  limit = 20,
): Promise<{ claimed: number; delivered: number; failed: number }> {
  const rows = await claim(em, notifier, { limit });
  return { claimed: rows.length, ...(await deliverClaimed(em, notifier, rows)) };
}

/** How long a claimed message stays reserved for its sender: longer than any SMTP exchange takes. */
const LEASE_MS = 2 * 60_000;

interface ClaimedRow {
  id: string;
  channel: OutgoingMessage['channel'];
  recipient: string;
  subject: string;
  body: string;
  attempts: number;
  certificate_of_id: string | null;
  template: SmsTemplate | null;
  template_params: Record<string, string> | null;
}

/**
 * Claims due messages in one statement and counts the attempt. A message whose
 * sender died while it was claimed becomes due when its lease ends; one that has
 * used all its attempts is never claimed again but marked failed here.
 */
async function claim(
  em: EntityManager,
  notifier: Notifier,
  which: { dedupeKeys: string[] } | { limit: number },
): Promise<ClaimedRow[]> {
  const now = new Date();
  await em.execute(
    `update notification set status = 'failed', next_attempt_at = null, updated_at = ?,
            last_error = 'the sender stopped during its last attempt'
                         || coalesce(' (earlier: ' || left(last_error, 900) || ')', '')
      where status = 'pending' and next_attempt_at <= ? and attempts >= ?`,
    [now, now, notifier.retry.maxAttempts],
  );
  const byKey = 'dedupeKeys' in which;
  return em.execute<ClaimedRow[]>(
    `with due as (
       select id from notification
        where status = 'pending' and next_attempt_at <= ? and attempts < ?
          ${byKey ? 'and dedupe_key in (?)' : ''}
        order by next_attempt_at
        limit ?
        for update skip locked
     )
     update notification as n
        set attempts = n.attempts + 1, last_attempt_at = ?, next_attempt_at = ?, updated_at = ?
       from due where n.id = due.id
     returning n.id, n.channel, n.recipient, n.subject, n.body, n.attempts, n.certificate_of_id, n.template, n.template_params`,
    [
      now,
      notifier.retry.maxAttempts,
      ...(byKey ? [which.dedupeKeys] : []),
      byKey ? which.dedupeKeys.length : which.limit,
      now,
      new Date(now.getTime() + LEASE_MS),
      now,
    ],
  );
}

/** Sends claimed rows one after another and records each outcome. */
async function deliverClaimed(
  em: EntityManager,
  notifier: Notifier,
  rows: ClaimedRow[],
): Promise<{ delivered: number; failed: number }> {
  let delivered = 0;
  let failed = 0;
  for (const row of rows) {
    let receipt: DeliveryReceipt;
    try {
      const attachments = row.certificate_of_id
        ? await certificateAttachment(em, notifier, row.certificate_of_id)
        : [];
      receipt = await notifier.sink.send({
        id: row.id,
        channel: row.channel,
        recipient: row.recipient,
        subject: row.subject,
        body: row.body,
        attachments,
        template: row.template ? { name: row.template, params: row.template_params ?? {} } : null,
      });
    } catch (err) {
      const giveUp = err instanceof PermanentDeliveryError || row.attempts >= notifier.retry.maxAttempts;
      const delay = retryDelayMs(
        row.attempts,
        notifier.retry.retryBaseSeconds * 1000,
        notifier.retry.retryMaxSeconds * 1000,
      );
      await em.nativeUpdate(
        Notification,
        { id: row.id },
        {
          status: giveUp ? 'failed' : 'pending',
          nextAttemptAt: giveUp ? null : new Date(Date.now() + delay),
          lastError: describe(err).slice(0, 1000),
          updatedAt: new Date(),
        },
      );
      failed++;
      continue;
    }
    // Outside the try: the provider has the message, so failing to record it must not schedule a
    // retry; the row stays claimed and is sent again only when its lease ends (at least once).
    const now = new Date();
    await em.nativeUpdate(
      Notification,
      { id: row.id },
      {
        status: 'delivered',
        deliveredAt: now,
        nextAttemptAt: null,
        lastError: null,
        provider: receipt.provider,
        providerMessageId: receipt.providerMessageId,
        updatedAt: now,
      },
    );
    delivered++;
  }
  return { delivered, failed };
}

/** The order's certificate as it stands now (rendered and stored on first use, voided when cancelled). */
async function certificateAttachment(
  em: EntityManager,
  notifier: Notifier,
  orderId: string,
): Promise<MessageAttachment[]> {
  const order = await em.findOneOrFail(Order, { id: orderId });
  const content = await orderCertificatePdf(em, order, notifier.config);
  if (!content) throw new Error(`order ${order.orderNumber} has no certificate yet`);
  return [
    {
      filename: `yanbao-certificate-${order.orderNumber}.pdf`,
      contentType: 'application/pdf',
      content,
    },
  ];
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = 'code' in err && typeof err.code === 'string' ? `${err.code}: ` : '';
  return `${code}${err.message}`;
}

export interface OutboxRelay {
  /** Stops polling and waits for the current pass. */
  stop(): Promise<void>;
}

/**
 * Retries what is due every `relayEverySeconds` (at once again after a full
 * pass). Several workers may run one against the same database: claims skip
 * each other's rows. Its timer never keeps the process alive.
 */
export function startOutboxRelay(
  orm: MikroORM,
  notifier: Notifier,
  log: { error(details: object, message: string): void },
): OutboxRelay {
  const batch = 20;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;
  const schedule = (delayMs: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      pass = deliverDue(orm.em.fork(), notifier, batch)
        .then(
          ({ claimed }) => claimed >= batch,
          (err: unknown) => {
            log.error({ err }, 'outbox relay pass failed');
            return false;
          },
        )
        .then((full) => {
          pass = undefined;
          schedule(full ? 0 : notifier.retry.relayEverySeconds * 1000);
        });
    }, delayMs);
    timer.unref();
  };
  schedule(0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await pass;
    },
  };
}
