import { z } from 'zod';
import type { EventEnvelope } from '../../application/shared/events/event-envelope.js';

const envelopeSchema = z.object({
  // At most 36 (a UUID): the consumers' inbox stores it in a VARCHAR(36), and MySQL's INSERT IGNORE would
  // cut a longer id, so that two ids could collide.
  eventId: z.string().min(1).max(36),
  type: z.string().min(1),
  version: z.int().positive(),
  occurredAt: z.iso.datetime(),
  payload: z.record(z.string(), z.unknown()),
});

/** Reads a message value as an event envelope, checking its shape at the edge, as for HTTP bodies. */
export function parseEventEnvelope<Payload>(
  value: string,
  payloadSchema: z.ZodType<Payload>,
): EventEnvelope<Payload> {
  const envelope = envelopeSchema.parse(JSON.parse(value));
  return { ...envelope, payload: payloadSchema.parse(envelope.payload) };
}
