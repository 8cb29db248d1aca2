/**
 * OpenTelemetry traces from an HTTP request through the workflow it starts or updates to the
 * activities that workflow runs, exported by OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 * Unset, nothing is created: no provider, no interceptors, no Fastify hooks, no workflow sink.
 *
 * - Web: @fastify/otel makes a span per request; the Temporal client's interceptor starts a child
 *   span per start/update/signal and carries its context to the workflow in Temporal headers.
 * - Worker: the workflow interceptors (in the workflow bundle, deterministic: their spans leave the
 *   sandbox through the `exporter` sink) continue the trace and pass it to each activity; the
 *   activity interceptor makes the activity's span.
 */
import { createRequire } from 'node:module';
import type { WorkflowClientInterceptor } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import type { FastifyPluginCallback } from 'fastify';

/**
 * The workflow interceptors' module; bundled with the workflows. A bundle built beforehand
 * (WORKER_WORKFLOW_BUNDLE) traces only when built with it in `workflowInterceptorModules`.
 */
export const WORKFLOW_TRACING_MODULE = createRequire(import.meta.url).resolve(
  '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors',
);

/** Requests whose spans are noise: probes and scrapes. */
const UNTRACED_PATHS = ['/health', '/ready', '/metrics'];

export interface Tracing {
  /** For the Temporal client's `interceptors.workflow`. */
  clientInterceptors: WorkflowClientInterceptor[];
  /** Registered first in the app, so every route and hook is inside the request's span. */
  fastifyPlugin(): FastifyPluginCallback;
  /** Interceptors and the workflow span sink for Worker.create. */
  workerOptions(): Pick<WorkerOptions, 'interceptors' | 'sinks'>;
  /** Sends what is buffered (tests, shutdown). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Where spans go: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string | null {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : null;
}

/**
 * Registers the process-wide tracer provider (AsyncLocalStorage context, W3C propagation) and returns
 * the pieces the web server and worker plug in; null, having done nothing, when no endpoint is set.
 * The OpenTelemetry packages are loaded only then (importing them takes most of a second).
 */
export async function startTracing(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Tracing | null> {
  const url = otlpTracesUrl(env);
  if (url === null) return null;
  const [
    { FastifyOtelInstrumentation },
    { OTLPTraceExporter },
    { Resource },
    { BatchSpanProcessor },
    { NodeTracerProvider },
    {
      makeWorkflowExporter,
      OpenTelemetryActivityInboundInterceptor,
      OpenTelemetryActivityOutboundInterceptor,
      OpenTelemetryWorkflowClientInterceptor,
    },
  ] = await Promise.all([
    import('@fastify/otel'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace-base'),
    import('@opentelemetry/sdk-trace-node'),
    import('@temporalio/interceptors-opentelemetry'),
  ]);
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || serviceName });
  const spanProcessor = new BatchSpanProcessor(new OTLPTraceExporter({ url }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  const fastify = new FastifyOtelInstrumentation({
    ignorePaths: (options) => UNTRACED_PATHS.includes(options.url),
  });
  fastify.setTracerProvider(provider);
  return {
    clientInterceptors: [new OpenTelemetryWorkflowClientInterceptor()],
    fastifyPlugin: () => fastify.plugin(),
    workerOptions: () => ({
      interceptors: {
        workflowModules: [WORKFLOW_TRACING_MODULE],
        activity: [
          (ctx) => ({
            inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
            outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
          }),
        ],
      },
      sinks: { exporter: makeWorkflowExporter(spanProcessor, resource) },
    }),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}
