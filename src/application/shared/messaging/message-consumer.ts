import { MessageHeader } from '../events/event-envelope.js';

/** A record as a consumer receives it: bytes decoded to a string, exactly as they crossed the wire. */
export interface InboundMessage {
  readonly topic: string;
  readonly partition: number;
  /** A string, as in Kafka, where offsets are 64-bit. */
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timestamp: string;
}

/**
 * The request a record belongs to, for its log lines: the `request-id` header the producing request set,
 * or, for a record from elsewhere, where the record is.
 */
export function requestIdOf(message: InboundMessage): string {
  return (
    message.headers[MessageHeader.requestId] ?? `${message.topic}-${message.partition}-${message.offset}`
  );
}

/**
 * The contract between whatever feeds messages (the in-memory bus, a Kafka listener container) and the
 * inbound adapters that handle them (`src/interfaces/messaging/consumers`).
 *
 * An inbound adapter fed by a topic. Every consumer group receives every message of the topic
 * (broadcast); within one group, messages arrive one at a time, in order.
 */
export interface MessageConsumer {
  readonly groupId: string;
  readonly topic: string;
  handle(message: InboundMessage): Promise<void>;
}

/**
 * A consumer that can also take several records of one partition at once, in offset order, and do in one
 * go what `handle` does for each: one database transaction for the lot instead of one per record. Spring
 * calls this a batch listener.
 *
 * `handleBatch` has the effect of `handle` on each record, in order, or no effect at all: when it throws,
 * the container hands the same records to `handle` one by one, each with its retries and its way to the
 * dead-letter topic, so one poison record costs the batch its speed, never its other records.
 */
export interface BatchMessageConsumer extends MessageConsumer {
  handleBatch(messages: readonly InboundMessage[]): Promise<void>;
}

export function isBatchMessageConsumer(consumer: MessageConsumer): consumer is BatchMessageConsumer {
  return typeof (consumer as Partial<BatchMessageConsumer>).handleBatch === 'function';
}
