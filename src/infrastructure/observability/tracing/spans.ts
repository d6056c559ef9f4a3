import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Span,
} from '@opentelemetry/api';

// The adapters' own spans. With tracing off (no SDK started) the API hands out spans that record nothing,
// and the propagator writes no headers: every function here is then close to free.
const tracer = trace.getTracer('order-service');

/** The attribute OpenTelemetry's messaging conventions name the consumer group with. */
export const CONSUMER_GROUP_ATTRIBUTE = 'messaging.consumer.group.name';

/** Runs `work` in a span of its own, a child of the current one. Throwing marks the span as failed. */
export async function inSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const { kind = SpanKind.INTERNAL, attributes } = options;
  const span = tracer.startSpan(name, { kind, attributes });
  // Tracing off, or a trace not sampled: the span records nothing, so making it current would only cost
  // time (a listener container opens one per record); what `work` starts records nothing either way.
  if (!span.isRecording()) return work(span);
  return context.with(trace.setSpan(context.active(), span), async () => {
    try {
      return await work(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      span.end();
    }
  });
}

/**
 * A span started now, a child of the current one, that the caller ends: for work that does not fit in one
 * call, such as a record's share of a batch handled at once.
 */
export function startSpan(name: string, options: { kind?: SpanKind; attributes?: Attributes }): Span {
  const { kind = SpanKind.INTERNAL, attributes } = options;
  return tracer.startSpan(name, { kind, attributes });
}

/** Runs `work` with `span` as the current span: what it starts goes beneath it. */
export function withinSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/**
 * Like `inSpan`, but only inside a trace: work nobody asked for in a request or a record (the outbox
 * relay's polling, a scheduler's tick) starts no trace of its own, so a trace viewer shows orders, not polls.
 */
export async function inSpanIfTraced<T>(name: string, work: () => Promise<T>): Promise<T> {
  if (trace.getActiveSpan() === undefined) return work();
  return inSpan(name, {}, work);
}

/** `inSpan` for synchronous work. */
export function inSyncSpan<T>(
  name: string,
  options: { kind?: SpanKind; attributes?: Attributes },
  work: () => T,
): T {
  const { kind = SpanKind.INTERNAL, attributes } = options;
  return tracer.startActiveSpan(name, { kind, attributes }, (span) => {
    try {
      return work();
    } finally {
      span.end();
    }
  });
}

/**
 * A span for a moment, inside a trace: `work` starts what follows (a listener's send), which shows up
 * beneath it; the span itself ends at once.
 */
export function markSpan(name: string, work: () => void): void {
  if (trace.getActiveSpan() === undefined) work();
  else inSyncSpan(name, {}, work);
}

/** The current trace context as W3C headers (`traceparent`, maybe `tracestate`); empty outside a trace. */
export function currentTraceHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  propagation.inject(context.active(), headers);
  return headers;
}

/** Runs `work` inside the trace context `headers` carry (W3C `traceparent`), or outside any trace. */
export function withTraceHeaders<T>(headers: Readonly<Record<string, string>>, work: () => T): T {
  return context.with(propagation.extract(ROOT_CONTEXT, headers), work);
}

/** The trace the current code runs in, for log lines; undefined outside a trace or with tracing off. */
export function currentTraceId(): string | undefined {
  return trace.getActiveSpan()?.spanContext().traceId;
}

/**
 * A failed attempt, as an event on the span of the record's handling. The name says it all, because
 * Zipkin shows an event's name only (an OTLP backend shows the attributes too).
 */
export function recordFailedAttempt(attempt: number, error: unknown, retryInMs: number | undefined): void {
  const next = retryInMs === undefined ? 'no attempt left' : `next in ${retryInMs} ms`;
  trace.getActiveSpan()?.addEvent(`attempt ${attempt} failed, ${next}`, {
    attempt,
    'error.message': error instanceof Error ? error.message : String(error),
    ...(retryInMs === undefined ? {} : { 'retry.in_ms': retryInMs }),
  });
}

export { SpanKind, type Span };
