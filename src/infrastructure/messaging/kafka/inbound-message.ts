import type { IHeaders, KafkaMessage } from 'kafkajs';
import type { InboundMessage } from '../../../application/shared/messaging/message-consumer.js';

/** A fetched record as a consumer receives it: key, value and headers decoded to strings. */
export function inboundMessageOf(topic: string, partition: number, message: KafkaMessage): InboundMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? '',
    headers: headersAsStrings(message.headers),
    timestamp: message.timestamp,
  };
}

function headersAsStrings(headers: IHeaders = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return result;
}
