/**
 * A local stand-in for Aliyun's SMS endpoint (dysmsapi.aliyuncs.com) that checks what the
 * official SDK sends as Aliyun does: the ACS3-HMAC-SHA256 signature over the canonical request
 * (https://help.aliyun.com/zh/sdk/product-overview/v3-request-structure-and-signature), the
 * action and version, then answers SendSms like the service (Code OK and a BizId, or an error code).
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSms {
  phoneNumbers: string;
  signName: string;
  templateCode: string;
  templateParam: Record<string, string>;
  outId: string;
}

export interface AliyunSmsEndpoint {
  /** host:port for the SDK's `endpoint` (protocol http). */
  endpoint: string;
  received: ReceivedSms[];
  /** The Code the next requests are answered with ('OK' by default). */
  answerWith(code: string): void;
  close(): Promise<void>;
}

/** RFC 3986 percent-encoding, as the canonical query string needs it. */
const percentEncode = (value: string) =>
  encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export async function startAliyunSmsEndpoint(
  accessKeyId: string,
  accessKeySecret: string,
): Promise<AliyunSmsEndpoint> {
  const received: ReceivedSms[] = [];
  let code = 'OK';
  let sent = 0;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const answer = (status: number, body: object) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ RequestId: `req-${sent}`, ...body }));
      };
      const payload = Buffer.concat(chunks);
      const url = new URL(request.url ?? '/', 'http://localhost');
      const authorization = request.headers.authorization ?? '';
      const match =
        /^ACS3-HMAC-SHA256 Credential=([^,]+),SignedHeaders=([^,]+),Signature=([0-9a-f]{64})$/.exec(
          authorization,
        );
      if (!match) return answer(400, { Code: 'MissingAuthorization', Message: 'no ACS3 authorization' });
      const [, credential, signedHeaders, signature] = match as unknown as [string, string, string, string];
      if (credential !== accessKeyId)
        return answer(404, { Code: 'InvalidAccessKeyId.NotFound', Message: credential });
      const names = signedHeaders.split(';');
      const hashedPayload = createHash('sha256').update(payload).digest('hex');
      if (
        request.headers['x-acs-content-sha256'] !== hashedPayload ||
        !names.includes('x-acs-content-sha256')
      )
        return answer(400, { Code: 'IncorrectContentSha256', Message: 'payload hash' });
      const canonicalQuery = [...url.searchParams.entries()]
        .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => `${k}=${v}`)
        .join('&');
      const canonicalHeaders = names
        .map((name) => `${name}:${String(request.headers[name] ?? '').trim()}\n`)
        .join('');
      const canonicalRequest = [
        request.method,
        url.pathname,
        canonicalQuery,
        canonicalHeaders,
        signedHeaders,
        hashedPayload,
      ].join('\n');
      const stringToSign = `ACS3-HMAC-SHA256\n${createHash('sha256').update(canonicalRequest).digest('hex')}`;
      const expected = createHmac('sha256', accessKeySecret).update(stringToSign).digest();
      if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
        return answer(400, {
          Code: 'SignatureDoesNotMatch',
          Message: 'Specified signature does not match our calculation.',
        });
      if (request.headers['x-acs-action'] !== 'SendSms' || request.headers['x-acs-version'] !== '2017-05-25')
        return answer(400, { Code: 'InvalidAction.NotFound', Message: 'only SendSms 2017-05-25' });
      const param = (name: string) => url.searchParams.get(name) ?? '';
      received.push({
        phoneNumbers: param('PhoneNumbers'),
        signName: param('SignName'),
        templateCode: param('TemplateCode'),
        templateParam: JSON.parse(param('TemplateParam') || '{}') as Record<string, string>,
        outId: param('OutId'),
      });
      sent++;
      // Business refusals come back as 200 with their Code, as the service answers them.
      return code === 'OK'
        ? answer(200, { Code: 'OK', Message: 'OK', BizId: `${900000 + sent}^0` })
        : answer(200, { Code: code, Message: `refused: ${code}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${port}`,
    received,
    answerWith(next) {
      code = next;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
