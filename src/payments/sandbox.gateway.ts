/**
 * The built-in sandbox gateway: a simulated provider that behaves like a real
 * one. It keeps its own ledger (SandboxPayment), hosts a checkout page
 * (src/routes/sandbox-checkout.ts), and owes the merchant signed callbacks,
 * queued as SandboxCallback rows that the deliverer (sandbox-deliverer.ts)
 * posts asynchronously with retries. Nothing here is sent inline.
 */
import { randomUUID } from 'node:crypto';
import { type EntityManager, LockMode, type MikroORM } from '@mikro-orm/postgresql';
import {
  type SandboxBehaviour,
  SandboxCallback,
  SandboxPayment,
} from '../domain/entities/sandbox-payment.entity.ts';
import { isUuid } from '../domain/uuid.ts';
import type {
  CreatedPayment,
  CreatePaymentInput,
  PaymentNotification,
  PaymentProvider,
  ProviderPaymentRecord,
  ProviderPaymentStatus,
} from './provider.ts';
import {
  parseSandboxEvent,
  SANDBOX_SIGNATURE_HEADER,
  type SandboxEvent,
  type SandboxEventType,
  singleHeader,
  verifySandboxSignature,
} from './sandbox-signature.ts';

export interface SandboxGatewayOptions {
  orm: MikroORM;
  /** Origin the hosted checkout page is served from. */
  publicBaseUrl: string;
  signingSecret: string;
  toleranceSeconds: number;
}

export const SANDBOX_BEHAVIOUR_LIMITS = { maxCopies: 10, maxDelayMs: 24 * 60 * 60 * 1000 } as const;

/** A request the sandbox refuses, as a real provider would (unknown payment, bad amount, over-refund…). */
export class SandboxGatewayError extends Error {
  readonly code:
    | 'payment_not_found'
    | 'invalid_request'
    | 'payment_mismatch'
    | 'not_refundable'
    | 'refund_exceeds_payment'
    | 'refund_conflict';
  constructor(code: SandboxGatewayError['code'], message: string) {
    super(message);
    this.name = 'SandboxGatewayError';
    this.code = code;
  }
}

/** Event ids are at most 64 characters: "refund-" leaves 57 for the merchant's refund id. */
const REFUND_ID = /^[\w.:-]{1,57}$/;

/** Event ids are stable per payment, so re-enqueuing the same event is recognisable. */
export const sandboxEventId = {
  captured: (paymentId: string) => `captured-${paymentId}`,
  closed: (paymentId: string) => `closed-${paymentId}`,
  failed: (paymentId: string) => `failed-${paymentId}`,
  refunded: (refundId: string) => `refund-${refundId}`,
};

const KIND_OF: Record<SandboxEventType, PaymentNotification['kind']> = {
  'payment.captured': 'captured',
  'payment.closed': 'closed',
  'payment.refunded': 'refunded',
  'payment.failed': 'failed',
};

export class SandboxGateway implements PaymentProvider {
  readonly name = 'sandbox' as const;
  readonly acknowledgement = { contentType: 'application/json', body: '{"received":true}' };
  readonly #options: SandboxGatewayOptions;

  constructor(options: SandboxGatewayOptions) {
    this.#options = options;
  }

  checkoutUrl(paymentId: string): string {
    return `${this.#options.publicBaseUrl}/sandbox/checkout/${paymentId}`;
  }

