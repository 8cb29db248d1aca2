/**
 * The outbox as auditors see it: every message with its delivery status.
 * Consumers' phone numbers are masked and bodies are left out (they carry
 * order links that open the order).
 */
import type { FilterQuery } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppConfig } from '../config.ts';
import { Notification } from '../domain/entities/index.ts';
import type { NOTIFICATION_STATUSES } from '../domain/entities/notification.entity.ts';
import { maskPhone } from '../domain/phone.ts';

export const CHANNELS = ['email', 'sms'] as const;

export interface OutboxMessageQuery {
  status?: (typeof NOTIFICATION_STATUSES)[number] | undefined;
  channel?: (typeof CHANNELS)[number] | undefined;
  /** An order number, claim number or draft id, without LIKE's wildcards: the messages about it. */
  reference?: string | undefined;
  limit: number;
  offset: number;
}

/** A page of outbox messages, newest first, and how many there are. */
export async function outboxMessages(
  em: EntityManager,
  config: Pick<AppConfig, 'outbox'>,
  { status, channel, reference, limit, offset }: OutboxMessageQuery,
) {
  const where: FilterQuery<Notification> = {
    ...(status ? { status } : {}),
    ...(channel ? { channel } : {}),
    // The route's pattern leaves out LIKE's wildcards, so the reference matches literally.
    ...(reference ? { dedupeKey: { $like: `%:${reference}%` } } : {}),
  };
  const [rows, total] = await em.findAndCount(Notification, where, {
    orderBy: { createdAt: 'desc', id: 'asc' },
    limit,
    offset,
  });
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    total,
    items: rows.map((n) => ({
      id: n.id,
      dedupeKey: n.dedupeKey,
      channel: n.channel,
      recipient: n.channel === 'sms' ? maskPhone(n.recipient) : n.recipient,
      subject: n.subject,
      status: n.status,
      attempts: n.attempts,
      maxAttempts: config.outbox.maxAttempts,
      nextAttemptAt: iso(n.nextAttemptAt),
      lastAttemptAt: iso(n.lastAttemptAt),
      lastError: n.lastError ?? null,
      provider: n.provider ?? null,
      providerMessageId: n.providerMessageId ?? null,
      deliveredAt: iso(n.deliveredAt),
      createdAt: n.createdAt.toISOString(),
      attachesCertificate: n.certificateOf != null,
    })),
  };
}
