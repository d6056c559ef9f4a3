import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Admin, type KafkaMessage, type Producer } from 'kafkajs';
import { logEndOffsets, type PartitionOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { kafkaBrokers } from './real-servers.js';
import { rememberScratchName } from './scratch-names.js';

/** A record as a test reads it back from Kafka, bytes decoded. */
export interface ReadRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** A kafkajs client of the test's own, to look at the broker from outside the code under test. */
export function testKafka(): Kafka {
  return new Kafka({ clientId: 'tests', brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
}

/**
 * A producer for a test's own records. Idempotent, as the app's is: kafkajs resends a whole request when the
 * broker's answer names an error for any partition in it, and without idempotence the broker would write the
 * partitions that had succeeded twice, leaving a test with more records than it sent.
 */
export function testProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
}

/** A topic or group name of this test's own; the run's global teardown deletes what it names. */
export function uniqueName(prefix: string): string {
  const name = `${prefix}-${randomBytes(4).toString('hex')}`;
  rememberScratchName(name);
  return name;
}

/**
 * A fresh topic and its dead-letter topic, so each test starts from empty partitions. Resolves once every
 * partition has a leader. kafkajs's own wait (`waitForLeaders`) gives up at the first "does not host this
 * topic-partition", which a broker that has just started, or is creating many topics at once, answers
 * until the new topic's metadata has reached it; this asks again.
 */
export async function createTestTopic(admin: Admin, prefix: string, partitions = 3): Promise<string> {
  const topic = uniqueName(`test.${prefix}`);
  const topics = [topic, `${topic}.dlq`];
  await admin.createTopics({
    waitForLeaders: false,
    topics: topics.map((name) => ({ topic: name, numPartitions: partitions, replicationFactor: 1 })),
  });
  await waitFor(`leaders for ${topic}`, async () => {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      return metadata.topics.every(
        (described) =>
          described.partitions.length === partitions &&
          described.partitions.every((partition) => partition.leader >= 0),
      );
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable === true) return false;
      throw error;
    }
  });
  return topic;
}

/**
 * Reads `count` records of `topic` written at or after `from` (default: the beginning), with a
 * throwaway consumer group. Fails when fewer arrive within the timeout.
 */
export async function readRecords(
  kafka: Kafka,
  topic: string,
  count: number,
  from: PartitionOffsets = {},
  timeoutMs = 15_000,
): Promise<ReadRecord[]> {
  const consumer = kafka.consumer({ groupId: uniqueName('test-reader') });
  const records: ReadRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) < (from[partition] ?? 0)) return;
        records.push(readRecordOf(partition, message));
      },
    });
    await waitFor(`${count} records on ${topic}`, () => records.length >= count, { timeoutMs });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Reads every record of `topic` from `from` (per partition; default: the beginning) up to the log-end
 * offsets as they are when called. Unlike `readRecords`, it does not need to know how many there are.
 */
export async function readToEnd(
  kafka: Kafka,
  admin: Admin,
  topic: string,
  from: PartitionOffsets = {},
): Promise<ReadRecord[]> {
  const end = await logEndOffsets(admin, topic);
  const start = (partition: number) => from[partition] ?? 0;
  const unread = new Set(
    Object.entries(end)
      .map(([partition, offset]) => [Number(partition), offset] as const)
      .filter(([partition, offset]) => offset > start(partition))
      .map(([partition]) => partition),
  );
  if (unread.size === 0) return [];
  const consumer = kafka.consumer({ groupId: uniqueName('test-reader') });
  const records: ReadRecord[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        const offset = Number(message.offset);
        if (offset < start(partition) || offset >= (end[partition] ?? 0)) return;
        records.push(readRecordOf(partition, message));
        if (offset + 1 >= (end[partition] ?? 0)) unread.delete(partition);
      },
    });
    for (const partition of unread) consumer.seek({ topic, partition, offset: String(start(partition)) });
    await waitFor(`${topic} read to its end`, () => unread.size === 0, { timeoutMs: 30_000 });
    return records;
  } finally {
    await consumer.disconnect();
  }
}

function readRecordOf(partition: number, message: KafkaMessage): ReadRecord {
  return {
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    value: message.value?.toString() ?? '',
    headers: Object.fromEntries(
      Object.entries(message.headers ?? {}).map(([name, value]) => [name, String(value)]),
    ),
  };
}
