import { defineEntity, type InferEntity, p } from '@mikro-orm/core';
import { baseProperties } from './base.ts';

export const NOTIFICATION_STATUSES = ['pending', 'delivered'] as const;

/**
 * The outbox: a message is written once (unique dedupe key, so activity
 * retries do not send twice) and delivered by the notifier afterwards.
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
    deliveredAt: p.datetime().nullable(),
  },
});
export type Notification = InferEntity<typeof Notification>;
