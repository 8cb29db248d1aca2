import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { PAYMENT_PROVIDERS } from '../../domain/entities/order.entity.ts';
import { notFound } from '../../domain/errors.ts';
import { NotificationRefused, receivePaymentNotification } from '../../services/payment-notifications.ts';
import { errors, StringEnum } from '../schemas.ts';

/** Asynchronous payment notifications (services/payment-notifications.ts), refusals counted by reason. */
export const paymentCallbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { payments, temporal: client, config } = app.deps;
  // Signatures cover the exact bytes sent, so this route reads the raw body.
  app.addContentTypeParser(
    ['application/json', 'application/x-www-form-urlencoded'],
    { parseAs: 'string', bodyLimit: 64 * 1024 },
    (_request, body, done) => done(null, body),
  );

  app.post(
    '/payments/:provider/notify',
    {
      schema: {
        tags: ['payments'],
        summary: "A payment provider's signed asynchronous notification",
        params: Type.Object({ provider: StringEnum(PAYMENT_PROVIDERS) }),
        body: Type.String({ description: 'raw body as the provider sent it' }),
        response: { ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const provider = payments[request.params.provider];
      if (!provider) throw notFound('paymentProvider', { provider: request.params.provider });
      try {
        await receivePaymentNotification(
          { em: request.em, client, config, log: request.log },
          provider,
          request.body,
          request.headers,
        );
      } catch (err) {
        if (!(err instanceof NotificationRefused)) throw err;
        app.metrics.callbacksRefused.inc({ provider: provider.name, reason: err.reason });
        // WeChat Pay's protocol: a refusal answers {"code":"FAIL","message":…} (and it retries).
        if (provider.name === 'wechatpay')
          return reply.code(err.status).send({
            error: err.code,
            code: 'FAIL',
            message: `${err.reason}: ${String(err.detail.params?.detail ?? '')}`,
          });
        throw err;
      }
      return reply.type(provider.acknowledgement.contentType).send(provider.acknowledgement.body);
    },
  );
};
