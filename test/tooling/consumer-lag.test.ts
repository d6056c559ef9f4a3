import { describe, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import { settledLags, consumerLag as toolingLag } from '../../scripts/support/kafka-offsets.mjs';
import { consumerLag as appLag } from '../../src/infrastructure/messaging/kafka/consumer-lag.js';

// The tools (demos, smoke tests, checkers) read lag from outside the app with their own plain-JS
// helper; it must agree with the app's /health. The same broker answers, given to both.
function brokerAnswering(
  logEnds: { partition: number; low: string; high: string }[],
  committed: { partition: number; offset: string }[],
): Admin {
  return {
    fetchTopicOffsets: async () => logEnds.map((end) => ({ ...end, offset: end.high })),
    fetchOffsets: async () => [{ topic: 'orders', partitions: committed }],
  } as unknown as Admin;
}

describe('consumer lag: scripts/support/kafka-offsets.mjs and the app agree', () => {
  const cases = {
    'every partition committed': brokerAnswering(
      [
        { partition: 0, low: '0', high: '10' },
        { partition: 1, low: '0', high: '4' },
      ],
      [
        { partition: 0, offset: '7' },
        { partition: 1, offset: '4' },
      ],
    ),
    'a partition never committed counts from its oldest retained record': brokerAnswering(
      [
        { partition: 0, low: '5', high: '12' },
        { partition: 1, low: '0', high: '3' },
      ],
      [
        { partition: 0, offset: '-1' },
        { partition: 1, offset: '1' },
      ],
    ),
  };

  it.each(Object.entries(cases))('%s', async (_, admin) => {
    const tooling = await toolingLag(admin, 'group', 'orders');
    expect(tooling.total).toBe(await appLag(admin, 'group', 'orders'));
    expect(tooling.total).toBeGreaterThan(0);
  });

  it('reports each partition', async () => {
    const { partitions } = await toolingLag(
      cases['a partition never committed counts from its oldest retained record'],
      'group',
      'orders',
    );
    expect(partitions).toEqual([
      { partition: 0, logStart: 5, committed: -1, logEnd: 12, lag: 7 },
      { partition: 1, logStart: 0, committed: 1, logEnd: 3, lag: 2 },
    ]);
  });
});

describe('settledLags', () => {
  /** A broker where the group commits one more record of partition 0's 3 at each look. */
  function brokerCatchingUp(): Admin {
    let committed = 0;
    return {
      fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: '3', offset: '3' }],
      fetchOffsets: async () => [
        { topic: 'orders', partitions: [{ partition: 0, offset: String(committed++) }] },
      ],
    } as unknown as Admin;
  }

  it('waits until every group is at lag 0', async () => {
    const lags = await settledLags(brokerCatchingUp(), ['group'], 'orders', { timeoutMs: 5_000 });

    expect(lags.map(({ group, total }) => ({ group, total }))).toEqual([{ group: 'group', total: 0 }]);
  });

  it('gives the lag as it stands when the time is up, for the caller to report', async () => {
    const stuck = brokerAnswering([{ partition: 0, low: '0', high: '5' }], [{ partition: 0, offset: '2' }]);

    const lags = await settledLags(stuck, ['group'], 'orders', { timeoutMs: 0 });

    expect(lags.map(({ total }) => total)).toEqual([3]);
  });
});
