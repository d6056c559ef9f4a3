import type { Admin } from 'kafkajs';
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../../../application/shared/logger.js';
import { consumerLagByPartition, type PartitionLag } from '../../messaging/kafka/consumer-lag.js';
import type { ConsumedFrom } from './consumer-metrics.js';
import { readAtMostEvery } from './read-at-most-every.js';

export interface ConsumerLagSettings {
  /** Scrapes within this window get the same answer: the broker is asked at most once per window. */
  readonly cacheMs: number;
  /** How long a scrape waits for the broker before it reports what it has. */
  readonly timeoutMs: number;
}

export const DEFAULT_CONSUMER_LAG_SETTINGS: ConsumerLagSettings = { cacheMs: 2_000, timeoutMs: 2_000 };

interface GroupLag extends ConsumedFrom {
  readonly partitions: readonly PartitionLag[];
}

/**
 * `consumer_lag_records{group,topic,partition}`: per partition, the high watermark minus the group's
 * committed offset, asked of the broker's admin API when Prometheus scrapes. A group the broker did not
 * answer for (it is down, or slow) is left out of that scrape and logged; the scrape itself never fails.
 */
export function registerConsumerLagMetrics(
  registry: Registry,
  admin: Admin,
  groups: readonly ConsumedFrom[],
  logger: Logger,
  settings: ConsumerLagSettings = DEFAULT_CONSUMER_LAG_SETTINGS,
): void {
  const readLags = readAtMostEvery(settings.cacheMs, async (): Promise<GroupLag[]> => {
    const reads = await Promise.allSettled(
      groups.map(async ({ groupId, topic }) => ({
        groupId,
        topic,
        partitions: await withTimeout(consumerLagByPartition(admin, groupId, topic), settings.timeoutMs),
      })),
    );
    return reads.flatMap((read, index) => {
      if (read.status === 'fulfilled') return [read.value];
      logger.warn(
        { ...groups[index], err: read.reason },
        'metrics: could not read consumer lag from the broker; left out of this scrape',
      );
      return [];
    });
  });

  new Gauge({
    name: 'consumer_lag_records',
    help: 'Records on the partition the group has not committed yet (high watermark - committed offset).',
    labelNames: ['group', 'topic', 'partition'],
    registers: [registry],
    async collect() {
      const lags = await readLags();
      this.reset();
      for (const { groupId, topic, partitions } of lags) {
        for (const { partition, lag } of partitions) {
          this.set({ group: groupId, topic, partition: String(partition) }, lag);
        }
      }
    },
  });
}

async function withTimeout<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
