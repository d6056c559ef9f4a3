import { describe, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import { Registry } from 'prom-client';
import { consumerLagByPartition } from '../../../src/infrastructure/messaging/kafka/consumer-lag.js';
import { registerConsumerLagMetrics } from '../../../src/infrastructure/observability/metrics/consumer-lag-metrics.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { metricValue } from '../../support/metric-values.js';

const TOPIC = 'outside.order.completed.v1';

interface PartitionOffsets {
  readonly partition: number;
  readonly low: string;
  readonly high: string;
}

/**
 * An admin client that answers from fixed offsets: the log of each partition, and what each group
 * committed. A group in `failingGroups` gets an error, as from a broker that is down.
 */
function brokerAnswering(
  logs: PartitionOffsets[],
  committedByGroup: Record<string, { partition: number; offset: string }[]>,
  failingGroups: string[] = [],
) {
  const calls = { fetchOffsets: 0 };
  const admin = {
    fetchTopicOffsets: async () => logs.map((log) => ({ ...log, offset: log.high })),
    fetchOffsets: async ({ groupId }: { groupId: string }) => {
      calls.fetchOffsets += 1;
      if (failingGroups.includes(groupId)) throw new Error('Connection refused');
      return [{ topic: TOPIC, partitions: committedByGroup[groupId] ?? [] }];
    },
  } as unknown as Admin;
  return { admin, calls };
}

const logs = [
  { partition: 0, low: '0', high: '10' },
  { partition: 1, low: '5', high: '12' },
];

describe('consumerLagByPartition', () => {
  it('is the high watermark minus the committed offset, per partition', async () => {
    const { admin } = brokerAnswering(logs, {
      ranking: [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '12' },
      ],
    });

    expect(await consumerLagByPartition(admin, 'ranking', TOPIC)).toEqual([
      { partition: 0, lag: 3 },
      { partition: 1, lag: 0 },
    ]);
  });

  it('counts a partition the group never committed from its oldest retained record', async () => {
    const { admin } = brokerAnswering(logs, { ranking: [{ partition: 0, offset: '-1' }] });

    expect(await consumerLagByPartition(admin, 'ranking', TOPIC)).toEqual([
      { partition: 0, lag: 10 },
      { partition: 1, lag: 7 },
    ]);
  });
});

describe('consumer_lag_records', () => {
  const committed = {
    ranking: [
      { partition: 0, offset: '8' },
      { partition: 1, offset: '12' },
    ],
    platform: [
      { partition: 0, offset: '10' },
      { partition: 1, offset: '6' },
    ],
  };
  const groups = [
    { groupId: 'ranking', topic: TOPIC },
    { groupId: 'platform', topic: TOPIC },
  ];

  function registered(broker: ReturnType<typeof brokerAnswering>, cacheMs = 0) {
    const registry = new Registry();
    const logger = new RecordingLogger();
    registerConsumerLagMetrics(registry, broker.admin, groups, logger, { cacheMs, timeoutMs: 1_000 });
    const lagOf = (group: string, partition: number) =>
      metricValue(registry, 'consumer_lag_records', { group, topic: TOPIC, partition: String(partition) });
    return { registry, logger, lagOf };
  }

  it('reports each group on each partition at scrape time', async () => {
    const { lagOf } = registered(brokerAnswering(logs, committed));

    expect(await lagOf('ranking', 0)).toBe(2);
    expect(await lagOf('ranking', 1)).toBe(0);
    expect(await lagOf('platform', 0)).toBe(0);
    expect(await lagOf('platform', 1)).toBe(6);
  });

  it('reports the groups the broker answered for, logs the others, and the scrape succeeds', async () => {
    const { registry, logger, lagOf } = registered(brokerAnswering(logs, committed, ['platform']));

    await expect(registry.metrics()).resolves.toContain('consumer_lag_records{group="ranking"');
    expect(await lagOf('ranking', 0)).toBe(2);
    expect(await lagOf('platform', 0)).toBeUndefined();
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        level: 'warn',
        fields: expect.objectContaining({ groupId: 'platform', topic: TOPIC }),
      }),
    );
  });

  it('gives up on a broker that does not answer within the timeout: the scrape still answers', async () => {
    const registry = new Registry();
    const silentBroker = {
      fetchTopicOffsets: () => new Promise(() => undefined),
      fetchOffsets: () => new Promise(() => undefined),
    } as unknown as Admin;
    registerConsumerLagMetrics(registry, silentBroker, groups, new RecordingLogger(), {
      cacheMs: 0,
      timeoutMs: 10,
    });

    const text = await registry.metrics();

    expect(text).toContain('# TYPE consumer_lag_records gauge');
    expect(text).not.toContain('consumer_lag_records{');
  });

  it('asks the broker at most once per cache window, however many scrapes come', async () => {
    const broker = brokerAnswering(logs, committed);
    const { registry } = registered(broker, 60_000);

    await registry.metrics();
    await registry.metrics();
    await registry.metrics();

    expect(broker.calls.fetchOffsets).toBe(groups.length);
  });
});
