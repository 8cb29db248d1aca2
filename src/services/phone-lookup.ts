/**
 * Finding one's orders without the link: a one-time code sent to the phone
 * the plan was bought with (rate-limited, expiring after 5 minutes, single
 * use, 5 tries).
 *
 * Asking for a code answers the same for every valid number — the request's
 * own work (one challenge row, one statement) — whether or not it bought
 * something, so the form cannot be used to find customers: the message is
 * written in the same statement only for a number with orders, and the caller
 * delivers it after the response.
 */
import { createHmac, randomInt, randomUUID, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Order, PhoneChallenge, Plan } from '../domain/entities/index.ts';

export const CODE_TTL_MS = 5 * 60_000;
export const MAX_ATTEMPTS = 5;
export const MAX_CODES_PER_PHONE_PER_HOUR = 5;

const codeHash = (secret: string, phone: string, code: string) =>
  createHmac('sha256', secret).update(`otp:${phone}:${code}`).digest('hex');

/** `sent`: a challenge is stored (and a message written if the number has orders) under `dedupeKey`. */
export type CodeRequest = { outcome: 'sent'; dedupeKey: string } | { outcome: 'too_many' };

/** A new code for a (normalised) mobile number, unless it has had too many in the last hour. */
export async function requestLookupCode(
  em: EntityManager,
  secret: string,
  phone: string,
): Promise<CodeRequest> {
  const recent = await em.count(PhoneChallenge, {
    phone,
    createdAt: { $gt: new Date(Date.now() - 3_600_000) },
  });
  if (recent >= MAX_CODES_PER_PHONE_PER_HOUR) return { outcome: 'too_many' };
  // Every request stores a challenge (so the per-phone limit counts requests, whoever asks); the
  // message is written only for a number that bought something, in the same statement.
  const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
  const challengeId = randomUUID();
  const dedupeKey = `lookup-code:${challengeId}`;
  await em.getConnection().execute(
    `with challenge as (
       insert into phone_challenge (id, created_at, updated_at, phone, code_hash, expires_at, attempts)
       values (?, now(), now(), ?, ?, ?, 0))
     insert into notification (id, created_at, updated_at, dedupe_key, channel, recipient, subject, body, status, next_attempt_at, template, template_params)
     select ?, now(), now(), ?, 'sms', ?, ?, ?, 'pending', now(), 'lookup_code', ?
     where exists (select 1 from purchase_order where consumer_phone = ?)`,
    [
      challengeId,
      phone,
      codeHash(secret, phone, code),
      new Date(Date.now() + CODE_TTL_MS),
      randomUUID(),
      dedupeKey,
      phone,
      '延保查询验证码 / Yanbao lookup code',
      `验证码 ${code}，5 分钟内有效。Your code is ${code}, valid for 5 minutes.`,
      JSON.stringify({ code }),
      phone,
    ],
  );
  return { outcome: 'sent', dedupeKey };
}

/** Whether `code` is the number's newest live code; a right answer consumes it. */
export async function verifyLookupCode(
  em: EntityManager,
  secret: string,
  phone: string,
  code: string,
): Promise<boolean> {
  // Each guess takes one of the newest code's tries in a single statement: simultaneous guesses
  // queue on the row and each counts, so no more than MAX_ATTEMPTS are ever compared. A newer code
  // retires the older ones.
  const [tried] = await em.getConnection().execute<{ id: string; code_hash: string }[]>(
    `update phone_challenge set attempts = attempts + 1, updated_at = now()
     where id = (select id from phone_challenge where phone = ? and expires_at > now()
                 order by created_at desc limit 1)
       and consumed_at is null and attempts < ?
     returning id, code_hash`,
    [phone, MAX_ATTEMPTS],
  );
  if (!tried) return false;
  const given = Buffer.from(codeHash(secret, phone, code.trim()));
  if (!timingSafeEqual(given, Buffer.from(tried.code_hash))) return false;
  // Single use, also when the right code arrives twice at once: only one request consumes it.
  return (
    (await em.nativeUpdate(
      PhoneChallenge,
      { id: tried.id, consumedAt: null },
      { consumedAt: new Date() },
    )) === 1
  );
}

/** A verified number's newest orders (at most 50), each with its plan. */
export async function ordersOfPhone(em: EntityManager, phone: string) {
  const orders = await em.find(
    Order,
    { consumerPhone: phone },
    { orderBy: { createdAt: 'desc' }, limit: 50 },
  );
  const plans = new Map(
    (await em.find(Plan, { id: { $in: orders.map((o) => o.plan) } })).map((plan) => [plan.id, plan]),
  );
  return orders.map((order) => ({ order, plan: plans.get(order.plan) }));
}
