import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import { ORDER_COMPLETED_TOPIC } from '../../application/order/events/order-completed-message.js';
import { deadLetterTopicOf } from './consumer/dead-letter.js';

export interface TopicDeclaration {
  readonly name: string;
  /** The unit of parallelism and of ordering: one key always lands in the same partition. */
  readonly partitions: number;
  /** Copies of each partition on different brokers; more than the cluster's broker count cannot be created. */
  readonly replicationFactor: number;
  /** How long the broker keeps records, read or not. */
  readonly retentionMs: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Every topic this service writes to, in one place. The Kafka adapter creates the missing ones at start-up
 * (brokers here refuse to auto-create topics, so a misspelt name fails loudly). The replication factor is
 * the cluster's business: 1 on a single development broker, 3 on the three-broker cluster.
 */
export function declaredTopics(replicationFactor: number): readonly TopicDeclaration[] {
  return [
    { name: ORDER_COMPLETED_TOPIC, partitions: 3, replicationFactor, retentionMs: 7 * DAY_MS },
    // As many partitions as the original: a dead letter keeps its key, so it lands in the same partition.
    {
      name: deadLetterTopicOf(ORDER_COMPLETED_TOPIC),
      partitions: 3,
      replicationFactor,
      retentionMs: 14 * DAY_MS,
    },
    // Keyed by campaign: one campaign's requests share a partition, so they are issued in queue order.
    // Three partitions let three campaigns be issued in parallel, by up to three issuers.
    { name: COUPON_ISSUE_REQUESTED_TOPIC, partitions: 3, replicationFactor, retentionMs: 7 * DAY_MS },
    {
      name: deadLetterTopicOf(COUPON_ISSUE_REQUESTED_TOPIC),
      partitions: 3,
      replicationFactor,
      retentionMs: 14 * DAY_MS,
    },
  ];
}
