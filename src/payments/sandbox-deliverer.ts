/**
 * Delivers the sandbox gateway's callbacks the way a real provider does:
 * asynchronously, signed at send time, retried with exponential backoff until
 * the merchant answers 2xx, at least once (a duplicate is possible, a loss is not).
 *
 * Rows are claimed with `for update skip locked` and a lease (their
 * next_attempt_at moves into the future) in one statement, so several server
 * processes can run a deliverer against one database without sending a row
 * twice at once, and a process that dies mid-send only delays that row.
 */
import type { MikroORM } from '@mikro-orm/postgresql';
import { SANDBOX_SIGNATURE_HEADER, signSandboxPayload } from './sandbox-signature.ts';

/** Posts one callback; answers the HTTP status and (a little of) the response body. */
export type CallbackSender = (request: {
  url: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}) => Promise<{ status: number; body: string }>;

export interface DelivererLog {
  info(details: object, message: string): void;
  error(details: object, message: string): void;
}

export interface SandboxDelivererOptions {
  orm: MikroORM;
  signingSecret: string;
  /** Pause between polls when there is nothing more to send. */
  intervalMs?: number;
  /** Rows claimed per poll; they are sent concurrently. */
  batchSize?: number;
  requestTimeoutMs?: number;
  /** First retry delay; doubles per failed attempt up to backoffMaxMs. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** How long a claimed row stays reserved for this process; must exceed the request timeout. */
  leaseMs?: number;
  send?: CallbackSender;
  log?: DelivererLog;
}

const DEFAULTS = {
  intervalMs: 200,
  batchSize: 20,
  requestTimeoutMs: 5_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 5 * 60_000,
};

/** Delay before the next attempt after `failedAttempts` failures: base, 2·base, 4·base… capped. */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number): number {
  const exponent = Math.min(Math.max(failedAttempts - 1, 0), 30);
  return Math.min(baseMs * 2 ** exponent, maxMs);
}

/** Real HTTP with global fetch; redirects are not followed (a notify URL answers, it does not move). */
export const fetchSender: CallbackSender = async ({ url, headers, body, signal }) => {
  const response = await fetch(url, { method: 'POST', headers, body, signal, redirect: 'manual' });
  const text = await response.text();
  return { status: response.status, body: text.slice(0, 200) };
};

const silent: DelivererLog = { info() {}, error() {} };

interface ClaimedRow {
  id: string;
  body: string;
  attempts: number;
  event_id: string;
  copy: number;
  notify_url: string;
}

/*
 * A "closed" event never overtakes an undelivered "captured" one of the same
 * payment: that is how the reorder behaviour delivers a stale close after the
 * capture even while the capture is being retried.
 */
const CLAIM_SQL = `
with due as (
  select d.id from sandbox_callback as d
   where d.delivered_at is null
     and d.next_attempt_at <= ?
     and not (d.event_id like 'closed-%' and exists (
           select 1 from sandbox_callback as w
            where w.sandbox_payment_id = d.sandbox_payment_id
              and w.event_id like 'captured-%'
              and w.delivered_at is null))
   order by d.next_attempt_at, d.created_at, d.copy
   limit ?
   for update of d skip locked
)
update sandbox_callback as c
   set next_attempt_at = ?, updated_at = ?
  from due, sandbox_payment as p
 where c.id = due.id and p.id = c.sandbox_payment_id
returning c.id, c.body, c.attempts, c.event_id, c.copy, p.notify_url`;

/**
 * One pass: claims the due callbacks and sends them. Returns how many were
 * claimed, delivered and failed. `signal` aborts in-flight requests (on stop);
 * their rows are released for the next pass without counting an attempt.
 */
