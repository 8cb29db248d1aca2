/** The sandbox gateway's ledger against real PostgreSQL: create, pay, close, query and refund like a provider. */
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SandboxCallback, SandboxPayment } from '../../../src/domain/entities/sandbox-payment.entity.ts';
import { SandboxGateway, SandboxGatewayError } from '../../../src/payments/sandbox.gateway.ts';
import type { SandboxEvent } from '../../../src/payments/sandbox-signature.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

describe('sandbox gateway', () => {
  let db: TestDatabase;
  let gateway: SandboxGateway;
  beforeAll(async () => {
    db = await createTestDatabase(inject('templateDatabase'));
    gateway = new SandboxGateway({
      orm: db.orm,
      publicBaseUrl: 'https://yanbao.test',
      signingSecret: 'gateway-test-signing-secret-0123456789abcdef',
      toleranceSeconds: 300,
    });
  });
  afterAll(() => db?.drop());

  const input = (overrides: Record<string, unknown> = {}) => ({
    orderNumber: `YB${randomBytes(7).toString('hex').toUpperCase()}`,
    amountFen: 129900,
    currency: 'CNY',
    subject: 'Phone care+ 2 years',
    notifyUrl: 'http://127.0.0.1:9/notify',
    returnUrl: 'https://yanbao.test/o/1',
    ...overrides,
  });
  const callbacks = (paymentId: string) =>
    db.orm.em
      .fork()
      .find(SandboxCallback, { sandboxPayment: paymentId }, { orderBy: { createdAt: 'asc', copy: 'asc' } });
  const events = async (paymentId: string) =>
    (await callbacks(paymentId)).map((c) => JSON.parse(c.body) as SandboxEvent);
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (err: unknown) => (err instanceof SandboxGatewayError ? err.code : err),
    );

  it('creates a payment with a hosted checkout URL, once per open order', async () => {
    const request = input();
    const created = await gateway.createPayment(request);
    expect(created.payUrl).toBe(`https://yanbao.test/sandbox/checkout/${created.providerPaymentId}`);
    // Retried (even concurrently): the same payment.
    const again = await Promise.all([gateway.createPayment(request), gateway.createPayment(request)]);
    expect(again).toEqual([created, created]);
    expect(await db.orm.em.fork().count(SandboxPayment, { orderNumber: request.orderNumber })).toBe(1);
    expect(await gateway.queryPayment(created.providerPaymentId)).toBe('pending');
    // A different amount for the same open order is refused, as a real provider would.
    expect(await failure(gateway.createPayment({ ...request, amountFen: 1 }))).toBe('payment_mismatch');
    // Once closed, the order may get a new payment.
    await gateway.closePayment(created.providerPaymentId);
    expect((await gateway.createPayment(request)).providerPaymentId).not.toBe(created.providerPaymentId);
  });

  it('refuses amounts and currencies that are not money', async () => {
    expect(await failure(gateway.createPayment(input({ amountFen: 0 })))).toBe('invalid_request');
    expect(await failure(gateway.createPayment(input({ amountFen: 12.5 })))).toBe('invalid_request');
    expect(await failure(gateway.createPayment(input({ currency: 'yuan' })))).toBe('invalid_request');
  });

  it('closes a pending payment once, with a closed callback; a paid one reports the capture', async () => {
    const { providerPaymentId: open } = await gateway.createPayment(input());
    expect(await gateway.closePayment(open)).toEqual({ closed: true, alreadyCaptured: false });
    expect(await gateway.closePayment(open)).toEqual({ closed: true, alreadyCaptured: false });
    expect(await gateway.queryPayment(open)).toBe('closed');
    expect((await events(open)).map((e) => [e.type, e.id])).toEqual([['payment.closed', `closed-${open}`]]);
    expect((await gateway.pay(open))?.payment.status).toBe('closed');

    const { providerPaymentId: paid } = await gateway.createPayment(input());
    await gateway.pay(paid);
    expect(await gateway.closePayment(paid)).toEqual({ closed: false, alreadyCaptured: true });
    expect(await gateway.queryPayment(paid)).toBe('captured');
  });

  it('pays only from pending, and paying twice queues nothing more', async () => {
    const { providerPaymentId } = await gateway.createPayment(input());
    expect((await gateway.pay(providerPaymentId))?.changed).toBe(true);
    expect((await gateway.pay(providerPaymentId))?.changed).toBe(false);
    const [event, ...rest] = await events(providerPaymentId);
    expect(rest).toHaveLength(0);
    expect(event).toMatchObject({
      type: 'payment.captured',
      payment_id: providerPaymentId,
      amount_fen: 129900,
    });
    expect(await gateway.pay(randomUUID())).toBeNull();
    expect(await gateway.pay('not-a-uuid')).toBeNull();
  });

  it('acknowledges a close but stays payable when told to ignore it (a late payment follows)', async () => {
    const { providerPaymentId } = await gateway.createPayment(input());
    await gateway.setBehaviour(providerPaymentId, { ignoreClose: true });
    expect(await gateway.closePayment(providerPaymentId)).toEqual({ closed: true, alreadyCaptured: false });
    expect((await gateway.pay(providerPaymentId))?.payment.status).toBe('paid');
  });

  it('closes a declined payment for good, unless told to ignore the close (the consumer retries and pays)', async () => {
    const declined = (await gateway.createPayment(input())).providerPaymentId;
    expect((await gateway.decline(declined))?.changed).toBe(true);
    expect((await gateway.decline(declined))?.changed).toBe(false);
    expect((await events(declined)).map((e) => [e.id, e.type])).toEqual([
      [`failed-${declined}`, 'payment.failed'],
    ]);
    expect(await gateway.closePayment(declined)).toEqual({ closed: true, alreadyCaptured: false });
    expect((await gateway.pay(declined))?.payment.status).toBe('closed');

    const retried = (await gateway.createPayment(input())).providerPaymentId;
    await gateway.setBehaviour(retried, { ignoreClose: true });
    await gateway.decline(retried);
    expect(await gateway.closePayment(retried)).toEqual({ closed: true, alreadyCaptured: false });
    expect((await gateway.pay(retried))?.payment.status).toBe('paid');
  });

  it('refunds only what was paid, idempotently per refund id', async () => {
    const { providerPaymentId } = await gateway.createPayment(input());
    expect(await failure(gateway.refund({ providerPaymentId, amountFen: 100, refundId: 'r-early' }))).toBe(
      'not_refundable',
    );
    await gateway.pay(providerPaymentId);
    const first = await gateway.refund({ providerPaymentId, amountFen: 100_000, refundId: 'cancellation-1' });
    const retried = await Promise.all([
      gateway.refund({ providerPaymentId, amountFen: 100_000, refundId: 'cancellation-1' }),
      gateway.refund({ providerPaymentId, amountFen: 100_000, refundId: 'cancellation-1' }),
    ]);
    expect(retried).toEqual([first, first]);
    expect(
      await failure(gateway.refund({ providerPaymentId, amountFen: 5, refundId: 'cancellation-1' })),
    ).toBe('refund_conflict');
    expect(
      await failure(gateway.refund({ providerPaymentId, amountFen: 29_901, refundId: 'cancellation-2' })),
    ).toBe('refund_exceeds_payment');
    await gateway.refund({ providerPaymentId, amountFen: 29_900, refundId: 'cancellation-2' });
    expect(await gateway.queryPayment(providerPaymentId)).toBe('refunded');
    const payment = await db.orm.em.fork().findOneOrFail(SandboxPayment, { id: providerPaymentId });
    expect(payment.refundedFen).toBe(129900);
    const refunds = (await events(providerPaymentId)).filter((e) => e.type === 'payment.refunded');
    expect(refunds.map((e) => [e.id, e.amount_fen])).toEqual([
      ['refund-cancellation-1', 100_000],
      ['refund-cancellation-2', 29_900],
    ]);
    expect(await failure(gateway.refund({ providerPaymentId, amountFen: 0, refundId: 'x' }))).toBe(
      'invalid_request',
    );
    expect(
      await failure(gateway.refund({ providerPaymentId: randomUUID(), amountFen: 1, refundId: 'x' })),
    ).toBe('payment_not_found');
  });

  it('queues copies and delays as the behaviour says', async () => {
    const { providerPaymentId } = await gateway.createPayment(input());
    await gateway.setBehaviour(providerPaymentId, { copies: 2 });
    expect(await gateway.setBehaviour(providerPaymentId, { delayMs: 60_000 })).toEqual({
      copies: 2,
      delayMs: 60_000,
    });
    expect(await failure(gateway.setBehaviour(providerPaymentId, { copies: 0 }))).toBe('invalid_request');
    const before = Date.now();
    await gateway.pay(providerPaymentId);
    const rows = await callbacks(providerPaymentId);
    expect(rows.map((r) => r.copy)).toEqual([1, 2]);
    for (const row of rows) expect(row.nextAttemptAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
  });
});
