import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

export function benchKafka(brokers = process.env.KAFKA_BROKERS) {
  return new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/**
 * Creates a topic of the bench's own (deleted by `drop()`), with as many partitions as the app's topic.
 * Its name ends in a random suffix: two runs at once (two people on one broker) never share a topic.
 */
export async function createBenchTopic(admin, purpose, partitions = 3) {
  const name = `${purpose}-${randomUUID().slice(0, 8)}`;
  await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
  return { name, drop: () => admin.deleteTopics({ topics: [name] }).catch(() => undefined) };
}

/** A consumer group name of the bench's own: `bench-<purpose>-<uuid>`. */
export function benchGroupId(purpose) {
  return `bench-${purpose}-${randomUUID()}`;
}

/**
 * A consumer in a group of the bench's own. `close()` disconnects it and deletes the group, so a run
 * leaves no group behind for `kafka-consumer-groups --list` or the Kafka Lab to show.
 */
export function benchConsumer(purpose) {
  const kafka = benchKafka();
  const groupId = benchGroupId(purpose);
  const consumer = kafka.consumer({ groupId });
  const close = async () => {
    await consumer.disconnect();
    const admin = kafka.admin();
    await admin.connect();
    try {
      await deleteBenchGroup(admin, groupId);
    } finally {
      await admin.disconnect();
    }
  };
  return { consumer, close };
}

/** Deletes a group whose members have left. */
export async function deleteBenchGroup(admin, groupId) {
  // Right after the member leaves, the broker may still call the group non-empty: ask again briefly.
  for (let attempt = 1; attempt <= 10; attempt += 1) {
    const deleted = await admin.deleteGroups([groupId]).then(
      () => true,
      () => false,
    );
    if (deleted) return;
    await sleep(200);
  }
}
