import { afterAll, afterEach, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka, Producer } from 'kafkajs';
import { Registry } from 'prom-client';
import { consumerLag, logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { AckMode } from '../../../src/infrastructure/messaging/kafka/ack-mode.js';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaListenerContainer } from '../../../src/infrastructure/messaging/kafka/kafka-listener-container.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../src/infrastructure/observability/metrics/consumer-metrics.js';
import { deferred } from '../../support/deferred.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import {
  createTestTopic,
  testKafka,
  testProducer,
  uniqueName,
} from '../../support/servers/kafka-test-kit.js';
import { describeWithRealServers, kafkaBrokers } from '../../support/servers/real-servers.js';

interface Handled {
  readonly member: string;
  readonly partition: number;
  readonly offset: number;
}

// Two containers in one group on a three-partition topic. The first is alone and mid-way through
// partition 1's batch when the second joins; partition 1 is the one that moves. kafkajs's round-robin
// assignor sorts the members by id, which the broker makes `<clientId>-<uuid>`: member-a keeps
// partitions 0 and 2, member-b gets partition 1.
describeWithRealServers('KafkaListenerContainer rebalanced mid-batch (real broker)', () => {
  const recordsPerPartition = 10;
  const partitions = [0, 1, 2];
  const movingPartition = 1;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  const clients: KafkaClient[] = [];
  const running: KafkaListenerContainer[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    producer = testProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((container) => container.stop()));
    await Promise.all(clients.splice(0).map((client) => client.disconnect()));
  });
  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  /**
   * A client whose consumers resolve `rebalanceSeen` once the broker answers one of the container's
   * heartbeats with REBALANCE_IN_PROGRESS: from then on, the container ends the batch in hand after the
   * record in hand, and the test knows it without sleeping.
   */
  async function clientNamed(clientId: string, logger: RecordingLogger, rebalanceSeen = deferred()) {
    const client = new KafkaClient(
      { brokers: kafkaBrokers().split(','), clientId, replicationFactor: 1, sessionTimeoutMs: 10_000 },
      logger,
    );
    const consumerOf = client.consumer.bind(client);
    client.consumer = (groupId, shouldRestart) => {
      const consumer = consumerOf(groupId, shouldRestart);
      const run = consumer.run.bind(consumer);
      consumer.run = (config) =>
        run({
          ...config,
          eachBatch: async (payload) =>
            config!.eachBatch!({
              ...payload,
              heartbeat: () =>
                payload.heartbeat().catch((error: { type?: string }) => {
                  if (error.type === 'REBALANCE_IN_PROGRESS') rebalanceSeen.resolve();
                  throw error;
                }),
            }),
        });
      return consumer;
    };
    await client.connect();
    clients.push(client);
    return client;
  }

  async function startMember(
    client: KafkaClient,
    logger: RecordingLogger,
    handle: (record: { partition: number; offset: string }) => Promise<void>,
    topic: string,
    groupId: string,
  ) {
    const container = new KafkaListenerContainer(
      { topic, groupId, handle },
      client,
      new RetryPolicy(1, 0, 0),
      logger,
      new AsyncLocalStorageRequestContext(),
      new ConsumerMetrics(new Registry()),
      AckMode.BATCH,
    );
    running.push(container);
    await container.start();
  }

  /** The partitions of `topic` the member was last given, from its "joined the group" log line. */
  const assignedTo = (logger: RecordingLogger, groupId: string, topic: string) =>
    logger.entries
      .filter((entry) => entry.message.startsWith(`${groupId}: joined the group`))
      .map((entry) => (entry.fields['assigned'] as Record<string, number[]>)[topic] ?? [])
      .at(-1);

  it('commits what the first member handled of the batch in hand before the partition moves: nothing handled twice, nothing lost, each partition in order', async () => {
    const topic = await createTestTopic(admin, 'rebalance-mid-batch', partitions.length);
    const groupId = uniqueName('group');
    await producer.send({
      topic,
      messages: partitions.flatMap((partition) =>
        Array.from({ length: recordsPerPartition }, (_, index) => ({
          partition,
          key: `key-${partition}`,
          value: `record ${index}`,
        })),
      ),
    });
    expect(await logEndOffsets(admin, topic)).toEqual(
      Object.fromEntries(partitions.map((partition) => [partition, recordsPerPartition])),
    );
    const handled: Handled[] = [];
    const handledBy = (member: string, partition: number) =>
      handled
        .filter((record) => record.member === member && record.partition === partition)
        .map(({ offset }) => offset);
    const loggerA = new RecordingLogger();
    const loggerB = new RecordingLogger();
    const rebalanceSeenByA = deferred();
    const aMayFinishOffset4 = deferred();
    let aHoldsOffset4 = false;

    await startMember(
      await clientNamed('member-a', loggerA, rebalanceSeenByA),
      loggerA,
      async ({ partition, offset }) => {
        if (partition === movingPartition && offset === '4') {
          aHoldsOffset4 = true;
          await aMayFinishOffset4.promise;
        }
        handled.push({ member: 'a', partition, offset: Number(offset) });
      },
      topic,
      groupId,
    );
    await waitFor('member-a to hold partition 1, offset 4, mid-batch', () => aHoldsOffset4);
    expect(handledBy('a', movingPartition)).toEqual([0, 1, 2, 3]);

    const bJoined = startMember(
      await clientNamed('member-b', loggerB),
      loggerB,
      async ({ partition, offset }) => void handled.push({ member: 'b', partition, offset: Number(offset) }),
      topic,
      groupId,
    );
    await rebalanceSeenByA.promise;
    aMayFinishOffset4.resolve();
    await bJoined;
    // Each member commits only what it handled, so once the group has committed every record, it is done.
    await waitFor(
      'the group to commit every record',
      async () => (await consumerLag(admin, groupId, topic)).total === 0,
    );

    const named = handled.map(({ partition, offset }) => `${partition}:${offset}`);
    const handledTwice = named.filter((name, index) => named.indexOf(name) !== index);
    const lost = partitions
      .flatMap((partition) =>
        Array.from({ length: recordsPerPartition }, (_, offset) => `${partition}:${offset}`),
      )
      .filter((name) => !named.includes(name));
    expect(handledTwice).toEqual([]);
    expect(lost).toEqual([]);
    for (const member of ['a', 'b']) {
      for (const partition of partitions) {
        const offsets = handledBy(member, partition);
        const inOrder = [...offsets].sort((x, y) => x - y);
        expect({ member, partition, offsets }).toEqual({ member, partition, offsets: inOrder });
      }
    }
    expect(assignedTo(loggerB, groupId, topic)).toEqual([movingPartition]);
    expect(assignedTo(loggerA, groupId, topic)).toEqual([0, 2]);
    expect(handledBy('a', movingPartition)).toEqual([0, 1, 2, 3, 4]); // the record in hand, then no other
    expect(handledBy('b', movingPartition)).toEqual([5, 6, 7, 8, 9]); // from where member-a committed
  });
});
