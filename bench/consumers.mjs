import { randomUUID } from 'node:crypto';
import { createBenchDatabase } from './support/bench-data.mjs';
import {
  AckMode,
  ConsumerMetrics,
  createContainer,
  Database,
  inboundMessageOf,
  KafkaClient,
  KafkaListenerContainer,
  loadConfig,
  Logger,
  ProductRankingUpdater,
  RequestContext,
  RetryPolicy,
} from './support/built-service.mjs';
import {
  benchConsumer,
  benchGroupId,
  benchKafka,
  createBenchTopic,
  deleteBenchGroup,
} from './support/kafka.mjs';
import { elapsedMs, progress, progressDone } from './support/stats.mjs';

// Each run first reads this many records, unreported, in a group of its own: the first records of a run
// pay for what a long-running consumer paid long ago (JIT, the database's connections and caches, the
// ranking's first rows). Without it the ranking's first run measured 40 % below the same run done second.
const WARM_UP_RECORDS = 500;

/**
 * Records/s the app's `KafkaListenerContainer` reads, each run from a topic and in a consumer group of its
 * own, wired as the app wires it (logger, retry policy, metrics from the DI container).
 *
 * - A handler that does nothing shows what the container itself costs: `AckMode.RECORD` (a commit per
 *   record) and `AckMode.BATCH` (a commit per fetched batch, the app's default), next to the ceiling, a
 *   bare kafkajs `eachBatch` loop that handles each record and commits once per batch.
 * - The app's product-ranking consumer on MySQL: through `handle`, one transaction per record, and as the
 *   app runs it, a batch listener, through `handleBatch`: one transaction per chunk of a batch.
 */
export async function benchConsumers({ admin, records }) {
  const database = await createBenchDatabase('consumers');
  const container = await createContainer(
    loadConfig({
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
      EVENT_PUBLISHER: 'kafka',
      KAFKA_BROKERS: process.env.KAFKA_BROKERS,
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
    }),
  );
  const client = container.get(KafkaClient);
  await client.connect(); // its producer would send dead letters; none are expected here
  const listenerContainerOf = (listener, ackMode) =>
    new KafkaListenerContainer(
      listener,
      client,
      container.get(RetryPolicy),
      container.get(Logger),
      container.get(RequestContext),
      container.get(ConsumerMetrics),
      ackMode,
    );
  const ranking = container.get(ProductRankingUpdater);
  const doNothing = async () => undefined;
  const setups = [
    {
      handler: 'nothing (commits only)',
      consumer: 'bare kafkajs eachBatch loop (the ceiling)',
      commit: 'per batch',
      consume: (topic, count) => consumeWithBareLoop(topic, count, doNothing),
    },
    ...[AckMode.RECORD, AckMode.BATCH].map((ackMode) => ({
      handler: 'nothing (commits only)',
      consumer: 'KafkaListenerContainer, handle',
      commit: `AckMode.${ackMode.toUpperCase()}`,
      consume: (topic, count) =>
        consumeWithContainer(admin, topic, count, { handle: doNothing }, (listener) =>
          listenerContainerOf(listener, ackMode),
        ),
    })),
    {
      handler: 'product ranking (MySQL)',
      consumer: 'KafkaListenerContainer, handle',
      commit: 'AckMode.BATCH',
      // Only `handle`: the container then feeds it one record at a time.
      consume: (topic, count) =>
        consumeWithContainer(
          admin,
          topic,
          count,
          { handle: (record) => ranking.handle(record) },
          (listener) => listenerContainerOf(listener, AckMode.BATCH),
        ),
    },
    {
      handler: 'product ranking (MySQL)',
      consumer: 'KafkaListenerContainer, handleBatch',
      commit: 'AckMode.BATCH',
      consume: (topic, count) =>
        consumeWithContainer(admin, topic, count, ranking, (listener) =>
          listenerContainerOf(listener, AckMode.BATCH),
        ),
    },
  ];
  const runs = [];
  const warmUpTopic = await createBenchTopic(admin, 'bench.consumers-warm-up');
  try {
    await produceOrderEvents(warmUpTopic.name, WARM_UP_RECORDS);
    for (const { consume, ...run } of setups) {
      const label = `consumers: ${run.handler}, ${run.consumer}, ${run.commit}`;
      const topic = await createBenchTopic(admin, `bench.consumers-${runs.length}`);
      try {
        progress(`${label}: producing ${records} records`);
        await produceOrderEvents(topic.name, records);
        progress(`${label}: warming up on ${WARM_UP_RECORDS} records`);
        await consume(warmUpTopic.name, WARM_UP_RECORDS);
        progress(`${label}: consuming`);
        const recordsPerSecond = await consume(topic.name, records);
        runs.push({ ...run, records, recordsPerSecond });
        progressDone(`${label}: ${recordsPerSecond.toFixed(0)} records/s`);
      } finally {
        await topic.drop();
      }
    }
  } finally {
    await warmUpTopic.drop();
    await client.disconnect();
    await container.get(Database).close();
    await database.drop();
  }
  return runs;
}

