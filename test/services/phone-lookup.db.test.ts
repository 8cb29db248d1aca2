/**
 * The one-time-code rules on PostgreSQL: the same work for every number, a
 * message only for one with orders, five codes an hour, five tries a code,
 * single use, expiry, and a newer code retiring the older.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Notification, Order, PhoneChallenge } from '../../src/domain/entities/index.ts';
import {
  MAX_ATTEMPTS,
  MAX_CODES_PER_PHONE_PER_HOUR,
  ordersOfPhone,
  requestLookupCode,
  verifyLookupCode,
} from '../../src/services/phone-lookup.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { orderRow, planRows } from '../helpers/order-rows.ts';

const SECRET = 'phone-lookup-test-secret-0123456789';
let phoneCounter = 13_700_000_000;
const newPhone = () => `+86${phoneCounter++}`;

describe('phone lookup codes', () => {
  let db: TestDatabase;
  const em = (): EntityManager => db.orm.em.fork();

  beforeAll(async () => {
    db = await createTestDatabase(inject('templateDatabase'));
  });
  afterAll(() => db?.drop());

  /** Asks for a code and reads it back from the message the service wrote. */
  async function codeFor(phone: string): Promise<string> {
    const requested = await requestLookupCode(em(), SECRET, phone);
    if (requested.outcome !== 'sent') throw new Error(`no code: ${requested.outcome}`);
    const message = await em().findOneOrFail(Notification, { dedupeKey: requested.dedupeKey });
    return (message.templateParams as { code: string }).code;
  }

  it('stores a challenge for every number, but writes the message only for one that bought a plan', async () => {
    const stranger = newPhone();
    const stored = await requestLookupCode(em(), SECRET, stranger);
    expect(stored.outcome).toBe('sent');
    expect(await em().count(PhoneChallenge, { phone: stranger })).toBe(1);
    expect(await em().count(Notification, { recipient: stranger })).toBe(0);

    const customer = newPhone();
    await orderRow(em(), await planRows(em()), { consumerPhone: customer });
    const sent = await requestLookupCode(em(), SECRET, customer);
    if (sent.outcome !== 'sent') throw new Error('refused');
    const message = await em().findOneOrFail(Notification, { dedupeKey: sent.dedupeKey });
    expect(message).toMatchObject({
      channel: 'sms',
      recipient: customer,
      status: 'pending',
      template: 'lookup_code',
    });
    const { code } = message.templateParams as { code: string };
    expect(code).toMatch(/^\d{6}$/);
    expect(message.body).toBe(`验证码 ${code}，5 分钟内有效。Your code is ${code}, valid for 5 minutes.`);
  });

  it(`refuses a number its ${MAX_CODES_PER_PHONE_PER_HOUR + 1}th code within the hour`, async () => {
    const phone = newPhone();
    for (let i = 0; i < MAX_CODES_PER_PHONE_PER_HOUR; i++)
      expect((await requestLookupCode(em(), SECRET, phone)).outcome).toBe('sent');
    expect(await requestLookupCode(em(), SECRET, phone)).toEqual({ outcome: 'too_many' });
    expect(await em().count(PhoneChallenge, { phone })).toBe(MAX_CODES_PER_PHONE_PER_HOUR);
  });

  it('accepts the right code once, and never for another number', async () => {
    const phone = newPhone();
    await orderRow(em(), await planRows(em()), { consumerPhone: phone });
    const code = await codeFor(phone);
    expect(await verifyLookupCode(em(), SECRET, newPhone(), code)).toBe(false);
    expect(await verifyLookupCode(em(), SECRET, phone, ` ${code} `)).toBe(true);
    expect(await verifyLookupCode(em(), SECRET, phone, code)).toBe(false);
  });

  it(`compares no more than ${MAX_ATTEMPTS} guesses, even when they arrive at once`, async () => {
    const phone = newPhone();
    await orderRow(em(), await planRows(em()), { consumerPhone: phone });
    const code = await codeFor(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    const guesses = await Promise.all(
      Array.from({ length: MAX_ATTEMPTS + 2 }, () => verifyLookupCode(em(), SECRET, phone, wrong)),
    );
    expect(guesses.every((ok) => !ok)).toBe(true);
    const challenge = await em().findOneOrFail(PhoneChallenge, { phone });
    expect(challenge.attempts).toBe(MAX_ATTEMPTS);
    expect(await verifyLookupCode(em(), SECRET, phone, code)).toBe(false);
  });

  it('refuses an expired code, and an older code once a newer one is sent', async () => {
    const phone = newPhone();
    await orderRow(em(), await planRows(em()), { consumerPhone: phone });
    const expired = await codeFor(phone);
    await em().nativeUpdate(PhoneChallenge, { phone }, { expiresAt: new Date(Date.now() - 1000) });
    expect(await verifyLookupCode(em(), SECRET, phone, expired)).toBe(false);

    const older = await codeFor(phone);
    const newer = await codeFor(phone);
    if (older !== newer) expect(await verifyLookupCode(em(), SECRET, phone, older)).toBe(false);
    expect(await verifyLookupCode(em(), SECRET, phone, newer)).toBe(true);
  });

  it("lists a verified number's orders newest first, each with its plan", async () => {
    const phone = newPhone();
    const plan = await planRows(em());
    const first = await orderRow(em(), plan, { consumerPhone: phone });
    const second = await orderRow(em(), plan, { consumerPhone: phone });
    await orderRow(em(), plan, { consumerPhone: newPhone() });
    await em().nativeUpdate(Order, { id: first.id }, { createdAt: new Date(Date.now() - 86_400_000) });
    const listed = await ordersOfPhone(em(), phone);
    expect(listed.map(({ order }) => order.orderNumber)).toEqual([second.orderNumber, first.orderNumber]);
    expect(listed.every(({ plan: p }) => p?.id === plan.planId)).toBe(true);
  });
});
