/**
 * The sandbox deliverer against real PostgreSQL and a real local HTTP server:
 * retries with growing backoff until 2xx, exactly one delivery per copy,
 * duplicates, reordering, delays, two deliverers sharing one database, timeouts
 * and a clean stop. Backoff and polling are shortened so this runs in seconds.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MikroORM } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openOrm } from '../../../src/db/orm.config.ts';
import { SandboxCallback } from '../../../src/domain/entities/sandbox-payment.entity.ts';
import { SandboxGateway } from '../../../src/payments/sandbox.gateway.ts';
import {
  type SandboxDeliverer,
  type SandboxDelivererOptions,
  startSandboxDeliverer,
} from '../../../src/payments/sandbox-deliverer.ts';
import type { SandboxEvent } from '../../../src/payments/sandbox-signature.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

const SECRET = 'deliverer-test-signing-secret-0123456789abcdef';

interface Received {
  event: SandboxEvent;
  headers: IncomingHttpHeaders;
  raw: string;
  at: number;
  status: number;
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('sandbox callback deliverer', () => {
  let db: TestDatabase;
  let gateway: SandboxGateway;
  let server: Server;
  let notifyUrl: string;
  const received: Received[] = [];
  /** Per order number: how many requests to answer 500 before 200, or 'hang' to never answer. */
  const plan = new Map<string, number | 'hang'>();
  const hanging = new Set<import('node:http').ServerResponse>();

  beforeAll(async () => {
    db = await createTestDatabase(inject('templateDatabase'));
    gateway = new SandboxGateway({
      orm: db.orm,
      publicBaseUrl: 'http://127.0.0.1',
      signingSecret: SECRET,
      toleranceSeconds: 300,
    });
    server = createServer((request, response) => {
      let raw = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => {
        raw += chunk;
      });
      request.on('end', () => {
        const event = JSON.parse(raw) as SandboxEvent;
        const failuresLeft = plan.get(event.order_number) ?? 0;
        if (failuresLeft === 'hang') {
          hanging.add(response);
          return;
        }
        const status = failuresLeft > 0 ? 500 : 200;
        if (failuresLeft > 0) plan.set(event.order_number, failuresLeft - 1);
        received.push({ event, headers: request.headers, raw, at: Date.now(), status });
        response.statusCode = status;
        response.end(status === 200 ? '{"received":true}' : 'try again later');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    notifyUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/notify`;
  });
  afterAll(async () => {
    for (const response of hanging) response.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await db?.drop();
  });

  const fast = (overrides: Partial<SandboxDelivererOptions> = {}): SandboxDelivererOptions => ({
    orm: db.orm,
    signingSecret: SECRET,
    intervalMs: 25,
    backoffBaseMs: 100,
    backoffMaxMs: 1_000,
    requestTimeoutMs: 2_000,
    ...overrides,
  });

  async function withDeliverer<T>(options: SandboxDelivererOptions, fn: () => Promise<T>): Promise<T> {
    const deliverer = startSandboxDeliverer(options);
    try {
      return await fn();
    } finally {
      await deliverer.stop();
    }
  }

  async function paidPayment(behaviour: Parameters<SandboxGateway['setBehaviour']>[1] = {}) {
    const orderNumber = `YB${randomBytes(7).toString('hex').toUpperCase()}`;
    const { providerPaymentId } = await gateway.createPayment({
      orderNumber,
      amountFen: 129900,
      currency: 'CNY',
      subject: 'Phone care+ 2 years',
      notifyUrl,
      returnUrl: 'http://127.0.0.1/return',
    });
    await gateway.setBehaviour(providerPaymentId, behaviour);
    return { orderNumber, providerPaymentId };
  }

  const requestsFor = (orderNumber: string) => received.filter((r) => r.event.order_number === orderNumber);
  const rows = (paymentId: string) =>
    db.orm.em.fork().find(SandboxCallback, { sandboxPayment: paymentId }, { orderBy: { copy: 'asc' } });

  it('retries with growing backoff until the merchant answers 2xx, then stops', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment();
    plan.set(orderNumber, 3);
    await withDeliverer(fast(), async () => {
      const paidAt = Date.now();
      await gateway.pay(providerPaymentId);
      // Queued, not sent inline with the payment.
      expect(requestsFor(orderNumber)).toHaveLength(0);
      await waitFor(() => requestsFor(orderNumber).some((r) => r.status === 200));
      // Nothing more once it was accepted.
      await new Promise((r) => setTimeout(r, 400));
      const attempts = requestsFor(orderNumber);
      expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 200]);
      expect(attempts[0]?.at).toBeGreaterThanOrEqual(paidAt);
      const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i] as Received).at);
      // 100 ms, 200 ms, 400 ms of backoff, plus at most a poll interval and the request itself.
      expect(gaps[0]).toBeGreaterThanOrEqual(95);
      expect(gaps[1]).toBeGreaterThanOrEqual(195);
      expect(gaps[2]).toBeGreaterThanOrEqual(395);
      expect(gaps[2]).toBeLessThan(1_000);
      // Every attempt is signed at send time and verifies.
      for (const attempt of attempts) {
        expect(attempt.headers['content-type']).toBe('application/json');
        const notification = await gateway.verifyCallback(attempt.raw, attempt.headers);
        expect(notification).toMatchObject({ kind: 'captured', orderNumber, amountFen: 129900 });
      }
      const [row] = await rows(providerPaymentId);
      expect(row?.deliveredAt).toBeInstanceOf(Date);
      expect(row?.attempts).toBe(4);
      expect(row?.lastError).toBeNull();
    });
  });

  it('records why an attempt failed and caps the backoff', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment();
    plan.set(orderNumber, 1_000);
    await withDeliverer(fast({ backoffMaxMs: 150 }), async () => {
      await gateway.pay(providerPaymentId);
      // The row records an attempt after its answer arrives: wait for both sides to have seen five.
      await waitFor(
        async () =>
          requestsFor(orderNumber).length >= 5 && ((await rows(providerPaymentId))[0]?.attempts ?? 0) >= 5,
      );
    });
    const attempts = requestsFor(orderNumber);
    const gaps = attempts.slice(1).map((r, i) => r.at - (attempts[i] as Received).at);
    expect(Math.max(...gaps.slice(2))).toBeLessThan(600);
    const [row] = await rows(providerPaymentId);
    expect(row?.deliveredAt).toBeNull();
    expect(row?.lastError).toBe('HTTP 500: try again later');
    expect(row?.attempts).toBeGreaterThanOrEqual(5);
    plan.set(orderNumber, 0);
  });

  it('delivers every copy exactly once with the same event id', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment({ copies: 3 });
    plan.set(orderNumber, 1);
    await withDeliverer(fast(), async () => {
      await gateway.pay(providerPaymentId);
      await waitFor(async () => (await rows(providerPaymentId)).every((r) => r.deliveredAt));
      await new Promise((r) => setTimeout(r, 300));
    });
    const accepted = requestsFor(orderNumber).filter((r) => r.status === 200);
    expect(accepted).toHaveLength(3);
    expect(new Set(accepted.map((r) => r.event.id))).toEqual(new Set([`captured-${providerPaymentId}`]));
    expect((await rows(providerPaymentId)).map((r) => r.copy)).toEqual([1, 2, 3]);
  });

  it('reorders: a stale "closed" event arrives after the capture, even while the capture is retried', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment({ reorder: true });
    plan.set(orderNumber, 2);
    await withDeliverer(fast(), async () => {
      await gateway.pay(providerPaymentId);
      await waitFor(() => requestsFor(orderNumber).some((r) => r.event.type === 'payment.closed'));
    });
    const requests = requestsFor(orderNumber);
    expect(requests.map((r) => `${r.event.type} ${r.status}`)).toEqual([
      'payment.captured 500',
      'payment.captured 500',
      'payment.captured 200',
      'payment.closed 200',
    ]);
    const captured = requests[2]?.event as SandboxEvent;
    const closed = requests[3]?.event as SandboxEvent;
    expect(Date.parse(closed.created_at)).toBeLessThan(Date.parse(captured.created_at));
    expect(closed.payment_id).toBe(providerPaymentId);
  });

  it('holds callbacks back by delayMs', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment({ delayMs: 700 });
    await withDeliverer(fast(), async () => {
      const paidAt = Date.now();
      await gateway.pay(providerPaymentId);
      await new Promise((r) => setTimeout(r, 400));
      expect(requestsFor(orderNumber)).toHaveLength(0);
      await waitFor(() => requestsFor(orderNumber).length > 0);
      expect((requestsFor(orderNumber)[0] as Received).at - paidAt).toBeGreaterThanOrEqual(700);
    });
  });

  it('never sends one row twice when two server processes deliver from one database', async () => {
    const payments = await Promise.all(Array.from({ length: 6 }, () => paidPayment({ copies: 4 })));
    const other: MikroORM = await openOrm(db.url, { pool: { min: 0, max: 5 } });
    const deliverers: SandboxDeliverer[] = [
      startSandboxDeliverer(fast({ intervalMs: 5, batchSize: 3 })),
      startSandboxDeliverer(fast({ orm: other, intervalMs: 5, batchSize: 3 })),
    ];
    try {
      await Promise.all(payments.map((p) => gateway.pay(p.providerPaymentId)));
      await waitFor(() => payments.every((p) => requestsFor(p.orderNumber).length >= 4));
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      await Promise.all(deliverers.map((d) => d.stop()));
      await other.close();
    }
    for (const p of payments) {
      expect(requestsFor(p.orderNumber)).toHaveLength(4);
      expect((await rows(p.providerPaymentId)).every((r) => r.attempts === 1 && r.deliveredAt)).toBe(true);
    }
  });

  it('gives up on a request after the timeout and retries it later', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment();
    plan.set(orderNumber, 'hang');
    await withDeliverer(
      fast({ requestTimeoutMs: 200, backoffBaseMs: 5_000, backoffMaxMs: 5_000 }),
      async () => {
        await gateway.pay(providerPaymentId);
        await waitFor(async () => ((await rows(providerPaymentId))[0]?.attempts ?? 0) > 0);
      },
    );
    const [row] = await rows(providerPaymentId);
    expect(row?.lastError).toBe('timed out after 200 ms');
    expect(row?.deliveredAt).toBeNull();
    expect(row?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
  });

  it('stops promptly mid-request and hands the row back without counting an attempt', async () => {
    const { orderNumber, providerPaymentId } = await paidPayment();
    plan.set(orderNumber, 'hang');
    const hangingBefore = hanging.size;
    const deliverer = startSandboxDeliverer(fast({ requestTimeoutMs: 30_000 }));
    await gateway.pay(providerPaymentId);
    await waitFor(() => hanging.size > hangingBefore);
    const stoppedAt = Date.now();
    await deliverer.stop();
    expect(Date.now() - stoppedAt).toBeLessThan(1_000);
    const [row] = await rows(providerPaymentId);
    expect(row?.attempts).toBe(0);
    expect(row?.deliveredAt).toBeNull();
    expect(row?.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
  });
});
