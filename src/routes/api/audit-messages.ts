/**
 * The outbox as auditors see it: every message with its delivery status — attempts, the next
 * attempt, the last error, the provider and its message id. Consumers' phone numbers are masked
 * and bodies are left out (they carry order links that open the order).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { NOTIFICATION_STATUSES } from '../../domain/entities/notification.entity.ts';
import { requireUser } from '../../plugins/auth.ts';
import { CHANNELS, outboxMessages } from '../../services/outbox-messages.ts';
import { errors, Id, Pagination, StringEnum } from '../schemas.ts';

const MessageView = Type.Object({
  id: Id,
  dedupeKey: Type.String({
    description: 'what the message is about, e.g. order-confirmation:<order number>',
  }),
  channel: StringEnum(CHANNELS),
  recipient: Type.String({ description: 'email address, or the phone number masked' }),
  subject: Type.String(),
  status: StringEnum(NOTIFICATION_STATUSES),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  nextAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastAttemptAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  lastError: Type.Union([Type.String(), Type.Null()]),
  provider: Type.Union([Type.String({ description: 'smtp, or log (development sink)' }), Type.Null()]),
  providerMessageId: Type.Union([Type.String(), Type.Null()]),
  deliveredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdAt: Type.String({ format: 'date-time' }),
  attachesCertificate: Type.Boolean({ description: "the order's warranty certificate (PDF) goes with it" }),
});

const MessagesQuery = Type.Object({
  status: Type.Optional(StringEnum(NOTIFICATION_STATUSES)),
  channel: Type.Optional(StringEnum(CHANNELS)),
  reference: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9-]{4,64}$',
      description: 'an order number, claim number or draft id: the messages about it',
    }),
  ),
});

export const auditMessageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config } = app.deps;
  const staff = requireUser(app, 'auditor', 'platform_admin');

  app.get(
    '/audit/messages',
    {
      onRequest: staff,
      schema: {
        tags: ['audit'],
        summary: 'Outbox messages with their delivery status, newest first',
        querystring: Type.Composite([MessagesQuery, Pagination]),
        response: {
          200: Type.Object({ items: Type.Array(MessageView), total: Type.Integer() }),
          ...errors(400, 401, 403),
        },
      },
    },
    async (request) => outboxMessages(request.em, config, request.query),
  );
};
