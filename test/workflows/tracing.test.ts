/**
 * Traces through the real stack: a purchase registered over HTTP, run by a traced worker on the dev
 * server and paid through the sandbox, exported by OTLP/HTTP to a receiver in this test. One trace
 * holds the HTTP request's span, the workflow's span and the activities' spans.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp } from '../../src/app.ts';
import { purchaseWorkflowId } from '../../src/domain/order-links.ts';
import { startTracing, type Tracing } from '../../src/observability/tracing.ts';
import { yanbaoDataConverter } from '../../src/temporal/payload-codec.ts';
import { createYanbaoWorker } from '../../src/temporal/worker-factory.ts';
import { type Harness, startHarness } from '../helpers/harness.ts';
import { pay, publishedPlan, register, registration } from '../helpers/purchase-fixtures.ts';

/** A span as OTLP/HTTP JSON carries it (ids in hex). */
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  scope: string;
}
interface OtlpRequest {
  resourceSpans: { scopeSpans: { scope: { name: string }; spans: Omit<OtlpSpan, 'scope'>[] }[] }[];
}

/** A minimal OTLP/HTTP traces receiver: stores every span posted to /v1/traces. */
async function startReceiver(): Promise<{ server: Server; url: string; spans: OtlpSpan[]; paths: string[] }> {
  const spans: OtlpSpan[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpRequest;
      for (const resource of body.resourceSpans)
        for (const scoped of resource.scopeSpans)
          for (const span of scoped.spans) spans.push({ ...span, scope: scoped.scope.name });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, spans, paths };
}

let h: Harness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let tracing: Tracing;
let worker: Worker;
let workerRun: Promise<void>;
let nativeConnection: NativeConnection;
let web: FastifyInstance;

beforeAll(async () => {
  h = await startHarness({}, { listen: true });
  receiver = await startReceiver();
  const traced = await startTracing('yanbao-test', { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url });
  if (!traced) throw new Error('tracing did not start');
  tracing = traced;
  const config = {
    ...h.config,
    temporal: { ...h.config.temporal, taskQueue: `${h.config.temporal.taskQueue}-traced` },
  };
  nativeConnection = await NativeConnection.connect({ address: inject('temporalAddress') });
  // Bundled on start (no prebuilt bundle), so the workflow interceptors are in the bundle.
  worker = await createYanbaoWorker(nativeConnection, {
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    deps: { orm: h.db.orm, config, payments: h.payments, notifications: h.notifications },
    tracing,
  });
  workerRun = worker.run();
  const temporal = new Client({
    connection: h.client.connection,
    namespace: config.temporal.namespace,
    dataConverter: yanbaoDataConverter(config.payloadKeys),
    interceptors: { workflow: tracing.clientInterceptors },
  });
  web = await buildApp({ ...h.app.deps, config, temporal, tracing }, { logger: false });
});

afterAll(async () => {
  await web?.close();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await workerRun;
  await nativeConnection?.close();
  await tracing?.shutdown();
  receiver?.server.close();
  await h?.close();
});

describe('tracing', () => {
  it('links the HTTP request, the purchase workflow and its activities in one trace', async () => {
    const plan = await publishedPlan(h);
    const health = await web.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(200);
    // Registered through the traced web app; paid through the harness's (untraced) callback route.
    const placed = await register({ ...h, app: web }, registration(plan.code));
    await pay(h, placed.payUrl);
    await h.client.workflow.getHandle(purchaseWorkflowId(placed.orderNumber)).result();
    await tracing.flush();

    expect(receiver.paths.every((p) => p.startsWith('POST /v1/traces application/json'))).toBe(true);
    const { spans } = receiver;
    const updateSpan = spans.find((s) => s.name === 'UpdateWithStartWorkflow:register');
    expect(updateSpan, spans.map((s) => s.name).join(', ')).toBeDefined();
    const trace = spans.filter((s) => s.traceId === updateSpan?.traceId);
    const byId = new Map(trace.map((s) => [s.spanId, s]));
    const root = trace.find((s) => !s.parentSpanId);
    // The request's span is the root: @fastify/otel's.
    expect(root).toMatchObject({ scope: '@fastify/otel', name: 'request' });
    const ancestors = (span: OtlpSpan | undefined): string[] => {
      const names: string[] = [];
      for (let s = span; s?.parentSpanId; s = byId.get(s.parentSpanId)) {
        const parent = byId.get(s.parentSpanId);
        if (parent) names.push(parent.name);
      }
      return names;
    };
    const workflowSpan = trace.find((s) => s.name === 'RunWorkflow:PurchaseWorkflow');
    const activitySpan = trace.find((s) => s.name === 'RunActivity:registerPurchase');
    expect(workflowSpan).toBeDefined();
    expect(activitySpan).toBeDefined();
    expect(ancestors(workflowSpan)).toContain(root?.name);
    expect(ancestors(activitySpan)).toEqual(expect.arrayContaining([root?.name]));
    expect(ancestors(activitySpan)).toContain('StartActivity:registerPurchase');
    // The confirmation at the end of the purchase is an activity of the same workflow, in the same trace.
    expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['RunActivity:recordPaidOrder']));
    // Probes are not traced: of the two requests to the traced app, only the registration has a span.
    expect(spans.filter((s) => s.scope === '@fastify/otel' && s.name === 'request')).toHaveLength(1);
  });
});
