/**
 * The Temporal "Codec Server" protocol, so the Temporal Web UI can show operators the decrypted
 * payloads of our workflow histories (src/temporal/payload-codec.ts encrypts them): the UI POSTs
 * `{payloads: [...]}` (proto3 JSON: metadata values and data in base64) to `<endpoint>/decode`
 * (and `/encode`) with the namespace in `X-Namespace`, from the operator's browser.
 *
 * Who: a signed-in platform staff member, by the Yanbao session cookie the UI sends when its codec
 * setting "include cross-origin credentials" is on (TEMPORAL_CODEC_INCLUDE_CREDENTIALS=true). The
 * UI's other option, passing its own OIDC access token, is not honoured: that token is not ours.
 * Auditors and the platform admin may decode; only the platform admin may encode (the UI encodes
 * what it sends to workflows, a write). Every decode is logged with the user, like the audit export.
 *
 * From where: CORS with credentials for the Temporal Web UI's origin (TEMPORAL_WEB_URL) only. A
 * request from any other browser origin is refused with 403, preflight or not, so no other site
 * can make a staff member's browser decode (the routes take no CSRF token: the UI cannot send one).
 */
import cors from '@fastify/cors';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { type Static, Type } from '@sinclair/typebox';
import { type Payload, type PayloadCodec, ValueError } from '@temporalio/common';
import type { FastifyRequest } from 'fastify';
import { errorMessage, type FieldProblem, fieldProblem, forbidden, invalid } from '../domain/errors.ts';
import { requireRoleWithoutCsrf } from '../plugins/auth.ts';
import { errors } from './schemas.ts';

/** proto3 JSON writes bytes as standard base64 and accepts the URL-safe alphabet too. */
const Base64 = Type.String({ pattern: '^[A-Za-z0-9+/_-]*={0,2}$', description: 'base64' });
const JsonPayload = Type.Object(
  {
    metadata: Type.Optional(Type.Record(Type.String({ maxLength: 256 }), Base64)),
    data: Type.Optional(Base64),
  },
  { additionalProperties: false, description: 'a temporal.api.common.v1.Payload in proto3 JSON' },
);
const Payloads = Type.Object(
  { payloads: Type.Array(JsonPayload, { maxItems: 1000 }) },
  { additionalProperties: false },
);
type JsonPayloadValue = { metadata?: Record<string, string>; data?: string };

const NamespaceHeader = Type.Object({
  'x-namespace': Type.String({ minLength: 1, maxLength: 255, description: 'the Temporal namespace' }),
});

/** A whole history's payloads stay well under this; Temporal refuses a single payload over 2 MB. */
const BODY_LIMIT = 8 * 1024 * 1024;

const fromJson = (payload: JsonPayloadValue): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(payload.data ?? '', 'base64'),
});

const toJson = (payload: Payload): JsonPayloadValue => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([key, value]) => [
      key,
      Buffer.from(value).toString('base64'),
    ]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});

/**
 * The origin of TEMPORAL_WEB_URL, the one browser origin the codec answers; null when unset (then
 * no browser origin is allowed).
 */
function temporalUiOrigin(webUiUrl: string | null): string | null {
  if (!webUiUrl) return null;
  if (!URL.canParse(webUiUrl)) throw new Error(`TEMPORAL_WEB_URL must be an absolute URL (got ${webUiUrl})`);
  return new URL(webUiUrl).origin;
}

