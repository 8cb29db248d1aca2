import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { SMS_TEMPLATES } from '../sms-templates.ts';
import { baseProperties } from './base.ts';
import { Order } from './order.entity.ts';

export const NOTIFICATION_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/**
 * The outbox: a message is written once (unique dedupe key, so activity
 * retries do not send twice) and delivered by the notifier afterwards, retried
 * with backoff until it is delivered or has failed for good
 * (src/notifications/notifier.ts).
 */
export const Notification = defineEntity({
  name: 'Notification',
  properties: {
    ...baseProperties,
    dedupeKey: p.string().length(200).unique(),
    channel: p.enum(['email', 'sms'] as const),
    recipient: p.string().length(254),
    subject: p.string().length(200),
    body: p.text(),
    status: p
      .enum([...NOTIFICATION_STATUSES])
      .default('pending')
      .index(),
    /** Attempts started, a crashed one included (it counts, so a message that crashes its sender ends). */
    attempts: p.integer().default(0),
    /** When the next attempt is due while pending; a claimed message's lease while it is being sent. */
    nextAttemptAt: p.datetime().nullable(),
    lastAttemptAt: p.datetime().nullable(),
    /** Why the last attempt failed (the provider's answer or the connection error). */
    lastError: p.string().length(1000).nullable(),
    /** Who took the message: `smtp`, or `log` for the development sink. */
    provider: p.string().length(20).nullable(),
    /** The provider's id of the accepted message (the SMTP Message-ID). */
    providerMessageId: p.string().length(255).nullable(),
    deliveredAt: p.datetime().nullable(),
    /** An SMS's template and its variables; the body is the same text for the log and the audit. */
    template: p.enum([...SMS_TEMPLATES]).nullable(),
    templateParams: p.json<Record<string, string>>().nullable(),
    /** The order whose warranty certificate (PDF) goes with the message as an attachment. */
    certificateOf: () => p.manyToOne(Order).mapToPk().nullable(),
  },
});
export type Notification = InferEntity<typeof Notification>;
