import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaGlobalEventPublisher } from '../../../src/infrastructure/messaging/kafka/kafka-global-event-publisher.js';
import { itBehavesLikeAGlobalEventPublisher } from '../../support/contracts/global-event-publisher-contract.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { createTestTopic, readRecords, testKafka } from '../../support/servers/kafka-test-kit.js';
import { javaDefaultPartition } from '../../support/servers/murmur2.js';
import { kafkaPublisherUnderTest } from '../../support/servers/publishers-under-test.js';
import { describeWithRealServers, kafkaBrokers } from '../../support/servers/real-servers.js';

describeWithRealServers('KafkaGlobalEventPublisher (real broker)', () => {
  describe('held to the GlobalEventPublisher contract', () => {
    itBehavesLikeAGlobalEventPublisher(() => kafkaPublisherUnderTest((kafka) => kafka), 'publish rejects');
  });

  const logger = new RecordingLogger();
  let kafka: Kafka;
  let admin: Admin;
  let client: KafkaClient;
  let publisher: KafkaGlobalEventPublisher;

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    client = new KafkaClient(
      {
        brokers: kafkaBrokers().split(','),
        clientId: 'publisher-test',
        replicationFactor: 1,
        sessionTimeoutMs: 30_000,
      },
      logger,
    );
    publisher = new KafkaGlobalEventPublisher(client, logger);
    await Promise.all([admin.connect(), client.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), client.disconnect()]);
  });

  const publish = (topic: string, key: string, sequence: number) =>
    publisher.publish({
      topic,
      key,
      payload: { sequence },
      eventId: `${key}-${sequence}`,
      aggregateType: 'test',
      aggregateId: key,
    });

  it('puts a key in partition murmur2(key) mod 3, where a Java producer would put it', async () => {
    const topic = await createTestTopic(admin, 'partitioner');
    const keys = ['order-a', 'order-b', 'order-c', 'order-d'];

    for (const key of keys) await publish(topic, key, 1);

    const records = await readRecords(kafka, topic, keys.length);
    expect(new Map(records.map((record) => [record.key, record.partition]))).toEqual(
      new Map(keys.map((key) => [key, javaDefaultPartition(key, 3)])),
    );
    expect(publisher.counts).toMatchObject({ failedSends: 0 });
  });

  it('logs what it published: topic, key, partition, offset and event id', async () => {
    const topic = await createTestTopic(admin, 'logged');

    await publish(topic, 'order-z', 1);

    const line = logger.entries.find(
      (entry) => entry.message === 'event published' && entry.fields['topic'] === topic,
    );
    expect(line?.fields).toEqual({
      topic,
      key: 'order-z',
      eventId: 'order-z-1',
      partition: javaDefaultPartition('order-z', 3),
      offset: '0',
    });
  });

  it('counts and logs a send the broker refuses, with its event id, and rejects', async () => {
    await expect(publish('test.topic-that-does-not-exist', 'order-x', 1)).rejects.toThrow();

    expect(publisher.counts.failedSends).toBe(1);
    const line = logger.entries.find((entry) => entry.message.startsWith('event NOT published'));
    expect(line?.fields).toMatchObject({ eventId: 'order-x-1', failedSends: 1 });
  }, 60_000);
});
