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

  let sendBatchCalls = 0;

  const kafkaClient = (publishLingerMs: number) =>
    new KafkaClient(
      {
        brokers: kafkaBrokers().split(','),
        clientId: 'publisher-test',
        replicationFactor: 1,
        sessionTimeoutMs: 30_000,
        publishLingerMs,
      },
      logger,
    );

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    client = kafkaClient(0);
    // Each sendBatch is one Produce request per broker (here one broker), whatever retries kafkajs makes
    // of it when a broker that is still loading a new topic answers "not the leader" and the like.
    const sendBatch = client.producer.sendBatch.bind(client.producer);
    client.producer.sendBatch = (batch) => {
      sendBatchCalls += 1;
      return sendBatch(batch);
    };
    publisher = new KafkaGlobalEventPublisher(client, logger);
    await Promise.all([admin.connect(), client.connect()]);
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), client.disconnect()]);
  });

  const publish = (topic: string, key: string, sequence: number, to = publisher) =>
    to.publish({
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

  it('sends concurrent publishes in one request, each logged with its own partition and offset', async () => {
    const topic = await createTestTopic(admin, 'coalesced');
    const keys = ['order-a', 'order-b', 'order-c', 'order-d', 'order-e'];
    const sendsBefore = sendBatchCalls;

    await Promise.all(
      [1, 2, 3, 4, 5, 6].flatMap((sequence) => keys.map((key) => publish(topic, key, sequence))),
    );

    expect(sendBatchCalls - sendsBefore).toBe(1);
    const records = await readRecords(kafka, topic, 30);
    const logged = logger.entries.filter(
      (entry) => entry.message === 'event published' && entry.fields['topic'] === topic,
    );
    expect(logged).toHaveLength(30);
    for (const record of records) {
      const { key, sequence } = { key: record.key, sequence: JSON.parse(record.value).sequence };
      const line = logged.find((entry) => entry.fields['eventId'] === `${key}-${sequence}`);
      expect(line?.fields).toMatchObject({ partition: record.partition, offset: record.offset });
    }
    for (const key of keys) {
      const ofKey = records.filter((record) => record.key === key);
      expect(ofKey.map((record) => JSON.parse(record.value).sequence)).toEqual([1, 2, 3, 4, 5, 6]);
    }
  });

  it('drain sends what is lingering at once and waits for it', async () => {
    const lingering = kafkaClient(60_000);
    await lingering.connect();
    try {
      const lingeringPublisher = new KafkaGlobalEventPublisher(lingering, logger);
      const topic = await createTestTopic(admin, 'drained');
      let published = false;
      void publish(topic, 'order-d', 1, lingeringPublisher).then(() => (published = true));

      await lingeringPublisher.drain();

      expect(published).toBe(true);
      expect(lingeringPublisher.counts).toEqual({ sent: 1, failedSends: 0 });
      expect(await readRecords(kafka, topic, 1)).toHaveLength(1);
    } finally {
      await lingering.disconnect();
    }
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

  it('counts and logs a send the broker refuses, with its event id, and rejects its callers only', async () => {
    const topic = await createTestTopic(admin, 'after-refusal');
    const refused = publish('test.topic-that-does-not-exist', 'order-x', 1);
    await new Promise(setImmediate); // its request has left: the next publish goes in a request of its own

    const next = publish(topic, 'order-y', 1);

    await expect(refused).rejects.toThrow();
    await expect(next).resolves.toBeUndefined();

    expect(publisher.counts.failedSends).toBe(1);
    const line = logger.entries.find((entry) => entry.message.startsWith('event NOT published'));
    expect(line?.fields).toMatchObject({ eventId: 'order-x-1', failedSends: 1 });
  }, 60_000);
});
