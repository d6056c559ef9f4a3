import type { DomainEvent } from '../../../domain/shared/domain-event.js';
import type { OutboundMessage } from '../../../domain/shared/global-event-publisher.js';

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

/**
 * The headers a message goes on the wire with: its extra headers, plus the typed fields every message
 * must carry, under their header names. Every adapter sends these, so consumers find them wherever the
 * message came from.
 */
export function wireHeadersOf(message: OutboundMessage): Record<string, string> {
  return {
    ...message.headers,
    [MessageHeader.eventId]: message.eventId,
    [MessageHeader.aggregateType]: message.aggregateType,
    [MessageHeader.aggregateId]: message.aggregateId,
  };
}
