import type { Admin } from 'kafkajs';
import type { Logger } from '../../../application/shared/logger.js';
import type { TopicDeclaration } from '../declared-topics.js';

/**
 * Creates the declared topics that do not exist yet, and leaves existing ones alone: safe to run at every
 * start, from every instance. An existing topic with another partition count is reported, not changed:
 * adding partitions moves keys to other partitions, which breaks per-key ordering.
 */
export async function createMissingTopics(
  admin: Admin,
  declarations: readonly TopicDeclaration[],
  logger: Logger,
): Promise<void> {
  const existing = new Set(await admin.listTopics());
  const missing = declarations.filter((topic) => !existing.has(topic.name));
  for (const topic of missing) {
    const created = await createUnlessPresent(admin, topic);
    logger.info(
      { topic: topic.name, partitions: topic.partitions, replicationFactor: topic.replicationFactor },
      created ? 'topic created' : 'topic created meanwhile by another instance',
    );
  }

  const present = declarations.filter((topic) => existing.has(topic.name));
  if (present.length === 0) return;
  const { topics } = await admin.fetchTopicMetadata({ topics: present.map((topic) => topic.name) });
  for (const { name, partitions } of topics) {
    const declared = present.find((topic) => topic.name === name);
    if (declared && declared.partitions !== partitions.length) {
      logger.warn(
        { topic: name, declaredPartitions: declared.partitions, actualPartitions: partitions.length },
        'topic exists with another partition count than declared; left as it is',
      );
    }
  }
}

/** False when another instance created the topic between our listing and our request. */
function createUnlessPresent(admin: Admin, topic: TopicDeclaration): Promise<boolean> {
  return admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: topic.name,
        numPartitions: topic.partitions,
        replicationFactor: topic.replicationFactor,
        configEntries: [{ name: 'retention.ms', value: String(topic.retentionMs) }],
      },
    ],
  });
}
