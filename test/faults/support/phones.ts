/**
 * Consumers' phones over real HTTP: each phone sends from its own loopback
 * address (127.0.0.2, 127.0.0.3, …; all loopback on Linux), so the per-address
 * rate limit of the registration endpoint sees many phones rather than one
 * client. A phone gives up on a request after a timeout and, like a phone app,
 * retries what is safe to retry: the same request again (same idempotency key).
 */
import http from 'node:http';

export interface HttpAnswer {
  status: number;
  json: Record<string, unknown>;
  /** The Retry-After header, if any (a 503 for an outage carries one). */
  retryAfter: string | null;
}

/** Why one attempt did not get its answer: `HTTP 503`, `timeout`, `ECONNREFUSED`… */
export type AttemptFailure = string;

export class Phone {
  readonly localAddress: string;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  private readonly origin: string;
  constructor(origin: string, index: number) {
    this.origin = origin;
    this.localAddress = `127.0.0.${(index % 250) + 2}`;
  }

  post(path: string, body: unknown, timeoutMs: number): Promise<HttpAnswer> {
    const payload = body === undefined ? '' : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const request = http.request(
        `${this.origin}${path}`,
        {
          method: 'POST',
          agent: this.agent,
          localAddress: this.localAddress,
          signal: AbortSignal.timeout(timeoutMs),
          headers: {
            accept: 'application/json',
            ...(body === undefined
              ? {}
              : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            text += chunk;
          });
          response.on('end', () => {
            let json: Record<string, unknown>;
            try {
              json = text ? JSON.parse(text) : {};
            } catch {
              json = { raw: text.slice(0, 200) };
            }
            const retryAfter = response.headers['retry-after'] ?? null;
            resolve({ status: response.statusCode ?? 0, json, retryAfter });
          });
          response.on('error', reject);
        },
      );
      request.on('error', reject);
      request.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** A short name for a failed attempt, for counting. */
export function describeFailure(err: unknown): AttemptFailure {
  if (err instanceof Error) {
    if (err.name === 'TimeoutError' || err.name === 'AbortError') return 'timeout';
    const code = (err as NodeJS.ErrnoException).code;
    if (code) return code;
    return err.message.slice(0, 60);
  }
  return String(err).slice(0, 60);
}

/**
 * Sends the request until it gets `expected`: network errors, timeouts, 429 and 5xx are retried
 * with backoff (0.5 s doubling to 5 s) until the deadline or until `abandon` names a reason;
 * any other answer ends it. Every failed attempt is passed to `failed` for the report.
 */
export async function retryUntil(
  send: () => Promise<HttpAnswer>,
  expected: number,
  options: { deadline: number; failed: (failure: AttemptFailure) => void; abandon?: () => string | null },
): Promise<HttpAnswer> {
  let delay = 500;
  for (;;) {
    let failure: AttemptFailure;
    try {
      const answer = await send();
      if (answer.status === expected) return answer;
      if (answer.status !== 429 && answer.status < 500)
        throw new Error(`answered ${answer.status} ${JSON.stringify(answer.json).slice(0, 300)}`);
      failure = `HTTP ${answer.status}`;
    } catch (err) {
      if (err instanceof Error && err.message.startsWith('answered ')) throw err;
      failure = describeFailure(err);
    }
    options.failed(failure);
    const reason = options.abandon?.() ?? (Date.now() + delay > options.deadline ? 'deadline' : null);
    if (reason) throw new Error(`gave up after ${failure} (${reason})`);
    await new Promise((resolve) => setTimeout(resolve, delay * (0.75 + Math.random() / 2)));
    delay = Math.min(delay * 2, 5_000);
  }
}
