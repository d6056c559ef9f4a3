import { randomUUID } from 'node:crypto';
import { kafkaTool } from '../scripts/support/kafka-tool.mjs';
import { KafkaClient, KafkaGlobalEventPublisher } from './support/built-service.mjs';
import { createBenchTopic } from './support/kafka.mjs';
import { elapsedMs, progress, progressDone } from './support/stats.mjs';

/** About the size of a real order-completed record (envelope, payload, headers). */
export const RECORD_BYTES = 512;
/** The outbox relay's default batch (OUTBOX_BATCH_SIZE): what publishAll sends in one request. */
export const BATCH_RECORDS = 500;
/** Orders in flight at once on the after-commit path (the order API bench's connections). */
const CONCURRENT_PUBLISHES = 16;
/** A burst of orders: this many publish() calls outstanding at once, then the next burst. */
const BURST_PUBLISHES = 500;

const silentLogger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * Events/s the Kafka adapter sustains, next to Kafka's own `kafka-producer-perf-test` against the same
 * broker and topic, at equal settings: records of RECORD_BYTES, acks=all, idempotence, one request in
 * flight, no compression, batches of about BATCH_RECORDS records, no linger.
 *
 * publish() runs twice: in bursts of BURST_PUBLISHES outstanding calls, which the publisher coalesces
 * into full requests, and from CONCURRENT_PUBLISHES closed-loop callers, which can never have more than
 * that many records in a request: their rate is CONCURRENT_PUBLISHES ÷ the mean round trip of one
 * publish() (Little's law), reported next to it. KAFKA_PUBLISH_LINGER_MS, if set, sets the
 * linger (to compare values); otherwise the service's default applies.
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
        publishLingerMs: lingerFromEnvironment(),
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
      progress(`publisher: KafkaGlobalEventPublisher.publish, bursts of ${BURST_PUBLISHES}`);
      const burst = await eventsPerSecond(records, async (messages) => {
        for (let first = 0; first < messages.length; first += BURST_PUBLISHES) {
          await Promise.all(
            messages.slice(first, first + BURST_PUBLISHES).map((message) => publisher.publish(message)),
          );
        }
      });
      progressDone(`publisher: publish, bursts of ${BURST_PUBLISHES} ${burst.toFixed(0)} records/s`);
      progress(`publisher: KafkaGlobalEventPublisher.publish ×${CONCURRENT_PUBLISHES}, ${records} records`);
      const roundTripsMs = [];
      const single = await eventsPerSecond(records, async (messages) => {
        let next = 0;
        const worker = async () => {
          while (next < messages.length) {
            const start = performance.now();
            await publisher.publish(messages[next++]);
            roundTripsMs.push(elapsedMs(start));
          }
        };
        await Promise.all(Array.from({ length: CONCURRENT_PUBLISHES }, worker));
      });
      const roundTripMs = roundTripsMs.reduce((sum, ms) => sum + ms, 0) / roundTripsMs.length;
      progressDone(
        `publisher: publish ×${CONCURRENT_PUBLISHES} (the after-commit path) ${single.toFixed(0)} records/s; ` +
          `mean round trip ${roundTripMs.toFixed(2)} ms, so ${CONCURRENT_PUBLISHES} ÷ ` +
          `${roundTripMs.toFixed(2)} ms = ${((CONCURRENT_PUBLISHES * 1000) / roundTripMs).toFixed(0)} records/s`,
      );
      return {
        records,
        recordBytes: RECORD_BYTES,
        perfTest,
        publishAll: batched,
        publish: single,
        concurrentPublishes: CONCURRENT_PUBLISHES,
        publishRoundTripMs: roundTripMs,
        burst,
        burstPublishes: BURST_PUBLISHES,
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

function lingerFromEnvironment() {
  const linger = process.env.KAFKA_PUBLISH_LINGER_MS;
  return linger === undefined ? undefined : Number(linger);
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
