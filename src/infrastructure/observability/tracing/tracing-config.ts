import { StartupError } from '../../startup-error.js';

/** Where spans go: Zipkin's v2 JSON API, an OTLP collector, or stdout. */
export const TRACE_EXPORTERS = ['zipkin', 'otlp', 'console'] as const;
export type TraceExporterName = (typeof TRACE_EXPORTERS)[number];

export interface TracingConfig {
  readonly exporter: TraceExporterName;
  readonly serviceName: string;
}

/**
 * Tracing is off unless OTEL_TRACES_EXPORTER names an exporter: the embedded path pays nothing for it.
 * The other settings are OpenTelemetry's standard variables, read by the SDK and the exporters themselves
 * (OTEL_EXPORTER_ZIPKIN_ENDPOINT, OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER…).
 */
export function tracingConfigFrom(environment: NodeJS.ProcessEnv): TracingConfig | undefined {
  const exporter = environment.OTEL_TRACES_EXPORTER?.trim();
  if (exporter === undefined || exporter === '' || exporter === 'none') return undefined;
  if (!isTraceExporterName(exporter)) {
    throw new StartupError(
      `OTEL_TRACES_EXPORTER=${exporter} is not an exporter this service knows: use ${TRACE_EXPORTERS.join(', ')} ` +
        '(or leave it unset: tracing off).',
    );
  }
  return { exporter, serviceName: environment.OTEL_SERVICE_NAME?.trim() || 'order-service' };
}

function isTraceExporterName(name: string): name is TraceExporterName {
  return (TRACE_EXPORTERS as readonly string[]).includes(name);
}
