/**
 * The codec endpoint as the Temporal Web UI calls it, in real Chromium: a page on the UI's origin
 * (a stand-in on another port of the same site, as `temporal.example.com` beside
 * `yanbao.example.com`) fetches `/codec/decode` with the UI's headers and "include cross-origin
 * credentials"; the browser sends the staff member's Yanbao session cookie and lets the page read
 * the decrypted payload. Without credentials it reads a 401; a page on any other origin reads nothing.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { launchChromium } from '../helpers/browser.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { createPlatformUser } from '../helpers/platform-staff.ts';

const CONSUMER = { consumerName: '欧阳娜娜', consumerPhone: '+8613987654321', serialNumber: 'XH7700112233' };

describe('Temporal Web UI decrypting through the codec endpoint (browser)', () => {
  let h: Harness;
  let app: FastifyInstance;
  let uiStandIn: Server;
  let browser: Browser;
  let yanbao: string;
  let uiPort: number;
  let encrypted: { metadata: Record<string, string>; data: string };

  beforeAll(async () => {
    h = await startHarness();
    // A page server standing in for the Temporal UI: only its origin matters to the browser.
    uiStandIn = createServer((_request, response) =>
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end('<!doctype html><title>Temporal UI</title>'),
    );
    await new Promise<void>((resolve) => uiStandIn.listen(0, 'localhost', resolve));
    uiPort = (uiStandIn.address() as AddressInfo).port;
    app = await buildApp(
      {
        ...h.app.deps,
        config: { ...h.config, temporal: { ...h.config.temporal, webUiUrl: `http://localhost:${uiPort}` } },
      },
      { logger: false },
    );
    await app.listen({ host: 'localhost', port: 0 });
    yanbao = `http://localhost:${(app.server.address() as AddressInfo).port}`;
    const [codec] = h.client.options.loadedDataConverter.payloadCodecs;
    if (!codec) throw new Error('the harness client has no payload codec');
    const [sealed] = (await codec.encode([defaultPayloadConverter.toPayload(CONSUMER)])) as [Payload];
    encrypted = {
      metadata: Object.fromEntries(
        Object.entries(sealed.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(sealed.data ?? []).toString('base64'),
    };
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await new Promise((resolve) => uiStandIn?.close(resolve));
    await h?.close();
  });

  /** What the UI's codec client does: POST the payloads with the namespace header, optionally with cookies. */
  const decodeFrom = (page: Page, credentials: 'include' | 'omit') =>
    page.evaluate(
      async ({ url, namespace, body, credentials }) => {
        try {
          const response = await fetch(url, {
            method: 'POST',
            credentials,
            headers: { 'Content-Type': 'application/json', 'X-Namespace': namespace },
            body,
          });
          return { status: response.status, body: await response.text() };
        } catch (err) {
          return { status: 0, body: String(err) };
        }
      },
      {
        url: `${yanbao}/codec/decode`,
        namespace: h.config.temporal.namespace,
        body: JSON.stringify({ payloads: [encrypted] }),
        credentials,
      },
    );

  it('decrypts for a signed-in auditor on the UI origin with credentials, and for nobody else', async () => {
    const auditor = await createPlatformUser(h.db.orm, 'auditor');
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      // Signed in to Yanbao in the same browser: the session cookie (HttpOnly, SameSite=Lax).
      await page.goto(`${yanbao}/health`);
      const login = await page.evaluate(
        async (credentials) =>
          (
            await fetch('/api/v1/auth/login', {
              method: 'POST',
              headers: { 'Content-Type': 'application/json' },
              body: JSON.stringify(credentials),
            })
          ).status,
        auditor,
      );
      expect(login).toBe(200);

      await page.goto(`http://localhost:${uiPort}/namespaces/default/workflows`);
      const decoded = await decodeFrom(page, 'include');
      expect(decoded.status, decoded.body).toBe(200);
      const [payload] = JSON.parse(decoded.body).payloads as { data: string }[];
      expect(JSON.parse(Buffer.from(payload?.data ?? '', 'base64').toString('utf8'))).toEqual(CONSUMER);
      // The UI with "include cross-origin credentials" off: the browser sends no cookie.
      const anonymous = await decodeFrom(page, 'omit');
      expect(anonymous.status).toBe(401);

      // Any other origin (here another site, the same port on 127.0.0.1): the preflight is refused.
      await page.goto(`http://127.0.0.1:${uiPort}/`);
      const foreign = await decodeFrom(page, 'include');
      expect(foreign.status).toBe(0);
      expect(foreign.body).toContain('Failed to fetch');
    } finally {
      await context.close();
    }
  });
});
