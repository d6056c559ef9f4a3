import type { InboundMessage } from '../../../application/shared/messaging/message-consumer.js';

/** Where records go that a consumer group could not handle: the topic's own dead-letter topic. */
export function deadLetterTopicOf(topic: string): string {
  return `${topic}.dlq`;
}

/** Headers added to a dead-lettered record, so whoever inspects or replays it knows what went wrong. */
export const DeadLetterHeader = {
  error: 'dlq-error',
  attempts: 'dlq-attempts',
  consumerGroup: 'dlq-consumer-group',
  originalTopic: 'dlq-original-topic',
  originalPartition: 'dlq-original-partition',
  originalOffset: 'dlq-original-offset',
} as const;

export interface DeadLetter {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** The record as it arrived (same key, value and headers), plus why and where it failed. */
export function deadLetterOf(
  message: InboundMessage,
  failure: { groupId: string; attempts: number; error: unknown },
): DeadLetter {
  return {
    topic: deadLetterTopicOf(message.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      [DeadLetterHeader.error]: describeError(failure.error),
      [DeadLetterHeader.attempts]: String(failure.attempts),
      [DeadLetterHeader.consumerGroup]: failure.groupId,
      [DeadLetterHeader.originalTopic]: message.topic,
      [DeadLetterHeader.originalPartition]: String(message.partition),
      [DeadLetterHeader.originalOffset]: message.offset,
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
