import { randomUUID } from 'node:crypto';
import { kafkaTool } from '../scripts/support/kafka-tool.mjs';
import { KafkaClient, KafkaGlobalEventPublisher } from './support/built-service.mjs';
import { createBenchTopic } from './support/kafka.mjs';
import { elapsedMs, progress, progressDone } from './support/stats.mjs';

/** About the size of a real order-completed record (envelope, payload, headers). */
export const RECORD_BYTES = 512;
/** The outbox relay's default batch (OUTBOX_BATCH_SIZE): what publishAll sends in one request. */
export const BATCH_RECORDS = 100;
/** Orders in flight at once on the after-commit path (the order API bench's connections). */
const CONCURRENT_PUBLISHES = 16;

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Events/s the Kafka adapter sustains, next to Kafka's own `kafka-producer-perf-test` against the same
 * broker and topic, at equal settings: records of RECORD_BYTES, acks=all, idempotence, one request in
 * flight, no compression, batches of about BATCH_RECORDS records, no linger.
 */
export async function benchPublisherThroughput({ admin, records }) {
  const topic = await createBenchTopic(admin, 'bench.publisher');
  try {
    progress(`publisher: kafka-producer-perf-test, ${records} records`);
    const perfTest = javaPerfTest(topic.name, records);
    progressDone(`publisher: kafka-producer-perf-test ${perfTest.toFixed(0)} records/s`);

    const client = new KafkaClient(
      {
        brokers: process.env.KAFKA_BROKERS.split(','),
        clientId: 'bench-publisher',
        replicationFactor: 1,
        sessionTimeoutMs: 30_000,
      },
      silentLogger,
    );
    await client.connect();
    try {
      const publisher = new KafkaGlobalEventPublisher(client, silentLogger);
      progress(`publisher: KafkaGlobalEventPublisher.publishAll, ${records} records`);
      const batched = await eventsPerSecond(records, async (messages) => {
        for (let first = 0; first < messages.length; first += BATCH_RECORDS) {
          await publisher.publishAll(messages.slice(first, first + BATCH_RECORDS));
        }
      });
      progressDone(`publisher: publishAll (the relay's path) ${batched.toFixed(0)} records/s`);
      progress(`publisher: KafkaGlobalEventPublisher.publish, ${records} records`);
      const single = await eventsPerSecond(records, async (messages) => {
        let next = 0;
        const worker = async () => {
          while (next < messages.length) await publisher.publish(messages[next++]);
        };
        await Promise.all(Array.from({ length: CONCURRENT_PUBLISHES }, worker));
      });
      progressDone(
        `publisher: publish ×${CONCURRENT_PUBLISHES} (the after-commit path) ${single.toFixed(0)} records/s`,
      );
      return {
        records,
        recordBytes: RECORD_BYTES,
        perfTest,
        publishAll: batched,
        publish: single,
        concurrentPublishes: CONCURRENT_PUBLISHES,
      };
    } finally {
      await client.disconnect();
    }
  } finally {
    await topic.drop();
  }

  async function eventsPerSecond(count, send) {
    const messages = Array.from({ length: count }, () => benchMessage(topic.name));
    const start = performance.now();
    await send(messages);
    return count / (elapsedMs(start) / 1000);
  }
}

/** A message whose value serializes to RECORD_BYTES, with the headers the app sends. */
export function benchMessage(topic) {
  const eventId = randomUUID();
  const payload = { eventId, type: 'bench', padding: '' };
  payload.padding = 'x'.repeat(RECORD_BYTES - JSON.stringify(payload).length);
  const key = randomUUID();
  return {
    topic,
    key,
    payload,
    eventId,
    aggregateType: 'bench',
    aggregateId: key,
    headers: { 'event-type': 'bench' },
  };
}

function javaPerfTest(topic, records) {
  const output = kafkaTool([
    'producer-perf-test',
    '--topic',
    topic,
    '--num-records',
    String(records),
    '--record-size',
    String(RECORD_BYTES),
    '--throughput',
    '-1',
    '--command-property',
    'acks=all',
    '--command-property',
    'enable.idempotence=true',
    '--command-property',
    'max.in.flight.requests.per.connection=1',
    '--command-property',
    'compression.type=none',
    '--command-property',
    'linger.ms=0',
    '--command-property',
    `batch.size=${BATCH_RECORDS * RECORD_BYTES}`,
  ]);
  // The last line: "N records sent, X records/sec (Y MB/sec), …"
  const perSecond = /records sent, ([\d.]+) records\/sec/.exec(output)?.[1];
  if (perSecond === undefined) throw new Error(`unexpected kafka-producer-perf-test output:\n${output}`);
  return Number(perSecond);
}
