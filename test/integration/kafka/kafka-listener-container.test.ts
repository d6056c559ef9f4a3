import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import type {
  BatchMessageConsumer,
  InboundMessage,
  MessageConsumer,
} from '../../../src/application/shared/messaging/message-consumer.js';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import {
  KafkaListenerContainer,
  MAX_RECORDS_PER_HANDLE_BATCH,
} from '../../../src/infrastructure/messaging/kafka/kafka-listener-container.js';
import { AckMode } from '../../../src/infrastructure/messaging/kafka/ack-mode.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../src/infrastructure/observability/metrics/consumer-metrics.js';
import { deferred } from '../../support/deferred.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { committedOffsets, consumerLag } from '../../../scripts/support/kafka-offsets.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import {
  createTestTopic,
  readRecords,
  testKafka,
  testProducer,
  uniqueName,
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
    producer = testProducer(kafka);
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
    ackMode: AckMode = AckMode.BATCH,
  ): Promise<KafkaListenerContainer> {
    const container = new KafkaListenerContainer(
      listener,
      client,
      retryPolicy,
      logger,
      new AsyncLocalStorageRequestContext(),
      new ConsumerMetrics(new Registry()),
      ackMode,
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

  /** Records of one key (six unless told) in one request: one partition, fetched as one batch. */
  async function sendInOneBatch(topic: string, count = 6): Promise<number> {
    const [written] = await producer.send({
      topic,
      messages: Array.from({ length: count }, (_, index) => ({ key: 'order-1', value: `record ${index}` })),
    });
    return written!.partition;
  }

  /** A batch listener that writes down each `handleBatch` call's offsets, and each `handle` call's. */
  function batchListenerOf(
    topic: string,
    groupId: string,
    handlers: {
      handleBatch?: (messages: readonly InboundMessage[]) => Promise<void>;
      handle?: (message: InboundMessage) => Promise<void>;
    } = {},
  ) {
    const batches: string[][] = [];
    const oneByOne: string[] = [];
    const listener: BatchMessageConsumer = {
      topic,
      groupId,
      async handleBatch(messages) {
        await handlers.handleBatch?.(messages);
        batches.push(messages.map((message) => message.offset));
      },
      async handle(message) {
        await handlers.handle?.(message);
        oneByOne.push(message.offset);
      },
    };
    return { listener, batches, oneByOne };
  }

  const offsetsUpTo = (count: number, from = 0) =>
    Array.from({ length: count - from }, (_, index) => String(from + index));

  it('commits offset + 1 only once the handler succeeded, and the group never gets that record again', async () => {
    const topic = await createTestTopic(admin, 'commit');
    const groupId = uniqueName('group');
    const handled: string[] = [];
    const handlerMayFinish = deferred();
    await send(topic, 'only-key');
    const [written] = await readRecords(kafka, topic, 1);
    const committed = async () => (await committedOffsets(admin, groupId, topic))[written!.partition];

    const first = await startContainer(
      listenerOf(topic, groupId, async (message) => {
        handled.push(message.offset);
        await handlerMayFinish.promise;
      }),
    );
    await waitFor('the handler to start', () => handled.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_000)); // time enough for an early commit to show
    expect(await committed()).toBe(-1);
    handlerMayFinish.resolve();
    await waitFor('offset 1 to be committed', async () => (await committed()) === 1);
    await first.stop();
    running.splice(running.indexOf(first), 1);

    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message.offset)));
    await send(topic, 'only-key', 'second');
    await waitFor('the second record', () => handled.length === 2);

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
    await waitFor('the first consumer to read the record', () => readByCrashing !== undefined);
    await crashing.disconnect();

    const handled: InboundMessage[] = [];
    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message)));
    await waitFor('the record to come again', () => handled.length === 1);

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
    await waitFor('the next record to be handled', () => attemptsByValue.get('fine') === 1);

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
    await waitFor(
      'the group to commit both',
      async () => (await consumerLag(admin, groupId, topic)).total === 0,
    );
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
    await waitFor('the first attempt to fail', () => attempts === 1);

    await waitingMember.stop();
    running.splice(running.indexOf(waitingMember), 1);

    expect(Object.values(await committedOffsets(admin, groupId, topic))).toEqual([-1, -1, -1]);
    const handled: string[] = [];
    await startContainer(listenerOf(topic, groupId, async (message) => void handled.push(message.value)));
    await waitFor('the next member to get the record', () => handled.length === 1);
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
    await waitFor('the first member to be busy', () => handledBy.size >= 5);
    await startContainer(member('second'));
    await sendBatch(30);
    await waitFor(
      'the group to catch up',
      async () => (await consumerLag(admin, groupId, topic)).total === 0,
      {
        timeoutMs: 60_000,
      },
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

  it('stopped mid-batch: commits the records handled so far, and the next member starts after them', async () => {
    const topic = await createTestTopic(admin, 'stop-mid-batch');
    const groupId = uniqueName('group');
    const partition = await sendInOneBatch(topic);
    const committed = async () => (await committedOffsets(admin, groupId, topic))[partition];
    const handled: string[] = [];
    const fourthMayFinish = deferred();
    const first = await startContainer(
      listenerOf(topic, groupId, async (message) => {
        if (message.offset === '3') await fourthMayFinish.promise;
        handled.push(message.offset);
      }),
    );
    await waitFor('three records handled, the fourth in hand', () => handled.length === 3);
    expect(await committed()).toBe(-1); // AckMode.BATCH: nothing committed before the batch ends

    const stopped = first.stop();
    running.splice(running.indexOf(first), 1);
    fourthMayFinish.resolve();
    await stopped;

    expect(handled).toEqual(['0', '1', '2', '3']); // the stop let offset 3 finish, and started no other
    expect(await committed()).toBe(4);
    const handledByNext: string[] = [];
    await startContainer(
      listenerOf(topic, groupId, async (message) => void handledByNext.push(message.offset)),
    );
    await waitFor('the next member to finish the partition', () => handledByNext.length === 2);
    expect(handledByNext).toEqual(['4', '5']);
  });

  it('AckMode.RECORD commits after each record, mid-batch too', async () => {
    const topic = await createTestTopic(admin, 'ack-record');
    const groupId = uniqueName('group');
    const partition = await sendInOneBatch(topic);
    const handled: string[] = [];
    const fourthMayFinish = deferred();
    await startContainer(
      listenerOf(topic, groupId, async (message) => {
        if (message.offset === '3') await fourthMayFinish.promise;
        handled.push(message.offset);
      }),
      undefined,
      AckMode.RECORD,
    );
    await waitFor('three records handled, the fourth in hand', () => handled.length === 3);

    expect((await committedOffsets(admin, groupId, topic))[partition]).toBe(3);
    fourthMayFinish.resolve();
    await waitFor(
      'all six committed',
      async () => (await committedOffsets(admin, groupId, topic))[partition] === 6,
    );
  });

  it('a batch that fails mid-way (the broker refuses a dead letter) is read again from its first unfinished record: nothing skipped, nothing handled twice that was committed', async () => {
    const topic = await createTestTopic(admin, 'crash-mid-batch');
    const groupId = uniqueName('group');
    const partition = await sendInOneBatch(topic);
    const handled: string[] = [];
    let poisonAttempts = 0;
    // Fault injection: the first dead-letter send fails, as with a broker gone, and the batch throws.
    const send = client.producer.send.bind(client.producer);
    let refusedOnce = false;
    client.producer.send = async (record) => {
      if (record.topic.endsWith('.dlq') && !refusedOnce) {
        refusedOnce = true;
        throw new Error('the broker is gone (injected)');
      }
      return send(record);
    };
    try {
      await startContainer(
        listenerOf(topic, groupId, async (message) => {
          if (message.offset === '3') {
            poisonAttempts += 1;
            throw new Error('cannot parse this');
          }
          handled.push(message.offset);
        }),
        new RetryPolicy(1, 20, 20),
      );
      await readRecords(kafka, `${topic}.dlq`, 1);
      await waitFor(
        'the partition to be done',
        async () => (await committedOffsets(admin, groupId, topic))[partition] === 6,
      );
    } finally {
      client.producer.send = send;
    }

    expect(refusedOnce).toBe(true);
    expect(poisonAttempts).toBe(2); // once before the failed batch, once when the batch came again
    expect(handled).toEqual(['0', '1', '2', '4', '5']); // 0–2 were committed as the batch failed
  });

  it('rebalanced mid-batch: commits what it handled before the partition moves, so no record is handled twice', async () => {
    const topic = await createTestTopic(admin, 'rebalance-mid-batch');
    const groupId = uniqueName('group');
    await sendInOneBatch(topic);
    const handled: { offset: string; member: string }[] = [];
    const thirdMayFinish = deferred();
    const member = (name: string) =>
      listenerOf(topic, groupId, async (message) => {
        if (name === 'first' && message.offset === '2') await thirdMayFinish.promise;
        handled.push({ offset: message.offset, member: name });
      });
    await startContainer(member('first'));
    await waitFor('two records handled, the third in hand', () => handled.length === 2);

    // The second member's join waits for the first to rejoin, which waits for the batch in hand.
    const second = startContainer(member('second'));
    await new Promise((resolve) => setTimeout(resolve, 4_000)); // a heartbeat or two: the rebalance is seen
    thirdMayFinish.resolve();
    await second;
    await waitFor('all six handled', () => handled.length >= 6);
    await waitFor(
      'the group to commit all six',
      async () => (await consumerLag(admin, groupId, topic)).total === 0,
    );

    expect(handled.slice(0, 3)).toEqual([
      { offset: '0', member: 'first' },
      { offset: '1', member: 'first' },
      { offset: '2', member: 'first' },
    ]);
    expect(handled.map(({ offset }) => offset)).toEqual(['0', '1', '2', '3', '4', '5']); // each once
  });
  it('hands a batch listener whole batches, in chunks, in offset order, and commits them', async () => {
    const topic = await createTestTopic(admin, 'batch-listener');
    const groupId = uniqueName('group');
    const count = MAX_RECORDS_PER_HANDLE_BATCH * 2 + 100;
    const partition = await sendInOneBatch(topic, count);
    const { listener, batches, oneByOne } = batchListenerOf(topic, groupId);

    await startContainer(listener);
    await waitFor(
      'every record committed',
      async () => (await committedOffsets(admin, groupId, topic))[partition] === count,
    );

    expect(batches.flat()).toEqual(offsetsUpTo(count)); // each record once, in offset order
    expect(batches.every((batch) => batch.length <= MAX_RECORDS_PER_HANDLE_BATCH)).toBe(true);
    expect(batches[0]).toHaveLength(MAX_RECORDS_PER_HANDLE_BATCH); // the fetch brought more than a chunk
    expect(oneByOne).toEqual([]);
  });

  it('a batch that throws goes through handle one record at a time: the poison record to the DLQ, the others handled once', async () => {
    const topic = await createTestTopic(admin, 'batch-fallback');
    const groupId = uniqueName('group');
    const partition = await sendInOneBatch(topic);
    const isPoison = (message: InboundMessage) => message.offset === '3';
    const { listener, batches, oneByOne } = batchListenerOf(topic, groupId, {
      handleBatch: async (messages) => {
        if (messages.some(isPoison)) throw new Error('cannot parse offset 3');
      },
      handle: async (message) => {
        if (isPoison(message)) throw new Error('cannot parse offset 3');
      },
    });

    await startContainer(listener, new RetryPolicy(2, 20, 20));
    const [deadLetter] = await readRecords(kafka, `${topic}.dlq`, 1);
    await waitFor(
      'the partition to be committed',
      async () => (await committedOffsets(admin, groupId, topic))[partition] === 6,
    );

    expect(batches).toEqual([]); // the one handleBatch call threw: it applied nothing
    expect(oneByOne).toEqual(['0', '1', '2', '4', '5']);
    expect(deadLetter).toMatchObject({ value: 'record 3', headers: { 'dlq-attempts': '2' } });
    const fallbacks = logger.entries.filter(
      (entry) => entry.fields.groupId === groupId && entry.message.startsWith('batch listener failed'),
    );
    expect(fallbacks).toHaveLength(1);
    expect(fallbacks[0]!.fields).toMatchObject({ partition, fromOffset: '0', toOffset: '5' });
  });

  it('a batch listener stopped mid-batch finishes the chunk in hand, commits it, and starts no other', async () => {
    const topic = await createTestTopic(admin, 'batch-stop');
    const groupId = uniqueName('group');
    const count = MAX_RECORDS_PER_HANDLE_BATCH + 10;
    const partition = await sendInOneBatch(topic, count);
    const committed = async () => (await committedOffsets(admin, groupId, topic))[partition];
    const firstChunkMayFinish = deferred();
    let chunksStarted = 0;
    const first = batchListenerOf(topic, groupId, {
      handleBatch: async () => {
        chunksStarted += 1;
        await firstChunkMayFinish.promise;
      },
    });
    const firstMember = await startContainer(first.listener);
    await waitFor('the first chunk to be in hand', () => chunksStarted === 1);

    const stopped = firstMember.stop();
    running.splice(running.indexOf(firstMember), 1);
    firstChunkMayFinish.resolve();
    await stopped;

    expect(first.batches).toEqual([offsetsUpTo(MAX_RECORDS_PER_HANDLE_BATCH)]);
    expect(await committed()).toBe(MAX_RECORDS_PER_HANDLE_BATCH);
    const next = batchListenerOf(topic, groupId);
    await startContainer(next.listener);
    await waitFor('the next member to finish the partition', async () => (await committed()) === count);
    expect(next.batches.flat()).toEqual(offsetsUpTo(count, MAX_RECORDS_PER_HANDLE_BATCH));
  });

  it('stopped while the fallback waits between retries: the records before it are committed, the rest go to the next member', async () => {
    const topic = await createTestTopic(admin, 'batch-fallback-stop');
    const groupId = uniqueName('group');
    const partition = await sendInOneBatch(topic);
    const committed = async () => (await committedOffsets(admin, groupId, topic))[partition];
    let attemptsAtOffset3 = 0;
    const first = batchListenerOf(topic, groupId, {
      handleBatch: async () => {
        throw new Error('database busy');
      },
      handle: async (message) => {
        if (message.offset !== '3') return;
        attemptsAtOffset3 += 1;
        throw new Error('database busy');
      },
    });
    const firstMember = await startContainer(first.listener, new RetryPolicy(3, 60_000, 60_000));
    await waitFor('offset 3 to wait for its second attempt', () => attemptsAtOffset3 === 1);

    await firstMember.stop();
    running.splice(running.indexOf(firstMember), 1);

    expect(first.oneByOne).toEqual(['0', '1', '2']);
    expect(await committed()).toBe(3);
    const next = batchListenerOf(topic, groupId);
    await startContainer(next.listener);
    await waitFor('the next member to finish the partition', async () => (await committed()) === 6);
    expect(next.batches).toEqual([['3', '4', '5']]);
  });
});