  /** One payment per order while it is open: a retried create (same order, same amount) gets the same payment. */
  async createPayment(input: CreatePaymentInput): Promise<CreatedPayment> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new SandboxGatewayError('invalid_request', 'amountFen must be a positive integer');
    if (!/^[A-Z]{3}$/.test(input.currency))
      throw new SandboxGatewayError('invalid_request', 'currency must be an ISO 4217 code');
    const id = await this.#orm.em.fork().transactional(async (tx) => {
      // Serialises concurrent creates for one order without needing a unique index on the ledger.
      await tx.execute('select pg_advisory_xact_lock(hashtext(?))', [`sandbox-payment:${input.orderNumber}`]);
      const open = await tx.findOne(
        SandboxPayment,
        { orderNumber: input.orderNumber, status: { $in: ['pending', 'paid'] } },
        { orderBy: { createdAt: 'desc' } },
      );
      if (open) {
        if (open.amountFen !== input.amountFen || open.currency !== input.currency)
          throw new SandboxGatewayError(
            'payment_mismatch',
            `order ${input.orderNumber} already has an open payment for a different amount`,
          );
        return open.id;
      }
      const created = tx.create(SandboxPayment, {
        id: randomUUID(),
        orderNumber: input.orderNumber,
        subject: input.subject.slice(0, 200),
        amountFen: input.amountFen,
        currency: input.currency,
        notifyUrl: input.notifyUrl,
        returnUrl: input.returnUrl,
        behaviour: {},
      });
      return created.id;
    });
    return { providerPaymentId: id, payUrl: this.checkoutUrl(id) };
  }

  async verifyCallback(
    rawBody: string,
    headers: Record<string, string | string[] | undefined>,
  ): Promise<PaymentNotification> {
    verifySandboxSignature(
      this.#options.signingSecret,
      rawBody,
      singleHeader(headers, SANDBOX_SIGNATURE_HEADER),
      {
        toleranceSeconds: this.#options.toleranceSeconds,
        nowSeconds: Math.floor(Date.now() / 1000),
      },
    );
    const event = parseSandboxEvent(rawBody);
    return {
      provider: 'sandbox',
      eventId: event.id,
      providerPaymentId: event.payment_id,
      orderNumber: event.order_number,
      kind: KIND_OF[event.type],
      amountFen: event.amount_fen,
      currency: event.currency,
    };
  }

  async queryPayment(providerPaymentId: string): Promise<ProviderPaymentStatus> {
    const payment = await this.find(providerPaymentId);
    if (!payment) throw notFound(providerPaymentId);
    return statusOf(payment);
  }

  /** Its ledger row (the reconciliation reads the same rows in SQL: src/services/reconciliation.ts). */
  async paymentRecord(providerPaymentId: string): Promise<ProviderPaymentRecord | null> {
    const payment = await this.find(providerPaymentId);
    if (!payment) return null;
    return {
      status: statusOf(payment),
      amountFen: payment.amountFen,
      currency: payment.currency,
    };
  }

  async closePayment(providerPaymentId: string): Promise<{ closed: boolean; alreadyCaptured: boolean }> {
    return this.#locked(providerPaymentId, async (tx, payment) => {
      if (payment.status === 'paid' || payment.status === 'refunded')
        return { closed: false, alreadyCaptured: true };
      if (payment.status === 'closed') return { closed: true, alreadyCaptured: false };
      if (payment.behaviour.ignoreClose) {
        // The consumer may still (re)try at the provider after a decline: a late payment follows.
        if (payment.status === 'declined') payment.status = 'pending';
        return { closed: true, alreadyCaptured: false };
      }
      payment.status = 'closed';
      this.#enqueue(
        tx,
        payment,
        'payment.closed',
        sandboxEventId.closed(payment.id),
        payment.amountFen,
        new Date(),
      );
      return { closed: true, alreadyCaptured: false };
    });
  }

  /**
   * Idempotent per refundId: the refund's first callback row is the record, so
   * a retry finds it and answers with the same providerRefundId.
   */
  async refund(input: { providerPaymentId: string; amountFen: number; refundId: string }): Promise<{
    providerRefundId: string;
  }> {
    if (!Number.isSafeInteger(input.amountFen) || input.amountFen <= 0)
      throw new SandboxGatewayError('invalid_request', 'refund amount must be a positive integer');
    if (!REFUND_ID.test(input.refundId))
      throw new SandboxGatewayError('invalid_request', 'refundId must be 1–57 letters, digits or ._:-');
    const eventId = sandboxEventId.refunded(input.refundId);
    return this.#locked(input.providerPaymentId, async (tx, payment) => {
      const record = await tx.findOne(SandboxCallback, { sandboxPayment: payment.id, eventId, copy: 1 });
      if (record) {
        if (parseSandboxEvent(record.body).amount_fen !== input.amountFen)
          throw new SandboxGatewayError(
            'refund_conflict',
            `refund ${input.refundId} was made for another amount`,
          );
        return { providerRefundId: record.id };
      }
      if (payment.status !== 'paid' && payment.status !== 'refunded')
        throw new SandboxGatewayError('not_refundable', `a ${payment.status} payment cannot be refunded`);
      const refundable = payment.amountFen - payment.refundedFen;
      if (input.amountFen > refundable)
        throw new SandboxGatewayError(
          'refund_exceeds_payment',
          `refund of ${input.amountFen} exceeds the ${refundable} fen still refundable`,
        );
      payment.refundedFen += input.amountFen;
      payment.status = 'refunded';
      const created = this.#enqueue(tx, payment, 'payment.refunded', eventId, input.amountFen, new Date());
      return { providerRefundId: created.id };
    });
  }

  // ——— the sandbox's own operations: checkout page and test controls ———

  async find(paymentId: string): Promise<SandboxPayment | null> {
    if (!isUuid(paymentId)) return null;
    return this.#orm.em.fork().findOne(SandboxPayment, { id: paymentId });
  }

  /**
   * The consumer pays: only a pending payment becomes paid, and its callbacks
   * are queued for the deliverer. Paying twice changes nothing. Null when unknown.
   */
  async pay(paymentId: string): Promise<{ payment: SandboxPayment; changed: boolean } | null> {
    if (!isUuid(paymentId)) return null;
    return this.#locked(paymentId, async (tx, payment) => {
      if (payment.status !== 'pending') return { payment, changed: false };
      payment.status = 'paid';
      const now = new Date();
      const captured = this.#enqueue(
        tx,
        payment,
        'payment.captured',
        sandboxEventId.captured(payment.id),
        payment.amountFen,
        now,
      );
      if (payment.behaviour.reorder) {
        // A "closed" event stamped before the capture, delivered after it (the deliverer holds
        // closed events back while a capture of the same payment is undelivered).
        this.#enqueue(
          tx,
          payment,
          'payment.closed',
          sandboxEventId.closed(payment.id),
          payment.amountFen,
          new Date(now.getTime() - 1000),
          new Date(captured.nextAttemptAt.getTime() + 1),
        );
      }
      return { payment, changed: true };
    }).catch(nullWhenNotFound);
  }

  /**
   * The consumer declines (or the payment fails): a pending payment can no longer be paid, and
   * the merchant is told with a signed `payment.failed` callback, as providers report a failed
   * attempt, so the order need not wait for its timeout. Declining twice queues nothing more.
   */
  async decline(paymentId: string): Promise<{ payment: SandboxPayment; changed: boolean } | null> {
    if (!isUuid(paymentId)) return null;
    return this.#locked(paymentId, async (tx, payment) => {
      if (payment.status !== 'pending') return { payment, changed: false };
      payment.status = 'declined';
      this.#enqueue(
        tx,
        payment,
        'payment.failed',
        sandboxEventId.failed(payment.id),
        payment.amountFen,
        new Date(),
      );
      return { payment, changed: true };
    }).catch(nullWhenNotFound);
  }

  /** Sets the knobs tests turn; they apply to callbacks queued from now on. */
  async setBehaviour(paymentId: string, behaviour: SandboxBehaviour): Promise<SandboxBehaviour | null> {
    if (!isUuid(paymentId)) return null;
    const { copies, delayMs } = behaviour;
    if (
      copies !== undefined &&
      (!Number.isSafeInteger(copies) || copies < 1 || copies > SANDBOX_BEHAVIOUR_LIMITS.maxCopies)
    )
      throw new SandboxGatewayError(
        'invalid_request',
        `copies must be 1–${SANDBOX_BEHAVIOUR_LIMITS.maxCopies}`,
      );
    if (
      delayMs !== undefined &&
      (!Number.isSafeInteger(delayMs) || delayMs < 0 || delayMs > SANDBOX_BEHAVIOUR_LIMITS.maxDelayMs)
    )
      throw new SandboxGatewayError(
        'invalid_request',
        `delayMs must be 0–${SANDBOX_BEHAVIOUR_LIMITS.maxDelayMs}`,
      );
    return this.#locked(paymentId, async (_tx, payment) => {
      const next: SandboxBehaviour = { ...payment.behaviour };
      if (behaviour.copies !== undefined) next.copies = behaviour.copies;
      if (behaviour.delayMs !== undefined) next.delayMs = behaviour.delayMs;
      if (behaviour.reorder !== undefined) next.reorder = behaviour.reorder;
      if (behaviour.ignoreClose !== undefined) next.ignoreClose = behaviour.ignoreClose;
      payment.behaviour = next;
      return next;
    }).catch(nullWhenNotFound);
  }

  /** The callbacks owed for a payment, oldest first (for the test controls and for diagnosis). */
  async callbacks(paymentId: string): Promise<SandboxCallback[]> {
    if (!isUuid(paymentId)) return [];
    return this.#orm.em
      .fork()
      .find(
        SandboxCallback,
        { sandboxPayment: paymentId },
        { orderBy: { nextAttemptAt: 'asc', copy: 'asc' } },
      );
  }

  get #orm(): MikroORM {
    return this.#options.orm;
  }

  /** Runs `fn` in a transaction holding the payment's row lock; changes are flushed on commit. */
  async #locked<T>(
    paymentId: string,
    fn: (tx: EntityManager, payment: SandboxPayment) => Promise<T>,
  ): Promise<T> {
    if (!isUuid(paymentId)) throw notFound(paymentId);
    return this.#orm.em.fork().transactional(async (tx) => {
      const payment = await tx.findOne(
        SandboxPayment,
        { id: paymentId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!payment) throw notFound(paymentId);
      return fn(tx, payment);
    });
  }

  /** Queues one event as `copies` callback rows, held back by `delayMs`; answers the first copy. */
  #enqueue(
    tx: EntityManager,
    payment: SandboxPayment,
    type: SandboxEventType,
    eventId: string,
    amountFen: number,
    createdAt: Date,
    notBefore?: Date,
  ): SandboxCallback {
    const event: SandboxEvent = {
      id: eventId,
      type,
      payment_id: payment.id,
      order_number: payment.orderNumber,
      amount_fen: amountFen,
      currency: payment.currency,
      created_at: createdAt.toISOString(),
    };
    const body = JSON.stringify(event);
    const copies = Math.min(Math.max(payment.behaviour.copies ?? 1, 1), SANDBOX_BEHAVIOUR_LIMITS.maxCopies);
    const nextAttemptAt = notBefore ?? new Date(Date.now() + (payment.behaviour.delayMs ?? 0));
    const row = (copy: number) =>
      tx.create(SandboxCallback, {
        id: randomUUID(),
        sandboxPayment: payment.id,
        eventId,
        copy,
        body,
        nextAttemptAt,
      });
    const first = row(1);
    for (let copy = 2; copy <= copies; copy++) row(copy);
    return first;
  }
}

/** A ledger row's status in the words of the provider interface. */
function statusOf(payment: SandboxPayment): ProviderPaymentStatus {
  switch (payment.status) {
    case 'pending':
    case 'declined': // the consumer may not pay it any more, but it is not closed until the merchant says so
      return 'pending';
    case 'paid':
      return 'captured';
    case 'closed':
      return 'closed';
    case 'refunded':
      return 'refunded';
    default:
      throw new Error(`sandbox payment ${payment.id} has an unknown status ${payment.status}`);
  }
}

const notFound = (paymentId: string) =>
  new SandboxGatewayError('payment_not_found', `no sandbox payment ${paymentId.slice(0, 64)}`);

function nullWhenNotFound(err: unknown): null {
  if (err instanceof SandboxGatewayError && err.code === 'payment_not_found') return null;
  throw err;
}
