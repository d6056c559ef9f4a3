import { z } from 'zod';
import type { EventEnvelope } from '../../application/shared/events/event-envelope.js';

const envelopeSchema = z.object({
  eventId: z.string().min(1),
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
