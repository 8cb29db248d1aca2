/**
 * Encrypts every Temporal payload (workflow arguments, results, signals, Updates, activity
 * inputs — where the consumer's name, phone and serial travel) before it leaves the process, so
 * the Temporal server and its database only ever hold ciphertext. AES-256-GCM with a random
 * 12-byte IV per payload; the key id rides in the metadata so old histories stay readable after
 * the primary key rotates. Payloads without the encrypted encoding (histories recorded before,
 * the replay fixtures) pass through unchanged.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import proto from '@temporalio/proto';

const ProtoPayload = proto.temporal.api.common.v1.Payload;
export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** The key new payloads are encrypted with. */
  currentKeyId: string;
  /** Every key payloads may have been encrypted with, by id (32 bytes each). */
  keys: ReadonlyMap<string, Buffer>;
}

const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly current: { id: string; key: Buffer };
  private readonly payloadKeys: PayloadKeys;

  constructor(payloadKeys: PayloadKeys) {
    this.payloadKeys = payloadKeys;
    const key = payloadKeys.keys.get(payloadKeys.currentKeyId);
    if (!key) throw new ValueError(`payload key "${payloadKeys.currentKeyId}" is not among the keys`);
    for (const [id, k] of payloadKeys.keys)
      if (k.length !== 32) throw new ValueError(`payload key "${id}" must be 32 bytes`);
    this.current = { id: payloadKeys.currentKeyId, key };
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      // The key id is authenticated too: relabelling a payload with another key id fails to decrypt.
      cipher.setAAD(Buffer.from(this.current.id, 'utf8'));
      const plain = ProtoPayload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8.encode(ENCRYPTED_ENCODING),
          [KEY_ID_METADATA]: utf8.encode(this.current.id),
        },
        data: sealed,
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
      if (!encoding || fromUtf8.decode(encoding) !== ENCRYPTED_ENCODING) return payload;
      const idBytes = payload.metadata?.[KEY_ID_METADATA];
      if (!idBytes) throw new ValueError('encrypted payload without an encryption-key-id');
      const keyId = fromUtf8.decode(idBytes);
      const key = this.payloadKeys.keys.get(keyId);
      if (!key) throw new ValueError(`payload encrypted with unknown key "${keyId}" (not in PAYLOAD_KEYS)`);
      const data = Buffer.from(payload.data ?? []);
      if (data.length < IV_BYTES + TAG_BYTES) throw new ValueError('encrypted payload is truncated');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(keyId, 'utf8'));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(), // throws when the ciphertext, IV, tag or key id was altered
      ]);
      return ProtoPayload.decode(plain);
    });
  }
}

/** The data converter every Temporal client and worker of Yanbao uses. */
export function yanbaoDataConverter(payloadKeys: PayloadKeys): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [new AesGcmPayloadCodec(payloadKeys)] };
}

function isPayload(value: object): value is Payload {
  const metadata = (value as Payload).metadata;
  return (
    typeof metadata === 'object' &&
    metadata !== null &&
    (metadata as Record<string, unknown>)[METADATA_ENCODING_KEY] instanceof Uint8Array
  );
}

/**
 * Decodes every payload of a fetched history in place (fetchHistory returns them as stored), so
 * the audit timeline and the auditors' JSON export read clear values. Search attributes are
 * never encrypted and pass through the codec unchanged.
 */
export async function decodeHistoryPayloads<T extends object>(history: T, codec: PayloadCodec): Promise<T> {
  const visit = async (node: unknown): Promise<void> => {
    if (typeof node !== 'object' || node === null || node instanceof Uint8Array) return;
    for (const [key, value] of Object.entries(node)) {
      if (typeof value !== 'object' || value === null || value instanceof Uint8Array) continue;
      if (!Array.isArray(value) && isPayload(value)) {
        const [decoded] = await codec.decode([value]);
        (node as Record<string, unknown>)[key] = decoded;
      } else if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          if (typeof item === 'object' && item !== null && isPayload(item)) {
            [value[i]] = await codec.decode([item]);
          } else await visit(item);
        }
      } else await visit(value);
    }
  };
  await visit(history);
  return history;
}

/** Decrypts a history fetched through `client` (stored encrypted) with that client's own codecs, in place. */
export async function decodeFetchedHistory<T extends object>(
  client: { options: { loadedDataConverter: { payloadCodecs: readonly PayloadCodec[] } } },
  history: T,
): Promise<T> {
  for (const codec of [...client.options.loadedDataConverter.payloadCodecs].reverse())
    await decodeHistoryPayloads(history, codec);
  return history;
}
