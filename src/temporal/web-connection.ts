/**
 * The web server's connection to Temporal. With the SDK's default retries a call to a Temporal server
 * that is down keeps failing with UNAVAILABLE for about 20 s (10 attempts) before it gives up, and the
 * consumer waits all that time for the "busy, try again" answer. Here UNAVAILABLE gets a few quick
 * attempts (enough for a connection reset or a server restarting under our feet), then the request
 * answers 503 with Retry-After (src/domain/errors.ts isOutage) and the phone or the page tries again.
 * Every other retryable status keeps the SDK's retries. The worker's NativeConnection is not concerned.
 */
import {
  type ConnectionOptions,
  defaultGrpcRetryOptions,
  type GrpcRetryOptions,
  makeGrpcRetryInterceptor,
} from '@temporalio/client';

/** gRPC's UNAVAILABLE: the server cannot be reached (or is shutting down). */
const GRPC_UNAVAILABLE = 14;
/** Attempts at a call that keeps failing UNAVAILABLE: the SDK's backoff between them is 0.17, 0.29, 0.49, 0.84 s (±20 %), under 2.2 s in all. */
export const UNAVAILABLE_ATTEMPTS = 5;

export function webGrpcRetryOptions(): GrpcRetryOptions {
  const sdk = defaultGrpcRetryOptions();
  return {
    delayFunction: sdk.delayFunction,
    retryableDecider: (attempt, status) =>
      sdk.retryableDecider(attempt, status) &&
      (status.code !== GRPC_UNAVAILABLE || attempt < UNAVAILABLE_ATTEMPTS),
  };
}

export function webConnectionOptions(address: string): ConnectionOptions {
  return {
    address,
    interceptors: [makeGrpcRetryInterceptor(webGrpcRetryOptions())],
    // gRPC waits up to 2 minutes between reconnection attempts after a long outage (backoff ×1.6 from
    // 1 s); at most 5 s means requests flow again within seconds of Temporal's return.
    channelArgs: { 'grpc.max_reconnect_backoff_ms': 5_000 },
  };
}
