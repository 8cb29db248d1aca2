import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { payloadKeysFromEnv } from '../../src/config.ts';
import {
  AesGcmPayloadCodec,
  decodeHistoryPayloads,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
} from '../../src/temporal/payload-codec.ts';

const key = () => randomBytes(32);
const codecWith = (currentKeyId: string, entries: [string, Buffer][]) =>
  new AesGcmPayloadCodec({ currentKeyId, keys: new Map(entries) });
const text = (bytes: Uint8Array | null | undefined) => new TextDecoder().decode(bytes ?? new Uint8Array());
const asPayload = (value: unknown) => defaultPayloadConverter.toPayload(value) as Payload;
/** The codec's single output for a single input. */
const one = (payloads: Payload[]): Payload => {
  const [payload] = payloads;
  if (!payload || payloads.length !== 1) throw new Error('expected exactly one payload');
  return payload;
};
const sameBytes = (a: Payload, b: Payload) =>
  expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(true);

describe('AES-256-GCM payload codec', () => {
  const k1 = key();
  const codec = codecWith('k1', [['k1', k1]]);

  it('roundtrips any JSON value and leaves no clear bytes of it in the encoded payload', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.string({ minLength: 8 }), async (value, secret) => {
        const original = asPayload({ value, secret });
        const encoded = one(await codec.encode([original]));
        expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
        expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe('k1');
        expect(Buffer.from(encoded.data ?? []).includes(Buffer.from(JSON.stringify(secret)))).toBe(false);
        const decoded = one(await codec.decode([encoded]));
        // The codec works on bytes: compare bytes, since JSON itself turns -0 into 0.
        sameBytes(decoded, original);
        expect(defaultPayloadConverter.fromPayload(decoded)).toEqual(
          defaultPayloadConverter.fromPayload(original),
        );
      }),
    );
  });

  it('uses a fresh IV per payload: the same value never encrypts to the same bytes', async () => {
    const a = one(await codec.encode([asPayload('13800138000')]));
    const b = one(await codec.encode([asPayload('13800138000')]));
    expect(Buffer.from(a.data ?? []).equals(Buffer.from(b.data ?? []))).toBe(false);
  });

  it('refuses a payload whose ciphertext, IV or tag was altered (any byte, any bit)', async () => {
    const encoded = one(await codec.encode([asPayload({ phone: '13800138000', name: '张三' })]));
    const length = encoded.data?.length ?? 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: length - 1 }), fc.integer({ min: 1, max: 255 }), async (at, flip) => {
        const data = Uint8Array.from(encoded.data ?? []);
        data[at] = (data[at] ?? 0) ^ flip;
        await expect(codec.decode([{ ...encoded, data }])).rejects.toThrow();
      }),
    );
  });

  it('refuses a payload relabelled with another listed key id', async () => {
    const both = codecWith('k1', [
      ['k1', k1],
      ['k2', key()],
    ]);
    const encoded = one(await both.encode([asPayload('张三')]));
    const relabelled = {
      ...encoded,
      metadata: { ...encoded.metadata, [KEY_ID_METADATA]: new TextEncoder().encode('k2') },
    };
    await expect(both.decode([relabelled])).rejects.toThrow();
  });

  it('names an unknown key id in its error', async () => {
    const encoded = one(await codecWith('old', [['old', key()]]).encode([asPayload('x')]));
    await expect(codec.decode([encoded])).rejects.toThrow(/unknown key "old"/);
  });

  it('decodes payloads encrypted with the old key after the new key became primary', async () => {
    const old = key();
    const before = codecWith('2025', [['2025', old]]);
    const sealed = one(await before.encode([asPayload({ serial: 'SN-0001' })]));
    const after = codecWith('2026', [
      ['2026', key()],
      ['2025', old],
    ]);
    expect(defaultPayloadConverter.fromPayload(one(await after.decode([sealed])))).toEqual({
      serial: 'SN-0001',
    });
    const fresh = one(await after.encode([asPayload('new')]));
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('2026');
  });

  it('passes unencrypted payloads (older histories, fixtures) through unchanged', async () => {
    const plain = asPayload({ phone: '13800138000' });
    const decoded = one(await codec.decode([plain]));
    expect(decoded).toBe(plain);
  });

  it('decodes every payload nested in a history, leaving other fields alone', async () => {
    const input = one(await codec.encode([asPayload({ name: '张三' })]));
    const header = one(await codec.encode([asPayload('h')]));
    const history = {
      events: [
        {
          eventId: 1,
          workflowExecutionStartedEventAttributes: {
            input: { payloads: [input] },
            header: { fields: { h: header } },
          },
        },
      ],
    };
    await decodeHistoryPayloads(history, codec);
    const attributes = history.events.map((e) => e.workflowExecutionStartedEventAttributes)[0];
    const decodedInput = one(attributes?.input.payloads ?? []);
    expect(defaultPayloadConverter.fromPayload(decodedInput)).toEqual({ name: '张三' });
    sameBytes(decodedInput, asPayload({ name: '张三' }));
    expect(defaultPayloadConverter.fromPayload(attributes?.header.fields.h ?? {})).toBe('h');
  });
});

describe('payload keys from the environment', () => {
  const b64 = (bytes: Buffer) => bytes.toString('base64');

  it('takes the first listed key unless PAYLOAD_KEY_ID names another', () => {
    const [a, b] = [key(), key()];
    const list = `new:${b64(a)}, old:${b64(b)}`;
    expect(payloadKeysFromEnv('production', { PAYLOAD_KEYS: list }).currentKeyId).toBe('new');
    const chosen = payloadKeysFromEnv('production', { PAYLOAD_KEYS: list, PAYLOAD_KEY_ID: 'old' });
    expect(chosen.currentKeyId).toBe('old');
    expect(chosen.keys.get('new')?.equals(a)).toBe(true);
  });

  it('refuses production without keys, short keys, duplicate ids and an unlisted PAYLOAD_KEY_ID', () => {
    expect(() => payloadKeysFromEnv('production', {})).toThrow(/PAYLOAD_KEYS must be set in production/);
    expect(() => payloadKeysFromEnv('production', { PAYLOAD_KEYS: `a:${b64(randomBytes(16))}` })).toThrow(
      /32-byte/,
    );
    const k = b64(key());
    expect(() => payloadKeysFromEnv('production', { PAYLOAD_KEYS: `a:${k},a:${k}` })).toThrow(/twice/);
    expect(() => payloadKeysFromEnv('production', { PAYLOAD_KEYS: `a:${k}`, PAYLOAD_KEY_ID: 'b' })).toThrow(
      /not listed/,
    );
  });

  it('falls back to the marked development key outside production', () => {
    const keys = payloadKeysFromEnv('development', {});
    expect(keys.currentKeyId).toBe('development-only');
    expect(keys.keys.get('development-only')).toHaveLength(32);
  });
});
