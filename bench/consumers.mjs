import { randomUUID } from 'node:crypto';
import { createBenchDatabase } from './support/bench-data.mjs';
import { createContainer, Database, loadConfig, ProductRankingUpdater } from './support/built-service.mjs';
import { benchConsumer, benchKafka, createBenchTopic } from './support/kafka.mjs';
import { elapsedMs, progress, progressDone } from './support/stats.mjs';

/**
 * Records/s a consumer reads, handling and committing per message (the app's KafkaListenerContainer:
 * commit offset+1 after every record) or per batch (handle every record of a fetched batch, then commit
 * once: Spring Kafka's default AckMode.BATCH). Each with a handler that does nothing, which shows the cost
 * of the commits alone, and with the app's product-ranking consumer (one MySQL transaction per record,
 * idempotent), which shows what they weigh next to real work. Every run reads a topic of its own.
 */
export async function benchConsumers({ admin, records }) {
  const database = await createBenchDatabase('consumers');
  const container = await createContainer(
    loadConfig({
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
      LOG_LEVEL: 'silent',
      SEED_DEMO_DATA: 'false',
    }),
  );
  const ranking = container.get(ProductRankingUpdater);
  const handlers = {
    'nothing (commits only)': async () => undefined,
    'product ranking (MySQL)': (record) => ranking.handle(record),
  };
  const runs = [];
  try {
    for (const [handlerName, handle] of Object.entries(handlers)) {
      for (const strategy of ['per message', 'per batch']) {
        const topic = await createBenchTopic(admin, `bench.consumers-${runs.length}`);
        try {
          progress(`consumers: ${handlerName}, commit ${strategy}: producing ${records} records`);
          await produceOrderEvents(topic.name, records);
          progress(`consumers: ${handlerName}, commit ${strategy}: consuming`);
          const recordsPerSecond = await consume(topic.name, records, strategy, handle);
          runs.push({ handler: handlerName, commit: strategy, records, recordsPerSecond });
          progressDone(
            `consumers: ${handlerName}, commit ${strategy}: ${recordsPerSecond.toFixed(0)} records/s`,
          );
        } finally {
          await topic.drop();
        }
      }
    }
  } finally {
    await container.get(Database).close();
    await database.drop();
  }
  return runs;
}

/** Order-completed envelopes as the app writes them, for the bench's products 1-100. */
async function produceOrderEvents(topic, count) {
  const producer = benchKafka().producer();
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

async function consume(topic, count, strategy, handle) {
  const { consumer, close } = benchConsumer('consumers');
  await consumer.connect();
  let handled = 0;
  let start;
  let done;
  const allHandled = new Promise((resolve) => (done = resolve));
  const recordOf = (message, partition) => ({
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? '',
    headers: {},
    timestamp: message.timestamp,
  });
  const countHandled = () => {
    start ??= performance.now();
    if (++handled === count) done(elapsedMs(start));
  };
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run(
      strategy === 'per message'
        ? {
            autoCommit: false,
            eachMessage: async ({ partition, message }) => {
              await handle(recordOf(message, partition));
              await consumer.commitOffsets([
                { topic, partition, offset: String(BigInt(message.offset) + 1n) },
              ]);
              countHandled();
            },
          }
        : {
            autoCommit: false,
            eachBatchAutoResolve: false,
            eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
              for (const message of batch.messages) {
                await handle(recordOf(message, batch.partition));
                resolveOffset(message.offset);
                countHandled();
              }
              const last = batch.messages.at(-1);
              if (last) {
                await consumer.commitOffsets([
                  { topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) },
                ]);
              }
              await heartbeat();
            },
          },
    );
    const ms = await allHandled;
    return count / (ms / 1000);
  } finally {
    await close();
  }
}
