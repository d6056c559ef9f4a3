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
