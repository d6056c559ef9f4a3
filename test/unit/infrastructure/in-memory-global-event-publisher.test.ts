import { beforeEach, describe, expect, it } from '@jest/globals';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../src/application/shared/messaging/message-consumer.js';
import { InMemoryGlobalEventPublisher } from '../../../src/infrastructure/messaging/in-memory/in-memory-global-event-publisher.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/listener/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

const TOPIC = 'outside.order.completed.v1';

function recordingConsumer(groupId: string, handled: string[], topic = TOPIC): MessageConsumer {
  return {
    groupId,
    topic,
    handle: async (message: InboundMessage) => {
      handled.push(`${groupId}:${message.key}@${message.offset}`);
    },
  };
}

describe('InMemoryGlobalEventPublisher', () => {
  let logger: RecordingLogger;
  let requestContext: AsyncLocalStorageRequestContext;
  let bus: InMemoryGlobalEventPublisher;

  beforeEach(() => {
    logger = new RecordingLogger();
    requestContext = new AsyncLocalStorageRequestContext();
    bus = new InMemoryGlobalEventPublisher(new RetryPolicy(3, 1, 1), logger, requestContext);
  });

  const publish = (key: string, payload: Record<string, unknown> = {}, topic = TOPIC) =>
    bus.publish({ topic, key, payload, headers: { 'event-id': `event-${key}` } });

  it('serializes the payload on the way in, as a broker would', async () => {
    const payload = { orderId: 'o-1', items: [{ productId: 1 }] };

    await publish('o-1', payload);
    payload.items.push({ productId: 2 });

    expect(bus.published[0]).toMatchObject({ topic: TOPIC, partition: 0, offset: '0', key: 'o-1' });
    expect(bus.published[0]?.value).toBe('{"orderId":"o-1","items":[{"productId":1}]}');
  });

  it('gives every consumer group every message, each group in offset order', async () => {
    const handled: string[] = [];
    bus.subscribe(recordingConsumer('data-platform', handled));
    bus.subscribe(recordingConsumer('ranking', handled));
    bus.subscribe(recordingConsumer('elsewhere', handled, 'another.topic.v1'));

    await publish('a');
    await publish('b');
    await bus.drain();

    expect(handled.filter((line) => line.startsWith('data-platform'))).toEqual([
      'data-platform:a@0',
      'data-platform:b@1',
    ]);
    expect(handled.filter((line) => line.startsWith('ranking'))).toEqual(['ranking:a@0', 'ranking:b@1']);
    expect(handled.some((line) => line.startsWith('elsewhere'))).toBe(false);
  });

  it('delivers with the request id of the message as the current request', async () => {
    const seen: (string | undefined)[] = [];
    bus.subscribe({
      groupId: 'g',
      topic: TOPIC,
      handle: async () => void seen.push(requestContext.currentRequestId()),
    });

    await bus.publish({ topic: TOPIC, key: 'k', payload: {}, headers: { 'request-id': 'req-7' } });
    await bus.drain();

    expect(seen).toEqual(['req-7']);
  });

  it('retries a failing consumer, and a record that succeeds on a retry is handled once', async () => {
    const attempts: string[] = [];
    bus.subscribe({
      groupId: 'flaky',
      topic: TOPIC,
      handle: async (message) => {
        attempts.push(message.key ?? '');
        if (attempts.length === 1) throw new Error('database busy');
      },
    });

    await publish('a');
    await bus.drain();

    expect(attempts).toEqual(['a', 'a']);
    expect(bus.published.map((record) => record.topic)).toEqual([TOPIC]);
  });

  it('sends a record to the dead-letter topic once the attempts are spent, and goes on', async () => {
    const handled: string[] = [];
    let poisonAttempts = 0;
    bus.subscribe({
      groupId: 'picky',
      topic: TOPIC,
      handle: async (message) => {
        if (message.key === 'poison') {
          poisonAttempts += 1;
          throw new Error('cannot parse');
        }
        handled.push(message.key ?? '');
      },
    });

    await publish('poison');
    await publish('fine');
    await bus.drain();

    expect(poisonAttempts).toBe(3);
    expect(handled).toEqual(['fine']);
    const deadLetter = bus.published.find((record) => record.topic === `${TOPIC}.dlq`);
    expect(deadLetter).toMatchObject({
      key: 'poison',
      value: '{}',
      headers: {
        'event-id': 'event-poison',
        'dlq-error': 'Error: cannot parse',
        'dlq-attempts': '3',
        'dlq-consumer-group': 'picky',
        'dlq-original-topic': TOPIC,
        'dlq-original-partition': '0',
        'dlq-original-offset': '0',
      },
    });
  });

  it('keeps only the newest records, as a topic with retention would', async () => {
    const limit = InMemoryGlobalEventPublisher.RETAINED_RECORDS;

    for (let index = 0; index <= limit; index += 1) await publish(`k${index}`);

    expect(bus.published).toHaveLength(limit);
    expect(bus.published[0]?.offset).toBe('1');
    expect(bus.published.at(-1)?.offset).toBe(String(limit));
  });
});
