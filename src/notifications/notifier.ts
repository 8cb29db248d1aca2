import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Notification } from '../domain/entities/index.ts';

export interface OutgoingMessage {
  channel: 'email' | 'sms';
  recipient: string;
  subject: string;
  body: string;
}

/** Where messages finally go: SMTP/SMS adapters in production, the log in development. */
export interface NotificationSink {
  send(message: OutgoingMessage): Promise<void>;
}

export function logSink(log: (line: string) => void): NotificationSink {
  return {
    async send(message) {
      log(`[notification ${message.channel} → ${message.recipient}] ${message.subject}\n${message.body}`);
    },
  };
}

/**
 * Writes messages to the outbox once (the dedupe key makes activity retries
 * harmless), then delivers whatever is pending through the sink.
 */
export async function enqueueAndDeliver(
  em: EntityManager,
  sink: NotificationSink,
  messages: (OutgoingMessage & { dedupeKey: string })[],
): Promise<number> {
  for (const message of messages) {
    const now = new Date();
    await em.upsert(
      Notification,
      { id: randomUUID(), createdAt: now, updatedAt: now, ...message, status: 'pending', deliveredAt: null },
      { onConflictFields: ['dedupeKey'], onConflictAction: 'ignore' },
    );
  }
  return deliverPending(
    em,
    sink,
    messages.map((m) => m.dedupeKey),
  );
}

/** Delivers the outbox's pending messages with these dedupe keys (none, when they were never written). */
export async function deliverPending(
  em: EntityManager,
  sink: NotificationSink,
  dedupeKeys: string[],
): Promise<number> {
  const pending = await em.find(Notification, { dedupeKey: { $in: dedupeKeys }, status: 'pending' });
  for (const notification of pending) {
    await sink.send(notification);
    notification.status = 'delivered';
    notification.deliveredAt = new Date();
    await em.flush();
  }
  return pending.length;
}
