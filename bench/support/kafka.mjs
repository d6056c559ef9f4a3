import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { ORDER_COMPLETED_TOPIC } from '../../dist/application/order/events/order-completed-message.js';

import { progress } from './stats.mjs';

const { Kafka, logLevel } = kafkajs;

/** The groups of the app's consumers (src/interfaces/messaging/consumers). */
export const APP_GROUPS = ['data-platform', 'product-ranking'];

export function benchKafka(brokers = process.env.KAFKA_BROKERS) {
  return new Kafka({ clientId: 'bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
}

/** Creates a topic of the bench's own (deleted by `drop()`), with as many partitions as the app's topic. */
export async function createBenchTopic(admin, name, partitions = 3) {
  await admin.deleteTopics({ topics: [name] }).catch(() => undefined);
  await admin.createTopics({ topics: [{ topic: name, numPartitions: partitions }], waitForLeaders: true });
  return { name, drop: () => admin.deleteTopics({ topics: [name] }).catch(() => undefined) };
}

/**
 * Moves the app's consumer groups to the end of the order topic before a run. Records already there
 * belong to other databases (tests, earlier runs): replaying them would measure their retries, not the
 * run. Only possible while no instance of the app is in the group, which is the case between runs.
 */
export async function skipOldOrderEvents(admin) {
  // The real log-end offsets: admin.resetOffsets() would store "latest" as -1, which a consumer that
  // subscribes fromBeginning (as the app's do) reads as "no offset yet" and starts from the oldest record.
  const ends = await admin.fetchTopicOffsets(ORDER_COMPLETED_TOPIC);
  for (const groupId of APP_GROUPS) {
    // A member of an app killed a moment ago stays in the group until its session times out (30 s).
    const deadline = Date.now() + 45_000;
    for (;;) {
      const { groups } = await admin.describeGroups([groupId]);
      if (groups[0]?.members.length === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `consumer group ${groupId} still has members: stop every running order service (npm start) first`,
        );
      }
      progress(`waiting for consumer group ${groupId} to empty (an app stopped a moment ago)`);
      await sleep(2_000);
    }
    await admin.setOffsets({
      groupId,
      topic: ORDER_COMPLETED_TOPIC,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
  }
}
