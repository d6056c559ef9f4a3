import { ExpressInstrumentation, ExpressLayerType } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { NodeSDK } from '@opentelemetry/sdk-node';
import type { TracingConfig } from './tracing-config.js';
import { onTracingShutdown } from './tracing-shutdown.js';

/**
 * Starts OpenTelemetry's Node SDK: traces only (no metrics or logs through it), exported as
 * OTEL_TRACES_EXPORTER says, with W3C trace context propagation. Only spans the service makes while it
 * handles something are kept: a database query or a health check outside any trace starts none.
 */
export function startTracing(config: TracingConfig): void {
  const sdk = new NodeSDK({
    serviceName: config.serviceName,
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        // /health is polled by the tooling every 100 ms while the service starts: no trace per poll.
        ignoreIncomingRequestHook: (request) => request.url === '/health',
        // Outgoing HTTP is the exporter's own calls to the trace collector: tracing them would loop.
        disableOutgoingRequestInstrumentation: true,
      }),
      // The route handler only: a span per middleware (JSON parser, request id…) or router tried is noise.
      new ExpressInstrumentation({
        ignoreLayersType: [ExpressLayerType.MIDDLEWARE, ExpressLayerType.ROUTER],
      }),
      new KafkaJsInstrumentation(),
      // No per-query spans (instrumentation-mysql2): it cannot tell the order's queries from the outbox
      // relay's polling, which would then fill the trace viewer with a trace per poll; and an order's
      // dozen queries would bury its hops. The `transaction` span says how long the database took.
    ],
  });
  sdk.start();
  onTracingShutdown(() => sdk.shutdown());
}
