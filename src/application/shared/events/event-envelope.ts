import type { DomainEvent } from '../../../domain/shared/domain-event.js';

/**
 * The body of every message this service publishes. `type` and `version` let a consumer pick the right
 * parser; a breaking change to a payload gets a new version (and a new `.vN` topic).
 */
export interface EventEnvelope<Payload = Record<string, unknown>> {
  readonly eventId: string;
  readonly type: string;
  readonly version: number;
  readonly occurredAt: string;
  readonly payload: Payload;
}

export function envelopeOf(event: DomainEvent, version: number): EventEnvelope {
  return {
    eventId: event.eventId,
    type: event.eventName,
    version,
    occurredAt: event.occurredAt.toISOString(),
    payload: event.toPrimitives(),
  };
}

/** Header names shared by producers and consumers. */
export const MessageHeader = {
  eventId: 'event-id',
  eventType: 'event-type',
  /** The kind of aggregate the event is about (`order`), and its id: the message key. */
  aggregateType: 'aggregate-type',
  aggregateId: 'aggregate-id',
  requestId: 'request-id',
} as const;
