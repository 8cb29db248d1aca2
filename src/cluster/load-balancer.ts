/**
 * The HTTPS front of the cluster: terminates TLS on the public address and hands each request
 * round-robin to one of the web processes over plain HTTP on loopback, appending the client's
 * address to X-Forwarded-For (the web processes run with TRUST_PROXY=1) and saying the request came
 * over https. What a real deployment's load balancer or reverse proxy does, small enough to run here.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';

/** Headers about one connection, which a proxy must not pass on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = [
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
];

function withoutHopByHop(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const named = new Set([
    ...HOP_BY_HOP,
    ...String(headers.connection ?? '')
      .split(',')
      .map((name) => name.trim().toLowerCase()),
  ]);
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !named.has(name)));
}

export interface Certificate {
  keyPath: string;
  certPath: string;
}

/**
 * A self-signed certificate for `host` (an IP address or a name), made with openssl into `dir`;
 * the app processes trust it through NODE_EXTRA_CA_CERTS, since their payment callbacks go to
 * PUBLIC_BASE_URL, which is this load balancer.
 */
export async function selfSignedCertificate(dir: string, host: string): Promise<Certificate> {
  const keyPath = path.join(dir, 'tls-key.pem');
  const certPath = path.join(dir, 'tls-cert.pem');
  const altName = isIP(host) ? `IP:${host}` : `DNS:${host}`;
  await promisify(execFile)('openssl', [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-days',
    '30',
    '-subj',
    `/CN=${host}`,
    '-addext',
    `subjectAltName=${altName}`,
    '-keyout',
    keyPath,
    '-out',
    certPath,
  ]);
  return { keyPath, certPath };
}

export interface LoadBalancerOptions {
  host: string;
  port: number;
  certificate: Certificate;
  /** The web processes' loopback ports. */
  upstreamPorts: number[];
}

export interface LoadBalancer {
  /** https://host:port */
  origin: string;
  /** Requests handed to each upstream port, in order of `upstreamPorts`. */
  forwarded: number[];
  close(): Promise<void>;
}

export async function startLoadBalancer(options: LoadBalancerOptions): Promise<LoadBalancer> {
  const agent = new http.Agent({ keepAlive: true });
  const forwarded = options.upstreamPorts.map(() => 0);
  let next = 0;
  const server = https.createServer(
    {
      key: await readFile(options.certificate.keyPath),
      cert: await readFile(options.certificate.certPath),
    },
    (request, response) => {
      const index = next++ % options.upstreamPorts.length;
      forwarded[index] = (forwarded[index] ?? 0) + 1;
      const client = request.socket.remoteAddress ?? '';
      const earlier = request.headers['x-forwarded-for'];
      const upstream = http.request(
        {
          host: '127.0.0.1',
          port: options.upstreamPorts[index],
          method: request.method,
          path: request.url,
          agent,
          headers: {
            ...withoutHopByHop(request.headers),
            'x-forwarded-for': earlier ? `${earlier}, ${client}` : client,
            'x-forwarded-proto': 'https',
            'x-forwarded-host': request.headers.host ?? '',
          },
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.statusMessage, withoutHopByHop(answer.headers));
          answer.pipe(response);
        },
      );
      upstream.on('error', () => {
        if (!response.headersSent)
          response.writeHead(502, { 'content-type': 'text/plain' }).end('bad gateway\n');
        else response.destroy();
      });
      request.pipe(upstream);
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const address = server.address();
  const port = address && typeof address !== 'string' ? address.port : options.port;
  const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return {
    origin: `https://${host}:${port}`,
    forwarded,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      agent.destroy();
    },
  };
}
