import type { Admin } from 'kafkajs';

/**
 * How many records of `topic` the group has not committed yet: per partition, the log-end offset minus
 * the group's committed offset (what `kafka-consumer-groups --describe` shows as LAG).
 */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const [logEnds, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  let lag = 0;
  for (const { partition, offset: logEnd, low } of logEnds) {
    const committedOffset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    // '-1': nothing committed yet; the group starts at the oldest retained record (`low`).
    const position = committedOffset === '-1' ? BigInt(low) : BigInt(committedOffset);
    lag += Number(BigInt(logEnd) - position);
  }
  return lag;
}
