/** SMS through Aliyun SMS (dysmsapi 2017-05-25) with its official SDK: approved templates and signature. */
import Dysmsapi, { SendSmsRequest } from '@alicloud/dysmsapi20170525';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import * as $dara from '@darabonba/typescript';
import type { AliyunSmsConfig } from '../config.ts';
import { type NotificationSink, PermanentDeliveryError } from './notifier.ts';

// The package is CommonJS with `exports.default`: Node's ESM import gives the module object,
// bundlers' interop (vitest) the class itself.
type SmsClient = typeof Dysmsapi.default;
const Client: SmsClient =
  typeof Dysmsapi.default === 'function' ? Dysmsapi.default : (Dysmsapi as unknown as SmsClient);

/**
 * Answers that another attempt cannot change (the number, template or variables are wrong);
 * the rest — throttling (`isv.BUSINESS_LIMIT_CONTROL`, `isv.DAY_LIMIT_CONTROL`), the account,
 * the service — are retried.
 * https://help.aliyun.com/zh/sms/developer-reference/api-error-codes
 */
const PERMANENT_CODES = new Set([
  'isv.MOBILE_NUMBER_ILLEGAL',
  'isv.MOBILE_COUNT_OVER_LIMIT',
  'isv.TEMPLATE_MISSING_PARAMETERS',
  'isv.TEMPLATE_PARAMS_ILLEGAL',
  'isv.PARAM_LENGTH_LIMIT',
  'isv.PARAM_NOT_SUPPORT_URL',
  'isv.INVALID_JSON_PARAM',
  'isv.BLACK_KEY_CONTROL_LIMIT',
  'isv.DENY_IP_RANGE',
]);

/** Aliyun takes Chinese mainland numbers without +86 and others with their country code, without +. */
export function aliyunPhoneNumber(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164.replace(/^\+/, '');
}

export function aliyunSmsSink(config: AliyunSmsConfig): NotificationSink {
  const client = new Client(
    new $OpenApiUtil.Config({
      accessKeyId: config.accessKeyId,
      accessKeySecret: config.accessKeySecret,
      endpoint: config.endpoint,
      protocol: config.protocol,
    }),
  );
  // The outbox retries with backoff; the SDK's own quick retries would only send duplicates sooner.
  const runtime = new $dara.RuntimeOptions({ autoretry: false, connectTimeout: 10_000, readTimeout: 20_000 });
  return {
    async send(message) {
      if (!message.template)
        throw new PermanentDeliveryError('an SMS needs a template: Aliyun sends no free text');
      const response = await client.sendSmsWithOptions(
        new SendSmsRequest({
          phoneNumbers: aliyunPhoneNumber(message.recipient),
          signName: config.signName,
          templateCode: config.templates[message.template.name],
          templateParam: JSON.stringify(message.template.params),
          // Comes back in Aliyun's delivery receipts, naming the outbox row.
          outId: message.id,
        }),
        runtime,
      );
      const body = response.body;
      if (body?.code === 'OK') return { provider: 'aliyun-sms', providerMessageId: body.bizId ?? null };
      const reason = `Aliyun SMS ${body?.code ?? 'no answer'}: ${body?.message ?? ''}`;
      throw PERMANENT_CODES.has(body?.code ?? '') ? new PermanentDeliveryError(reason) : new Error(reason);
    },
  };
}
