/** The sandbox gateway's callback signature, through the provider's own verifyCallback. */
import type { MikroORM } from '@mikro-orm/postgresql';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CallbackRejected } from '../../src/payments/provider.ts';
import { SandboxGateway } from '../../src/payments/sandbox.gateway.ts';
import {
  parseSandboxEvent,
  SANDBOX_SIGNATURE_HEADER,
  signSandboxPayload,
  verifySandboxSignature,
} from '../../src/payments/sandbox-signature.ts';

const SECRET = 'test-sandbox-signing-secret-0123456789abcdef';
const TOLERANCE = 300;
// verifyCallback never touches the database.
const gateway = new SandboxGateway({
  orm: {} as MikroORM,
  publicBaseUrl: 'https://yanbao.test',
  signingSecret: SECRET,
  toleranceSeconds: TOLERANCE,
});

const event = {
  id: 'captured-5f1c7a52-3f0e-4a53-9c55-3b1d2a8f9e10',
  type: 'payment.captured',
  payment_id: '5f1c7a52-3f0e-4a53-9c55-3b1d2a8f9e10',
  order_number: 'YBABCDEFGHJKLMNP',
  amount_fen: 129900,
  currency: 'CNY',
  created_at: '2026-11-25T08:00:00.000Z',
};
const body = JSON.stringify(event);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const signed = (raw: string, t = nowSeconds(), secret = SECRET) => ({
  [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(secret, raw, t),
});

async function rejection(raw: string, headers: Record<string, string | string[] | undefined>) {
  const error = await gateway.verifyCallback(raw, headers).then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(CallbackRejected);
  return error as CallbackRejected;
}

describe('sandbox callback signature', () => {
  it('accepts a correctly signed callback and maps it to a notification', async () => {
    expect(await gateway.verifyCallback(body, signed(body))).toEqual({
      provider: 'sandbox',
      eventId: event.id,
      providerPaymentId: event.payment_id,
      orderNumber: event.order_number,
      kind: 'captured',
      amountFen: 129900,
      currency: 'CNY',
    });
    for (const [type, kind] of [
      ['payment.closed', 'closed'],
      ['payment.refunded', 'refunded'],
      ['payment.failed', 'failed'],
    ]) {
      const raw = JSON.stringify({ ...event, type });
      expect((await gateway.verifyCallback(raw, signed(raw))).kind).toBe(kind);
    }
  });

  it('accepts a timestamp inside the tolerance window, and any one of several v1 signatures', async () => {
    await expect(
      gateway.verifyCallback(body, signed(body, nowSeconds() - TOLERANCE + 5)),
    ).resolves.toBeTruthy();
    await expect(
      gateway.verifyCallback(body, signed(body, nowSeconds() + TOLERANCE - 5)),
    ).resolves.toBeTruthy();
    const t = nowSeconds();
    const rotated = `t=${t},v1=${'0'.repeat(64)},${signSandboxPayload(SECRET, body, t).split(',')[1]}`;
    await expect(gateway.verifyCallback(body, { [SANDBOX_SIGNATURE_HEADER]: rotated })).resolves.toBeTruthy();
  });

  it('rejects a signature made with another secret (forged) with 401', async () => {
    const err = await rejection(body, signed(body, nowSeconds(), 'someone-elses-secret-0123456789abcdef'));
    expect(err.status).toBe(401);
  });

  it('rejects an altered body and an altered timestamp with 401', async () => {
    const t = nowSeconds();
    const headers = signed(body, t);
    const altered = body.replace('129900', '1');
    expect((await rejection(altered, headers)).status).toBe(401);
    const header = headers[SANDBOX_SIGNATURE_HEADER];
    const shifted = header.replace(`t=${t}`, `t=${t - 1}`);
    expect((await rejection(body, { [SANDBOX_SIGNATURE_HEADER]: shifted })).status).toBe(401);
  });

  it('rejects stale timestamps beyond the tolerance, in both directions, even when correctly signed', async () => {
    const past = await rejection(body, signed(body, nowSeconds() - TOLERANCE - 2));
    expect(past.status).toBe(401);
    expect(past.message).toMatch(/tolerance/);
    const future = await rejection(body, signed(body, nowSeconds() + TOLERANCE + 2));
    expect(future.status).toBe(401);
  });

  it('rejects a missing, repeated or malformed header with 400', async () => {
    const t = nowSeconds();
    const good = signSandboxPayload(SECRET, body, t);
    const v1 = good.split(',')[1] as string;
    for (const headers of [
      {},
      { [SANDBOX_SIGNATURE_HEADER]: '' },
      { [SANDBOX_SIGNATURE_HEADER]: 'garbage' },
      { [SANDBOX_SIGNATURE_HEADER]: v1 }, // no timestamp
      { [SANDBOX_SIGNATURE_HEADER]: `t=${t}` }, // no signature
      { [SANDBOX_SIGNATURE_HEADER]: `t=${t},v1=xyz` },
      { [SANDBOX_SIGNATURE_HEADER]: `t=${t},v1=${'A'.repeat(64)}` },
      { [SANDBOX_SIGNATURE_HEADER]: `t=-5,${v1}` },
      { [SANDBOX_SIGNATURE_HEADER]: `t=${t},t=${t},${v1}` },
      { [SANDBOX_SIGNATURE_HEADER]: [good, good] },
    ]) {
      expect((await rejection(body, headers)).status, JSON.stringify(headers)).toBe(400);
    }
  });

  it('reads the header case-insensitively', async () => {
    const header = signSandboxPayload(SECRET, body, nowSeconds());
    await expect(gateway.verifyCallback(body, { 'X-Sandbox-Signature': header })).resolves.toBeTruthy();
  });

  it('rejects a correctly signed but malformed body with 400', async () => {
    for (const raw of [
      '{"id":',
      '[]',
      'null',
      JSON.stringify({ ...event, type: 'payment.teleported' }),
      JSON.stringify({ ...event, amount_fen: 12.5 }),
      JSON.stringify({ ...event, amount_fen: '129900' }),
      JSON.stringify({ ...event, currency: 'cny' }),
      JSON.stringify({ ...event, id: '' }),
      JSON.stringify({ ...event, created_at: 'yesterday' }),
      JSON.stringify({ ...event, order_number: undefined }),
    ]) {
      const err = await rejection(raw, signed(raw));
      expect(err.status, raw).toBe(400);
    }
  });

  it('rejects any single-byte change of the body', async () => {
    const t = nowSeconds();
    const headers = signed(body, t);
    const bytes = Buffer.from(body, 'utf8');
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: bytes.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (index, delta) => {
          const changed = Buffer.from(bytes);
          changed[index] = ((changed[index] as number) + delta) % 256;
          const err = await gateway.verifyCallback(changed.toString('latin1'), headers).then(
            () => null,
            (e: unknown) => e,
          );
          expect(err).toBeInstanceOf(CallbackRejected);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('verifies the signature before anything in the body is trusted, with an injected clock', () => {
    const t = 1_800_000_000;
    const header = signSandboxPayload(SECRET, body, t);
    expect(() =>
      verifySandboxSignature(SECRET, body, header, { toleranceSeconds: 10, nowSeconds: t + 10 }),
    ).not.toThrow();
    expect(() =>
      verifySandboxSignature(SECRET, body, header, { toleranceSeconds: 10, nowSeconds: t + 11 }),
    ).toThrow(CallbackRejected);
    expect(parseSandboxEvent(body)).toEqual(event);
  });
});
