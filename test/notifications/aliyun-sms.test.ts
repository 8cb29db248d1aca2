/**
 * SMS through Aliyun's official SDK to a local endpoint that checks the request's signature
 * and parameters: a purchase confirmation with its template and variables, a signature made
 * with the wrong secret (refused, retried), a number Aliyun refuses (failed for good) and
 * throttling (retried).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliyunSmsConfig } from '../../src/config.ts';
import { Notification, Order } from '../../src/domain/entities/index.ts';
import { aliyunPhoneNumber, aliyunSmsSink } from '../../src/notifications/aliyun-sms.sink.ts';
import {
  channelSinks,
  createNotifier,
  enqueueAndDeliver,
  logSink,
  type QueuedMessage,
} from '../../src/notifications/notifier.ts';
import { type AliyunSmsEndpoint, startAliyunSmsEndpoint } from '../helpers/aliyun-sms-endpoint.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { activeOrder, publishedPlan } from '../helpers/purchase-fixtures.ts';

const KEY_ID = 'LTAI5tTestAccessKey';
const SECRET = 'test-access-key-secret';
const TEMPLATES = {
  order_confirmed: 'SMS_100000001',
  order_cancelled: 'SMS_100000002',
  claim_update: 'SMS_100000003',
  lookup_code: 'SMS_100000004',
};

describe('SMS through the Aliyun SDK', () => {
  let aliyun: AliyunSmsEndpoint;
  let h: Harness;
  let sms: AliyunSmsConfig;
  const em = () => h.db.orm.em.fork();
  const row = (dedupeKey: string) => em().findOneOrFail(Notification, { dedupeKey });
  const code = (): QueuedMessage => ({
    dedupeKey: `test-sms:${randomUUID()}`,
    channel: 'sms',
    recipient: '+8613912345678',
    subject: '延保查询验证码 / Yanbao lookup code',
    body: '验证码 123456，5 分钟内有效。',
    template: { name: 'lookup_code', params: { code: '123456' } },
  });

  beforeAll(async () => {
    aliyun = await startAliyunSmsEndpoint(KEY_ID, SECRET);
    sms = {
      accessKeyId: KEY_ID,
      accessKeySecret: SECRET,
      signName: '延保',
      templates: TEMPLATES,
      endpoint: aliyun.endpoint,
      protocol: 'http',
    };
    h = await startHarness(
      {},
      { listen: true, sink: channelSinks({ email: logSink(() => {}), sms: aliyunSmsSink(sms) }) },
    );
  });
  afterAll(async () => {
    await h?.close();
    await aliyun?.close();
  });

  it("sends a purchase confirmation with the signature, the template and its variables, and records Aliyun's BizId", async () => {
    const plan = await publishedPlan(h);
    const placed = await activeOrder(h, plan.code, { consumerPhone: '13800138000' });
    const order = await em().findOneOrFail(Order, { orderNumber: placed.orderNumber });
    const sent = await row(`order-confirmation:${placed.orderNumber}`);
    const request = aliyun.received.find((r) => r.outId === sent.id);
    expect(request).toEqual({
      phoneNumbers: '13800138000',
      signName: '延保',
      templateCode: TEMPLATES.order_confirmed,
      templateParam: {
        order: placed.orderNumber,
        start: order.coverageStart,
        end: order.coverageEnd,
        link: placed.orderUrl,
      },
      outId: sent.id,
    });
    expect(sent).toMatchObject({ status: 'delivered', provider: 'aliyun-sms', attempts: 1 });
    expect(sent.providerMessageId).toMatch(/^\d+\^0$/);
  });

  it('is refused when signed with another secret, and retried', async () => {
    const forged = createNotifier(aliyunSmsSink({ ...sms, accessKeySecret: 'not-the-secret' }), h.config);
    const message = code();
    const before = aliyun.received.length;
    expect(await enqueueAndDeliver(em(), forged, [message])).toBe(0);
    expect(aliyun.received).toHaveLength(before);
    const refused = await row(message.dedupeKey);
    expect(refused).toMatchObject({ status: 'pending', attempts: 1 });
    expect(refused.lastError).toMatch(/SignatureDoesNotMatch/);
  });

  it('fails for good on a refusal another attempt cannot change, and retries throttling', async () => {
    aliyun.answerWith('isv.MOBILE_NUMBER_ILLEGAL');
    try {
      const illegal = code();
      await enqueueAndDeliver(em(), h.notifications, [illegal]);
      expect(await row(illegal.dedupeKey)).toMatchObject({
        status: 'failed',
        nextAttemptAt: null,
        lastError: 'Aliyun SMS isv.MOBILE_NUMBER_ILLEGAL: refused: isv.MOBILE_NUMBER_ILLEGAL',
      });
      aliyun.answerWith('isv.BUSINESS_LIMIT_CONTROL');
      const throttled = code();
      await enqueueAndDeliver(em(), h.notifications, [throttled]);
      const waiting = await row(throttled.dedupeKey);
      expect(waiting).toMatchObject({ status: 'pending', attempts: 1 });
      expect(waiting.lastError).toMatch(/BUSINESS_LIMIT_CONTROL/);
    } finally {
      aliyun.answerWith('OK');
    }
  });

  it('writes numbers as Aliyun takes them', () => {
    expect(aliyunPhoneNumber('+8613912345678')).toBe('13912345678');
    expect(aliyunPhoneNumber('+85291234567')).toBe('85291234567');
  });
});
