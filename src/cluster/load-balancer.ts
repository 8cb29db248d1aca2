/**
 * The HTTPS front of the cluster: terminates TLS on the public address and hands each request
 * round-robin to one of the web processes over plain HTTP on loopback (@fastify/http-proxy), appending
 * the client's address to X-Forwarded-For (the web processes run with TRUST_PROXY=1) and saying the
 * request came over https. What a real deployment's load balancer does, small enough to run here.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import httpProxy from '@fastify/http-proxy';
import Fastify from 'fastify';

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
  const upstreams = options.upstreamPorts.map((port) => `http://127.0.0.1:${port}`);
  const forwarded = upstreams.map(() => 0);
  let next = 0;
  const app = Fastify({
    https: {
      key: await readFile(options.certificate.keyPath),
      cert: await readFile(options.certificate.certPath),
    },
  });
  await app.register(httpProxy, {
    upstream: upstreams[0] ?? '',
    replyOptions: {
      getUpstream: () => {
        const index = next++ % upstreams.length;
        forwarded[index] = (forwarded[index] ?? 0) + 1;
        return upstreams[index] ?? '';
      },
      rewriteRequestHeaders: (request, headers) => {
        const earlier = request.headers['x-forwarded-for'];
        return {
          ...headers,
          'x-forwarded-for': earlier ? `${earlier}, ${request.ip}` : request.ip,
          'x-forwarded-proto': 'https',
          'x-forwarded-host': request.headers.host ?? '',
        };
      },
    },
  });
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = address && typeof address !== 'string' ? address.port : options.port;
  const host = isIP(options.host) === 6 ? `[${options.host}]` : options.host;
  return {
    origin: `https://${host}:${port}`,
    forwarded,
    async close() {
      await app.close();
    },
  };
}
