export interface DomainEventMetadata {
  readonly eventId?: string;
  readonly occurredAt?: Date;
}

/**
 * Something that happened in the domain. Aggregates record events; the application decides when they
 * leave the transaction. `eventName` is stable across versions of the code, so it can name messages on a
 * broker (`order.completed`), while the class name stays free to change.
 */
export abstract class DomainEvent {
  abstract readonly eventName: string;
  readonly eventId: string;
  readonly occurredAt: Date;

  protected constructor(metadata: DomainEventMetadata = {}) {
    // crypto.randomUUID is a web-standard global (no import), so the domain stays free of Node modules.
    this.eventId = metadata.eventId ?? crypto.randomUUID();
    this.occurredAt = metadata.occurredAt ?? new Date();
  }

  /** The event's facts as plain JSON-safe values: what a message payload is built from. */
  abstract toPrimitives(): Record<string, unknown>;
}
