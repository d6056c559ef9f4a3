import type { InboundMessage } from '../../../application/shared/messaging/message-consumer.js';
import {
  CONSUMER_GROUP_ATTRIBUTE,
  inSpan,
  SpanKind,
  startSpan,
  withinSpan,
  withTraceHeaders,
  type Span,
} from '../../observability/tracing/spans.js';

// instrumentation-kafkajs only links a batch's records to their traces; the listener container puts each
// record's handling in the trace of the send that carried it, as instrumentation-kafkajs does for eachMessage.

/** Handles one record in a `process` span of its own, a child of the send that carried the record. */
export function inProcessSpan<T>(
  record: InboundMessage,
  groupId: string,
  work: () => Promise<T>,
): Promise<T> {
  return withTraceHeaders(record.headers, () =>
    inSpan(`process ${record.topic}`, optionsOf(record, groupId), work),
  );
}

/**
 * The `process` spans of records handled together (a batch listener's chunk): still one per record, each a
 * child of its own send, so every order's trace shows every group that handled it (Zipkin shows no span
 * links). Each span lasts from the start of the chunk until its record is done.
 */
export class ChunkProcessSpans {
  readonly #spans: Span[];

  constructor(records: readonly InboundMessage[], groupId: string) {
    const attributes = { 'messaging.batch.message_count': records.length };
    this.#spans = records.map((record) =>
      withTraceHeaders(record.headers, () => {
        const options = optionsOf(record, groupId);
        return startSpan(`process ${record.topic}`, {
          ...options,
          attributes: { ...options.attributes, ...attributes },
        });
      }),
    );
  }

  /** Runs the work of the record at `index` inside its span (the fallback, one record at a time). */
  runOne<T>(index: number, work: () => Promise<T>): Promise<T> {
    return withinSpan(this.#spans[index]!, work);
  }

  /** Ends the span of the record at `index`: that record is done. */
  end(index: number): void {
    this.#spans[index]!.end();
  }

  /** Ends every span still open: the chunk is done (or what is left of it waits for the next fetch). */
  endAll(): void {
    // An ended span records nothing more: this skips the ones `end` has already ended.
    for (const span of this.#spans) if (span.isRecording()) span.end();
  }
}

function optionsOf(record: InboundMessage, groupId: string) {
  return {
    kind: SpanKind.CONSUMER,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'process',
      'messaging.destination.name': record.topic,
      'messaging.destination.partition.id': String(record.partition),
      'messaging.kafka.offset': record.offset,
      [CONSUMER_GROUP_ATTRIBUTE]: groupId,
    },
  };
}
