import { AsyncLocalStorage } from 'node:async_hooks';
import { beforeEach, describe, expect, it } from '@jest/globals';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../src/application/shared/messaging/message-consumer.js';
import { InMemoryGlobalEventPublisher } from '../../../src/infrastructure/messaging/in-memory/in-memory-global-event-publisher.js';
import { InProcessBroker } from '../../../src/infrastructure/messaging/in-memory/in-process-broker.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { Registry } from 'prom-client';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../src/infrastructure/observability/metrics/consumer-metrics.js';
import { metricValue } from '../../support/metric-values.js';
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

describe('InProcessBroker, fed by InMemoryGlobalEventPublisher', () => {
  let logger: RecordingLogger;
  let requestContext: AsyncLocalStorageRequestContext;
  let bus: InProcessBroker;
  let publisher: InMemoryGlobalEventPublisher;
  let registry: Registry;

  beforeEach(() => {
    logger = new RecordingLogger();
    requestContext = new AsyncLocalStorageRequestContext();
    registry = new Registry();
    bus = new InProcessBroker(
      new RetryPolicy(3, 1, 1),
      logger,
      requestContext,
      new ConsumerMetrics(registry),
    );
    publisher = new InMemoryGlobalEventPublisher(bus, logger);
  });

  const publish = (key: string, payload: Record<string, unknown> = {}, topic = TOPIC) =>
    publisher.publish({
      topic,
      key,
      payload,
      eventId: `event-${key}`,
      aggregateType: 'order',
      aggregateId: key,
    });

  it('serializes the payload on the way in, as a broker would', async () => {
    const payload = { orderId: 'o-1', items: [{ productId: 1 }] };

    await publish('o-1', payload);
    payload.items.push({ productId: 2 });

    expect(bus.records[0]).toMatchObject({ topic: TOPIC, partition: 0, offset: '0', key: 'o-1' });
    expect(bus.records[0]?.value).toBe('{"orderId":"o-1","items":[{"productId":1}]}');
  });

  it('logs what it published: topic, key, partition, offset and event id', async () => {
    await publish('o-1');

    expect(logger.entries).toContainEqual({
      level: 'info',
      message: 'event published',
      fields: { topic: TOPIC, key: 'o-1', partition: 0, offset: '0', eventId: 'event-o-1' },
    });
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

    await publisher.publish({
      topic: TOPIC,
      key: 'k',
      payload: {},
      eventId: 'e-7',
      aggregateType: 'order',
      aggregateId: 'k',
      headers: { 'request-id': 'req-7' },
    });
    await bus.drain();

    expect(seen).toEqual(['req-7']);
  });

  it("delivers outside the publisher's async context, as a broker in another process would", async () => {
    // Stands for the publisher's open transaction: a consumer that saw it would join it.
    const publishersTransaction = new AsyncLocalStorage<string>();
    const seen: Array<string | undefined> = [];
    bus.subscribe({
      groupId: 'g',
      topic: TOPIC,
      handle: async () => void seen.push(publishersTransaction.getStore()),
    });

    await publishersTransaction.run('the scheduler transaction', () => publish('o-1'));
    await bus.drain();

    expect(seen).toEqual([undefined]);
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
    expect(bus.records.map((record) => record.topic)).toEqual([TOPIC]);
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
    const deadLetter = bus.records.find((record) => record.topic === `${TOPIC}.dlq`);
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

  it('counts per group and topic the records handled, the retries, and the dead letters', async () => {
    bus.subscribe({
      groupId: 'picky',
      topic: TOPIC,
      handle: async (message) => {
        if (message.key === 'poison') throw new Error('cannot parse');
      },
    });

    await publish('poison');
    await publish('fine');
    await publish('fine too');
    await bus.drain();

    const ofPicky = { group: 'picky', topic: TOPIC };
    expect(await metricValue(registry, 'consumer_records_handled_total', ofPicky)).toBe(2);
    // 3 attempts: the first two were retried, the last one dead-lettered.
    expect(await metricValue(registry, 'consumer_records_retried_total', ofPicky)).toBe(2);
    expect(await metricValue(registry, 'consumer_records_dead_lettered_total', ofPicky)).toBe(1);
  });

  it('keeps only the newest records, as a topic with retention would', async () => {
    const limit = InProcessBroker.RETAINED_RECORDS;

    for (let index = 0; index <= limit; index += 1) await publish(`k${index}`);

    expect(bus.records).toHaveLength(limit);
    expect(bus.records[0]?.offset).toBe('1');
    expect(bus.records.at(-1)?.offset).toBe(String(limit));
  });
});
