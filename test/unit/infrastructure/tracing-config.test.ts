import { describe, expect, it } from '@jest/globals';
import { tracingConfigFrom } from '../../../src/infrastructure/observability/tracing/tracing-config.js';
import { StartupError } from '../../../src/infrastructure/startup-error.js';

describe('tracingConfigFrom', () => {
  it.each([{}, { OTEL_TRACES_EXPORTER: '' }, { OTEL_TRACES_EXPORTER: 'none' }])(
    'leaves tracing off unless OTEL_TRACES_EXPORTER names an exporter: %j',
    (environment) => {
      expect(tracingConfigFrom(environment)).toBeUndefined();
    },
  );

  it.each(['zipkin', 'otlp', 'console'] as const)(
    'turns tracing on with OTEL_TRACES_EXPORTER=%s',
    (exporter) => {
      expect(tracingConfigFrom({ OTEL_TRACES_EXPORTER: exporter })).toEqual({
        exporter,
        serviceName: 'order-service',
      });
    },
  );

  it('takes the service name from OTEL_SERVICE_NAME', () => {
    expect(
      tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_SERVICE_NAME: 'orders-eu' })?.serviceName,
    ).toBe('orders-eu');
  });

  it('refuses an exporter it does not know, naming the variable and the choices', () => {
    const read = () => tracingConfigFrom({ OTEL_TRACES_EXPORTER: 'jaeger' });
    expect(read).toThrow(StartupError);
    expect(read).toThrow(
      'OTEL_TRACES_EXPORTER=jaeger is not an exporter this service knows: use zipkin, otlp, console ' +
        '(or leave it unset: tracing off).',
    );
  });
});
