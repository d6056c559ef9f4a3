/** A message for the world outside this service: a broker topic, the key that picks its partition, a body. */
export interface OutboundMessage {
  readonly topic: string;
  /** Messages with the same key keep their order (on Kafka: they land in the same partition). */
  readonly key: string;
  /** A JSON-serializable body; the adapter serializes it as it would go on the wire. */
  readonly payload: Record<string, unknown>;
  /** The event's id: consumers drop a copy they already handled; the outbox keeps one row per id. */
  readonly eventId: string;
  /** The kind of aggregate the event is about (`order`), and its id. */
  readonly aggregateType: string;
  readonly aggregateId: string;
  /** Further headers, sent as they are (the event type, the request id). */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * Port: hands messages to other services. Adapters decide how (an in-process bus, Kafka, an outbox
 * table); the code that calls `publish` never knows which one is bound.
 */
export abstract class GlobalEventPublisher {
  abstract publish(message: OutboundMessage): Promise<void>;
}
