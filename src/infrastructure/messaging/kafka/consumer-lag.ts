import type { Admin } from 'kafkajs';

export interface PartitionLag {
  readonly partition: number;
  /** Records written to the partition that the group has not committed yet. */
  readonly lag: number;
}

/**
 * How many records of `topic` the group has not committed yet, per partition: the log-end offset (the
 * high watermark) minus the group's committed offset (what `kafka-consumer-groups --describe` shows as LAG).
 */
export async function consumerLagByPartition(
  admin: Admin,
  groupId: string,
  topic: string,
): Promise<PartitionLag[]> {
  const [logEnds, [committed]] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId, topics: [topic] }),
  ]);
  return logEnds.map(({ partition, offset: logEnd, low }) => {
    const committedOffset = committed?.partitions.find((p) => p.partition === partition)?.offset ?? '-1';
    // '-1': nothing committed yet; the group starts at the oldest retained record (`low`).
    const position = committedOffset === '-1' ? BigInt(low) : BigInt(committedOffset);
    return { partition, lag: Number(BigInt(logEnd) - position) };
  });
}

/** The group's lag on `topic`, all partitions together. */
export async function consumerLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  const partitions = await consumerLagByPartition(admin, groupId, topic);
  return partitions.reduce((total, { lag }) => total + lag, 0);
}
