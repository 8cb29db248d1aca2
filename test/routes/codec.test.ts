/**
 * The codec endpoint the Temporal Web UI decrypts payloads through: platform staff only, by
 * session cookie, CORS with credentials for the configured UI origin and no other, field-level
 * refusals of malformed payloads and unknown namespaces, and a log line naming who decrypted.
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { ENCRYPTED_ENCODING } from '../../src/temporal/payload-codec.ts';
import { type ApiSession, signUp } from '../helpers/api-session.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { fieldWords } from '../helpers/messages.ts';
import { platformUser } from '../helpers/platform-staff.ts';

const UI_ORIGIN = 'http://temporal-ui.test:8233';
const CONSUMER = { consumerName: '欧阳娜娜', consumerPhone: '+8613987654321', serialNumber: 'XH7700112233' };

type JsonPayload = { metadata?: Record<string, string>; data?: string };
const toJson = (payload: Payload): JsonPayload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const metadataText = (payload: JsonPayload, key: string) =>
  Buffer.from(payload.metadata?.[key] ?? '', 'base64').toString('utf8');
const dataText = (payload: JsonPayload) => Buffer.from(payload.data ?? '', 'base64').toString('utf8');

describe('codec endpoint for the Temporal Web UI', () => {
  let h: Harness;
  let app: FastifyInstance;
  const logged: Record<string, unknown>[] = [];
  let admin: ApiSession;
  let auditor: ApiSession;
  let manufacturer: ApiSession;
  /** The registration as the app's Temporal client stores it: JSON, then encrypted. */
  let encrypted: JsonPayload;
  const plain = toJson(defaultPayloadConverter.toPayload(CONSUMER));

  beforeAll(async () => {
    h = await startHarness();
    // The app as deployed beside a Temporal UI, logging to a list the test reads.
    app = await buildApp(
      {
        ...h.app.deps,
        config: { ...h.config, temporal: { ...h.config.temporal, webUiUrl: `${UI_ORIGIN}/` } },
      },
      { logger: { level: 'info', stream: { write: (line: string) => logged.push(JSON.parse(line)) } } },
    );
    admin = await platformUser(h, 'platform_admin');
    auditor = await platformUser(h, 'auditor');
    manufacturer = (await signUp(h.app, 'Codec')).session;
    const [codec] = h.client.options.loadedDataConverter.payloadCodecs;
    if (!codec) throw new Error('the harness client has no payload codec');
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)]);
    encrypted = toJson(sealed as Payload);
  });
  afterAll(async () => {
    await app?.close();
    await h?.close();
  });

  const cookieOf = (session: ApiSession) => [...session.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const call = (
    path: '/codec/decode' | '/codec/encode',
    options: { session?: ApiSession; origin?: string | null; namespace?: string | null; body?: unknown } = {},
  ) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.session) headers.cookie = cookieOf(options.session);
    const origin = options.origin === undefined ? UI_ORIGIN : options.origin;
    if (origin !== null) headers.origin = origin;
    const namespace = options.namespace === undefined ? h.config.temporal.namespace : options.namespace;
    if (namespace !== null) headers['x-namespace'] = namespace;
    const request: InjectOptions = {
      method: 'POST',
      url: path,
      headers,
      payload: JSON.stringify(options.body ?? { payloads: [encrypted] }),
    };
    return app.inject(request);
  };

  it('decrypts for platform staff from the UI origin, with CORS credentials, and logs who did', async () => {
    for (const session of [admin, auditor]) {
      const response = await call('/codec/decode', { session, body: { payloads: [encrypted, plain] } });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
      expect(response.headers['access-control-allow-credentials']).toBe('true');
      const [decoded, passedThrough] = response.json().payloads as JsonPayload[];
      if (!decoded || !passedThrough) throw new Error('two payloads expected');
      expect(metadataText(decoded, 'encoding')).toBe('json/plain');
      expect(JSON.parse(dataText(decoded))).toEqual(CONSUMER);
      // A payload Yanbao did not encrypt (a search attribute, an old history) comes back as sent.
      expect(passedThrough).toEqual(plain);
    }
    const entries = logged.filter((line) => line.msg === 'payloads decrypted through the codec endpoint');
    // One line per decryption, naming each of the two staff members.
    expect(entries).toHaveLength(2);
    expect(new Set(entries.map((line) => line.userId)).size).toBe(2);
    for (const line of entries) expect(line.userId).toEqual(expect.any(String));
    expect(entries[0]).toMatchObject({
      namespace: h.config.temporal.namespace,
      payloads: 2,
      origin: UI_ORIGIN,
    });
    // The ciphertext itself never names the consumer.
    expect(Buffer.from(encrypted.data ?? '', 'base64').toString('latin1')).not.toContain('XH7700112233');
    expect(metadataText(encrypted, 'encoding')).toBe(ENCRYPTED_ENCODING);
  });

  it('encrypts for the platform admin only; what it encrypts decrypts again', async () => {
    const encoded = await call('/codec/encode', { session: admin, body: { payloads: [plain] } });
    expect(encoded.statusCode, encoded.body).toBe(200);
    const [sealed] = encoded.json().payloads as JsonPayload[];
    if (!sealed) throw new Error('one payload expected');
    expect(metadataText(sealed, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(dataText(sealed)).not.toContain('XH7700112233');
    const decoded = await call('/codec/decode', { session: auditor, body: { payloads: [sealed] } });
    expect(decoded.json().payloads).toEqual([plain]);
    // Encoding is what the UI does to send data to workflows: auditors only read.
    const byAuditor = await call('/codec/encode', { session: auditor, body: { payloads: [plain] } });
    expect(byAuditor.statusCode).toBe(403);
  });

  it('answers the preflight of the UI origin, and refuses any other origin, preflight or not', async () => {
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/codec/decode',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type,x-namespace',
        },
      });
    const allowed = await preflight(UI_ORIGIN);
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    expect(allowed.headers['access-control-allow-methods']).toBe('POST');
    expect(String(allowed.headers['access-control-allow-headers']).toLowerCase()).toBe(
      'content-type, x-namespace',
    );
    for (const origin of [
      'https://evil.example',
      'http://temporal-ui.test:9999',
      'null',
      h.config.publicBaseUrl,
    ]) {
      const refused = await preflight(origin);
      expect(refused.statusCode, origin).toBe(403);
      expect(refused.headers['access-control-allow-origin']).toBeUndefined();
      // A signed-in admin's browser on another site cannot make the server decrypt either.
      const post = await call('/codec/decode', { session: admin, origin });
      expect(post.statusCode, origin).toBe(403);
      expect(post.body).not.toContain(Buffer.from(CONSUMER.consumerName).toString('base64'));
    }
  });

  it('refuses anyone but platform staff: 401 without a session, 403 for a manufacturer', async () => {
    const anonymous = await call('/codec/decode');
    expect(anonymous.statusCode).toBe(401);
    // The refusal carries CORS headers, so the UI can tell "log in to Yanbao" from a network failure.
    expect(anonymous.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    const seller = await call('/codec/decode', { session: manufacturer });
    expect(seller.statusCode).toBe(403);
    expect(seller.json().error).toBe('forbidden');
    for (const response of [anonymous, seller]) expect(response.body).not.toContain('json/plain');
  });

  it('refuses an unknown or missing namespace and malformed payloads, field by field', async () => {
    const unknown = await call('/codec/decode', { session: admin, namespace: 'someone-else' });
    expect(unknown.statusCode).toBe(400);
    expect(fieldWords(unknown.json().fields)).toEqual([
      { field: 'headers.x-namespace', message: expect.any(String) },
    ]);
    const missing = await call('/codec/decode', { session: admin, namespace: null });
    expect(missing.statusCode).toBe(400);
    expect(fieldWords(missing.json().fields)).toEqual([
      { field: 'headers.x-namespace', message: expect.any(String) },
    ]);

    const notBase64 = await call('/codec/decode', {
      session: admin,
      body: { payloads: [{ metadata: { encoding: 'json plain!' }, data: '***' }] },
    });
    expect(notBase64.statusCode).toBe(400);
    expect(
      notBase64
        .json()
        .fields.map((f: { field: string }) => f.field)
        .sort(),
    ).toEqual(['payloads.0.data', 'payloads.0.metadata.encoding']);
    const notAList = await call('/codec/decode', { session: admin, body: { payloads: 'all of them' } });
    expect(notAList.statusCode).toBe(400);
    expect(notAList.json().fields[0].field).toBe('payloads');

    // Well-formed but altered ciphertext, and a key id this server does not hold: named by index.
    const data = Buffer.from(encrypted.data ?? '', 'base64');
    data[20] = (data[20] ?? 0) ^ 1;
    const altered = { ...encrypted, data: data.toString('base64') };
    const foreignKey = {
      ...encrypted,
      metadata: {
        ...encrypted.metadata,
        'encryption-key-id': Buffer.from('retired-2019').toString('base64'),
      },
    };
    const broken = await call('/codec/decode', {
      session: admin,
      body: { payloads: [encrypted, altered, foreignKey] },
    });
    expect(broken.statusCode).toBe(400);
    expect(fieldWords(broken.json().fields)).toEqual([
      { field: 'payloads/1', message: expect.stringContaining('cannot be decrypted') },
      { field: 'payloads/2', message: expect.stringContaining('retired-2019') },
    ]);
  });

  it('is described in the OpenAPI document', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/docs/json' })).json();
    for (const path of ['/codec/decode', '/codec/encode']) {
      const post = spec.paths[path]?.post;
      expect(post?.tags).toEqual(['codec']);
      expect(post.parameters).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ in: 'header', name: 'x-namespace', required: true }),
        ]),
      );
      expect(Object.keys(post.responses).sort()).toEqual(['200', '400', '401', '403']);
    }
  });
});