export async function deliverDueCallbacks(
  options: SandboxDelivererOptions,
  signal?: AbortSignal,
): Promise<{ claimed: number; delivered: number; failed: number }> {
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs;
  const leaseMs = options.leaseMs ?? requestTimeoutMs + 25_000;
  const send = options.send ?? fetchSender;
  const log = options.log ?? silent;
  const em = options.orm.em.fork();

  const now = new Date();
  const rows: ClaimedRow[] = await em.execute(CLAIM_SQL, [
    now,
    batchSize,
    new Date(now.getTime() + leaseMs),
    now,
  ]);
  let delivered = 0;
  let failed = 0;
  // allSettled: every row's bookkeeping finishes before the pass ends, even when one of them fails.
  const outcomes = await Promise.allSettled(
    rows.map(async (row) => {
      const sentAt = Date.now();
      const headers = {
        'content-type': 'application/json',
        'user-agent': 'yanbao-sandbox-gateway/1',
        [SANDBOX_SIGNATURE_HEADER]: signSandboxPayload(
          options.signingSecret,
          row.body,
          Math.floor(sentAt / 1000),
        ),
      };
      const timeout = AbortSignal.timeout(requestTimeoutMs);
      let error: string;
      try {
        const response = await send({
          url: row.notify_url,
          headers,
          body: row.body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
        if (response.status >= 200 && response.status < 300) {
          await em.execute(
            'update sandbox_callback set delivered_at = ?, attempts = attempts + 1, last_error = null, updated_at = ? where id = ?',
            [new Date(), new Date(), row.id],
          );
          delivered++;
          return;
        }
        error = `HTTP ${response.status}${response.body ? `: ${response.body}` : ''}`;
      } catch (err) {
        if (signal?.aborted) {
          // Stopping, not the merchant's fault: give the row back at once.
          await em.execute('update sandbox_callback set next_attempt_at = ?, updated_at = ? where id = ?', [
            new Date(),
            new Date(),
            row.id,
          ]);
          return;
        }
        error = timeout.aborted ? `timed out after ${requestTimeoutMs} ms` : describe(err);
      }
      const failedAttempts = row.attempts + 1;
      const delay = retryDelayMs(
        failedAttempts,
        options.backoffBaseMs ?? DEFAULTS.backoffBaseMs,
        options.backoffMaxMs ?? DEFAULTS.backoffMaxMs,
      );
      await em.execute(
        'update sandbox_callback set attempts = ?, next_attempt_at = ?, last_error = ?, updated_at = ? where id = ?',
        [failedAttempts, new Date(Date.now() + delay), error.slice(0, 500), new Date(), row.id],
      );
      failed++;
      log.info(
        { eventId: row.event_id, copy: row.copy, attempts: failedAttempts, retryInMs: delay, error },
        'sandbox callback not accepted; will retry',
      );
    }),
  );
  const broken = outcomes.find((outcome) => outcome.status === 'rejected');
  if (broken) throw broken.reason;
  return { claimed: rows.length, delivered, failed };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // fetch wraps the interesting part (ECONNREFUSED, ENOTFOUND…) in `cause`.
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return `${err.message}${cause}`;
}

export interface SandboxDeliverer {
  /** Stops polling, aborts in-flight requests and waits for the current pass to finish. */
  stop(): Promise<void>;
}

/** Polls every `intervalMs` (at once again after a full batch). Its timer never keeps the process alive. */
export function startSandboxDeliverer(options: SandboxDelivererOptions): SandboxDeliverer {
  const intervalMs = options.intervalMs ?? DEFAULTS.intervalMs;
  const batchSize = options.batchSize ?? DEFAULTS.batchSize;
  const log = options.log ?? silent;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let pass: Promise<void> | undefined;

  const schedule = (delayMs: number) => {
    if (stopping.signal.aborted) return;
    timer = setTimeout(() => {
      pass = runPass().then((full) => {
        pass = undefined;
        schedule(full ? 0 : intervalMs);
      });
    }, delayMs);
    timer.unref();
  };
  const runPass = async (): Promise<boolean> => {
    try {
      const { claimed } = await deliverDueCallbacks(options, stopping.signal);
      return claimed >= batchSize;
    } catch (err) {
      if (!stopping.signal.aborted) log.error({ err }, 'sandbox callback delivery pass failed');
      return false;
    }
  };

  schedule(0);
  return {
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await pass;
    },
  };
}
