/** The observability settings read from the environment, and the order number a workflow id names. */
import { describe, expect, it } from 'vitest';
import { otlpTracesUrl } from '../../src/observability/tracing.ts';
import { orderNumberOfWorkflow, workerMetricsAddress } from '../../src/observability/worker-runtime.ts';

describe('WORKER_METRICS_ADDRESS', () => {
  it('is off when unset or blank', () => {
    expect(workerMetricsAddress({})).toBeNull();
    expect(workerMetricsAddress({ WORKER_METRICS_ADDRESS: ' ' })).toBeNull();
  });

  it.each(['127.0.0.1:9464', '[::1]:9464', 'metrics.internal:9464', '0.0.0.0:9464'])(
    'accepts %s',
    (address) => {
      expect(workerMetricsAddress({ WORKER_METRICS_ADDRESS: address })).toBe(address);
    },
  );

  it.each(['9464', 'http://127.0.0.1:9464', '127.0.0.1', '127.0.0.1:port', '::1:9464'])(
    'refuses %s, naming the variable',
    (address) => {
      expect(() => workerMetricsAddress({ WORKER_METRICS_ADDRESS: address })).toThrow(
        /WORKER_METRICS_ADDRESS/,
      );
    },
  );
});

describe('OTLP endpoint', () => {
  it('is off without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(otlpTracesUrl({})).toBeNull();
  });

  it('sends traces to <endpoint>/v1/traces, or to the traces endpoint as given', () => {
    expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
      'http://collector:4318/v1/traces',
    );
    expect(
      otlpTracesUrl({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://traces:4318/custom',
      }),
    ).toBe('http://traces:4318/custom');
  });
});

describe('order number in worker log lines', () => {
  it('is read from purchase and cancellation workflow ids only', () => {
    expect(orderNumberOfWorkflow('purchase-YB123')).toBe('YB123');
    expect(orderNumberOfWorkflow('cancellation-YB123')).toBe('YB123');
    expect(orderNumberOfWorkflow('claim-C1')).toBeNull();
    expect(orderNumberOfWorkflow('plan-draft-1')).toBeNull();
  });
});