/** Order-completed envelopes as the app writes them, for the bench's products 1-100. */
async function produceOrderEvents(topic, count) {
  // Idempotent: a request kafkajs sends again must not add records the bench did not count.
  const producer = benchKafka().producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let first = 0; first < count; first += 1_000) {
      const messages = Array.from({ length: Math.min(1_000, count - first) }, (_, index) => {
        const eventId = randomUUID();
        const orderId = randomUUID();
        const productId = ((first + index) % 100) + 1;
        const envelope = {
          eventId,
          type: 'order.completed',
          version: 1,
          occurredAt: new Date().toISOString(),
          payload: {
            orderId,
            userId: 1,
            items: [{ productId, productName: `Bench product ${productId}`, quantity: 1, unitPrice: 100 }],
            couponId: null,
            totalAmount: 100,
            discountAmount: 0,
            paidAmount: 100,
            completedAt: new Date().toISOString(),
          },
        };
        return { key: orderId, value: JSON.stringify(envelope), headers: { 'event-id': eventId } };
      });
      await producer.send({ topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Times `count` records: from the moment the first is handed to a handler (`starting`) until the last is
 * handled (`countHandled`), so a group's join is not counted, and the first chunk of a batch is.
 */
function handledCounter(count) {
  let handled = 0;
  let start;
  let done;
  const allHandled = new Promise((resolve) => (done = resolve));
  return {
    allHandled,
    starting: () => void (start ??= performance.now()),
    countHandled: (records = 1) => {
      handled += records;
      if (handled === count) done(elapsedMs(start));
    },
  };
}

/** The real container, in a group of its own, until it has handled `count` records (then it stops). */
async function consumeWithContainer(admin, topic, count, handlers, listenerContainerOf) {
  const { starting, countHandled, allHandled } = handledCounter(count);
  const listener = {
    groupId: benchGroupId('consumers'),
    topic,
    handle: async (record) => {
      starting();
      await handlers.handle(record);
      countHandled();
    },
    ...(handlers.handleBatch && {
      handleBatch: async (batch) => {
        starting();
        await handlers.handleBatch(batch);
        countHandled(batch.length);
      },
    }),
  };
  const listenerContainer = listenerContainerOf(listener);
  try {
    await listenerContainer.start();
    const ms = await allHandled;
    return count / (ms / 1000);
  } finally {
    await listenerContainer.stop();
    await deleteBenchGroup(admin, listener.groupId);
  }
}

/**
 * The least a consumer can do per batch: decode and handle each record, then resolve the last offset and
 * commit once, as the container does in AckMode.BATCH without the rest (spans, retries, metrics).
 */
async function consumeWithBareLoop(topic, count, handle) {
  const { consumer, close } = benchConsumer('consumers');
  const { starting, countHandled, allHandled } = handledCounter(count);
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
        for (const message of batch.messages) {
          starting();
          await handle(inboundMessageOf(topic, batch.partition, message));
          countHandled();
        }
        const last = batch.messages.at(-1);
        if (last) {
          resolveOffset(last.offset);
          await consumer.commitOffsets([
            { topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) },
          ]);
        }
        await heartbeat();
      },
    });
    const ms = await allHandled;
    return count / (ms / 1000);
  } finally {
    await close();
  }
}
