/** A message for the world outside this service: a broker topic, the key that picks its partition, a body. */
export interface OutboundMessage {
  readonly topic: string;
  /** Messages with the same key keep their order (on Kafka: they land in the same partition). */
  readonly key: string;
  /** A JSON-serializable body; the adapter serializes it as it would go on the wire. */
  readonly payload: Record<string, unknown>;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Port: hands messages to other services. Adapters decide how (an in-process bus, Kafka, an outbox
 * table); the code that calls `publish` never knows which one is bound.
 */
export abstract class GlobalEventPublisher {
  abstract publish(message: OutboundMessage): Promise<void>;
}