export const codecRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, temporal } = app.deps;
  const uiOrigin = temporalUiOrigin(config.temporal.webUiUrl);
  // The same codecs the app's Temporal client writes with; a data converter applies them in
  // order to encode and in reverse to decode.
  const codecs: readonly PayloadCodec[] = temporal.options.loadedDataConverter.payloadCodecs;

  await app.register(cors, {
    // No Origin header: not a cross-origin browser request, so no CORS headers are needed.
    origin: (origin, callback) => {
      if (origin === undefined) callback(null, false);
      else if (origin === uiOrigin) callback(null, true);
      else callback(forbidden(errorMessage('codecOrigin', { origin })), false);
    },
    credentials: true,
    methods: ['POST'],
    allowedHeaders: ['Content-Type', 'X-Namespace'],
    maxAge: 600,
  });

  /** The namespace header names ours, or the request is refused field by field. */
  const checkNamespace = (namespace: string) => {
    if (namespace !== config.temporal.namespace)
      throw invalid([fieldProblem('headers.x-namespace', 'codecNamespace', { namespace })]);
    return namespace;
  };

  /** Runs each payload through `apply` alone, so a payload it refuses is named by its index. */
  const convert = async (
    payloads: JsonPayloadValue[],
    apply: (payload: Payload) => Promise<Payload>,
  ): Promise<JsonPayloadValue[]> => {
    const problems: FieldProblem[] = [];
    const converted = await Promise.all(
      payloads.map(async (payload, index) => {
        try {
          return toJson(await apply(fromJson(payload)));
        } catch (err) {
          problems.push(
            err instanceof ValueError
              ? fieldProblem(`payloads/${index}`, 'payloadInvalid', { detail: err.message })
              : fieldProblem(`payloads/${index}`, 'payloadUndecryptable'),
          );
          return payload;
        }
      }),
    );
    if (problems.length > 0)
      throw invalid(
        problems.sort((a, b) => a.field.localeCompare(b.field, 'en', { numeric: true })),
        errorMessage('payloadsUnconverted'),
      );
    return converted;
  };

  /** Decrypts (through the codecs in reverse) or encrypts every payload, and records who did it. */
  const convertAndLog = async (
    request: Pick<FastifyRequest, 'log' | 'auth'> & {
      headers: Static<typeof NamespaceHeader> & { origin?: string };
      body: { payloads: JsonPayloadValue[] };
    },
    direction: 'decode' | 'encode',
  ) => {
    const namespace = checkNamespace(request.headers['x-namespace']);
    const chain = direction === 'decode' ? [...codecs].reverse() : codecs;
    const payloads = await convert(request.body.payloads, async (payload) => {
      let converted = [payload];
      for (const codec of chain) converted = await codec[direction](converted);
      return converted[0] as Payload;
    });
    // Decrypted personal data left the server (or a payload was written for a workflow): on record.
    request.log.info(
      { userId: request.auth?.user.id, namespace, payloads: payloads.length, origin: request.headers.origin },
      direction === 'decode'
        ? 'payloads decrypted through the codec endpoint'
        : 'payloads encrypted through the codec endpoint',
    );
    return { payloads };
  };

  const schema = (summary: string, description: string) => ({
    tags: ['codec'],
    summary,
    description,
    headers: NamespaceHeader,
    body: Payloads,
    response: { 200: Payloads, ...errors(400, 401, 403) },
    security: [{ session: [] }],
  });

  app.post(
    '/decode',
    {
      onRequest: requireRoleWithoutCsrf('auditor', 'platform_admin'),
      bodyLimit: BODY_LIMIT,
      schema: schema(
        'Temporal codec server: decrypt payloads for the Temporal Web UI (auditors, platform admin)',
        'Payloads not encrypted by Yanbao come back unchanged. Cross-origin only from TEMPORAL_WEB_URL, with the session cookie ("include cross-origin credentials" in the UI); every call is logged with the user.',
      ),
    },
    (request) => convertAndLog(request, 'decode'),
  );

  app.post(
    '/encode',
    {
      onRequest: requireRoleWithoutCsrf('platform_admin'),
      bodyLimit: BODY_LIMIT,
      schema: schema(
        'Temporal codec server: encrypt payloads the Temporal Web UI sends to workflows (platform admin)',
        'Encrypts with the current payload key (PAYLOAD_KEY_ID). Cross-origin only from TEMPORAL_WEB_URL, with the session cookie.',
      ),
    },
    (request) => convertAndLog(request, 'encode'),
  );
};
