import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka, Producer } from 'kafkajs';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../src/application/shared/messaging/message-consumer.js';
import { consumerLag } from '../../../src/infrastructure/messaging/kafka/consumer-lag.js';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaListenerContainer } from '../../../src/infrastructure/messaging/kafka/kafka-listener-container.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { deferred } from '../../support/deferred.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import {
  committedOffsets,
  createTestTopic,
  readRecords,
  testKafka,
  uniqueName,
  waitFor,
} from '../../support/servers/kafka-test-kit.js';
import { describeWithRealServers, kafkaBrokers } from '../../support/servers/real-servers.js';

describeWithRealServers('KafkaListenerContainer (real broker)', () => {
  const logger = new RecordingLogger();
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let client: KafkaClient;
  const running: KafkaListenerContainer[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    producer = kafka.producer();
    client = new KafkaClient(
      {
        brokers: kafkaBrokers().split(','),
        clientId: 'listener-container-test',
        replicationFactor: 1,
        sessionTimeoutMs: 10_000,
      },
      logger,
    );
    await Promise.all([admin.connect(), producer.connect(), client.connect()]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((container) => container.stop()));
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect(), client.disconnect()]);
  });

  async function startContainer(
    listener: MessageConsumer,
    retryPolicy = new RetryPolicy(3, 20, 100),
  ): Promise<KafkaListenerContainer> {
    const container = new KafkaListenerContainer(
      listener,
      client,
      retryPolicy,
      logger,
      new AsyncLocalStorageRequestContext(),
    );
    await container.start();
    running.push(container);
    return container;
  }

  function listenerOf(topic: string, groupId: string, handle: (message: InboundMessage) => Promise<void>) {
    return { topic, groupId, handle };
  }

  const send = (
    topic: string,
    key: string,
    value = `value of ${key}`,
    headers: Record<string, string> = {},
  ) => producer.send({ topic, messages: [{ key, value, headers }] });

  it('commits offset + 1 only once the handler succeeded, and the group never gets that record again', async () => {
    const topic = await createTestTopic(admin, 'commit');
    const groupId = uniqueName('group');
    const handled: string[] = [];
    const handlerMayFinish = deferred();
    await send(topic, 'only-key');
    const [written] = await readRecords(kafka, topic, 1);
    const committed = async () => (await committedOffsets(admin, groupId, topic)).get(written!.partition);

    const first = await startContainer(
      listenerOf(topic, groupId, async (message) => {
        handled.push(message.offset);
        await handlerMayFinish.promise;
      }),
    );
    await waitFor(() => handled.length === 1, 'the handler to start');
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time enough for an early commit to show
    expect(await committed()).toBe('-1');
    handlerMayFinish.resolve();
    await waitFor(async () => (await committed()) === '1', 'offset 1 to be committed');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message.offset)));
    await send(topic, 'only-key', 'second');
    await waitFor(() => handled.length === 2, 'the second record');

    expect(handled).toEqual(['0', '1']); // offset 0 was not delivered again
  });

  it('gives a record again to the group when the consumer that read it stopped before committing', async () => {
    const topic = await createTestTopic(admin, 'uncommitted');
    const groupId = uniqueName('group');
    await send(topic, 'order-1', 'read but never committed');
    // A consumer that reads the record and dies before its commit (autoCommit off, nothing committed).
    const crashing = kafka.consumer({ groupId });
    let readByCrashing: string | undefined;
    await crashing.connect();
    await crashing.subscribe({ topics: [topic], fromBeginning: true });
    await crashing.run({
      autoCommit: false,
      eachMessage: async ({ message }) => void (readByCrashing = message.offset),
    });
    await waitFor(() => readByCrashing !== undefined, 'the first consumer to read the record');
    await crashing.disconnect();

    const handled: InboundMessage[] = [];
    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message)));
    await waitFor(() => handled.length === 1, 'the record to come again');

    expect(readByCrashing).toBe('0');
    expect(handled[0]).toMatchObject({ offset: '0', key: 'order-1', value: 'read but never committed' });
  });

  it('sends a poison record to <topic>.dlq after the attempts are spent, and the partition moves on', async () => {
    const topic = await createTestTopic(admin, 'poison');
    const groupId = uniqueName('group');
    const attemptsByValue = new Map<string, number>();
    await startContainer(
      listenerOf(topic, groupId, async (message) => {
        attemptsByValue.set(message.value, (attemptsByValue.get(message.value) ?? 0) + 1);
        if (message.value === 'poison') throw new Error('cannot parse this');
      }),
    );

    // Same key: same partition, so "later records still flow" is about the partition the poison blocked.
    await send(topic, 'order-7', 'poison', { 'event-id': 'e-1' });
    await send(topic, 'order-7', 'fine');
    const [deadLetter] = await readRecords(kafka, `${topic}.dlq`, 1);
    await waitFor(() => attemptsByValue.get('fine') === 1, 'the next record to be handled');

    expect(attemptsByValue.get('poison')).toBe(3);
    expect(deadLetter).toMatchObject({
      key: 'order-7',
      value: 'poison',
      headers: {
        'event-id': 'e-1',
        'dlq-error': 'Error: cannot parse this',
        'dlq-attempts': '3',
        'dlq-consumer-group': groupId,
        'dlq-original-topic': topic,
        'dlq-original-offset': '0',
      },
    });
    expect(deadLetter?.headers['dlq-original-partition']).toMatch(/^[0-2]$/);
    await waitFor(async () => (await consumerLag(admin, groupId, topic)) === 0, 'the group to commit both');
  });

  it('leaves a record that waits between retries uncommitted when stopped, for the next member', async () => {
    const topic = await createTestTopic(admin, 'stop-in-backoff');
    const groupId = uniqueName('group');
    let attempts = 0;
    await send(topic, 'order-9', 'fails once, then would succeed');
    const waitingMember = await startContainer(
      listenerOf(topic, groupId, async () => {
        attempts += 1;
        throw new Error('database busy');
      }),
      new RetryPolicy(3, 60_000, 60_000), // a long wait after the first failure
    );
    await waitFor(() => attempts === 1, 'the first attempt to fail');

    await waitingMember.stop();
    running.splice(running.indexOf(waitingMember), 1);

    expect([...(await committedOffsets(admin, groupId, topic)).values()]).toEqual(['-1', '-1', '-1']);
    const handled: string[] = [];
    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message.value)));
    await waitFor(() => handled.length === 1, 'the next member to get the record');
    expect(handled).toEqual(['fails once, then would succeed']);
    expect(attempts).toBe(1);
  });

  it('shares the partitions with a second member that joins, and leaves no record unprocessed', async () => {
    const topic = await createTestTopic(admin, 'rebalance');
    const groupId = uniqueName('group');
    const handledBy = new Map<string, string>(); // key → member
    const member = (name: string) =>
      listenerOf(topic, groupId, async (message) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        handledBy.set(message.key ?? '', name);
      });
    const sendBatch = (from: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: 30 }, (_, index) => ({ key: `key-${from + index}`, value: 'v' })),
      });

    await startContainer(member('first'));
    await sendBatch(0);
    await waitFor(() => handledBy.size >= 5, 'the first member to be busy');
    await startContainer(member('second'));
    await sendBatch(30);
    await waitFor(
      async () => (await consumerLag(admin, groupId, topic)) === 0,
      'the group to catch up',
      60_000,
    );

    expect([...handledBy.keys()].sort()).toEqual(
      Array.from({ length: 60 }, (_, index) => `key-${index}`).sort(),
    );
    expect(new Set(handledBy.values())).toEqual(new Set(['first', 'second']));
    const rebalanceLines = logger.messages('info').filter((line) => line.startsWith(`${groupId}:`));
    expect(rebalanceLines.some((line) => line.includes('partitions revoked'))).toBe(true);
    expect(
      rebalanceLines.filter((line) => line.includes('partitions assigned')).length,
    ).toBeGreaterThanOrEqual(3);
  }, 90_000);
});
