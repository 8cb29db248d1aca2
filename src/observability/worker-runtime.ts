/**
 * The worker process's telemetry, set once before its first connection: JSON log lines (pino, the
 * same shape as the web server's) carrying the SDK's workflow and activity attributes, and the
 * Temporal SDK's own Prometheus exporter (task latencies, slots, sticky cache) when
 * WORKER_METRICS_ADDRESS names where to serve it.
 */
import {
  type ActivityInterceptorsFactory,
  DefaultLogger,
  type LogLevel,
  Runtime,
  type TelemetryOptions,
} from '@temporalio/worker';
import pino from 'pino';
import { cancellationWorkflowId } from '../../workflows/cancellation.messages.ts';
import { purchaseWorkflowId } from '../domain/order-links.ts';

const PINO_LEVELS = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
} as const satisfies Record<LogLevel, pino.Level>;

function logLevel(raw: string | undefined): LogLevel {
  const level = (raw ?? 'info').toUpperCase();
  if (!(level in PINO_LEVELS))
    throw new Error(`LOG_LEVEL must be one of ${Object.values(PINO_LEVELS).join(', ')}`);
  return level as LogLevel;
}

/** host:port (or [v6]:port) for the worker's Prometheus endpoint, or null when unset. */
export function workerMetricsAddress(env: NodeJS.ProcessEnv = process.env): string | null {
  const raw = env.WORKER_METRICS_ADDRESS?.trim();
  if (!raw) return null;
  if (!/^(\[[0-9a-f:.]+\]|[^\s:[\]]+):\d{1,5}$/i.test(raw))
    throw new Error(`WORKER_METRICS_ADDRESS must be host:port, e.g. 127.0.0.1:9464 (got ${raw})`);
  return raw;
}

/** Installs the SDK runtime with Yanbao's logger and, when configured, the Prometheus exporter. */
export function installWorkerRuntime(env: NodeJS.ProcessEnv = process.env): void {
  const level = logLevel(env.LOG_LEVEL);
  const logger = pino({ level: PINO_LEVELS[level] });
  const bindAddress = workerMetricsAddress(env);
  const telemetryOptions: TelemetryOptions = bindAddress ? { metrics: { prometheus: { bindAddress } } } : {};
  Runtime.install({
    logger: new DefaultLogger(level, (entry) =>
      logger[PINO_LEVELS[entry.level]]({ ...entry.meta }, entry.message),
    ),
    telemetryOptions,
  });
}

const ORDER_WORKFLOW_PREFIXES = [purchaseWorkflowId(''), cancellationWorkflowId('')];

/** The order a workflow id names (`purchase-<n>`, `cancellation-<n>`), or null. */
export function orderNumberOfWorkflow(workflowId: string): string | null {
  const prefix = ORDER_WORKFLOW_PREFIXES.find((p) => workflowId.startsWith(p));
  return prefix ? workflowId.slice(prefix.length) : null;
}

/** Activity log lines about one order carry its number next to the SDK's workflowId. */
export const orderLogAttributes: ActivityInterceptorsFactory = (ctx) => ({
  outbound: {
    getLogAttributes(input, next) {
      const workflowId = ctx.info.workflowExecution?.workflowId;
      const orderNumber = workflowId ? orderNumberOfWorkflow(workflowId) : null;
      return next(orderNumber ? { ...input, orderNumber } : input);
    },
  },
});
