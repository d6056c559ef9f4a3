import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import { RedisIssueRequestQueue } from '../../../src/infrastructure/key-value/redis/redis-issue-request-queue.js';
import { RedisIssueRequestStatuses } from '../../../src/infrastructure/key-value/redis/redis-issue-request-statuses.js';
import { itBehavesLikeAnIssueRequestQueue } from '../../support/contracts/issue-request-queue-contract.js';
import { itBehavesLikeIssueRequestStatuses } from '../../support/contracts/issue-request-statuses-contract.js';
import { describeWithRealServers } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';

const range = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

describeWithRealServers("The Redis adapters of the coupon queue, held to the ports' contracts", () => {
  let redis: RedisClient;
  let keyPrefix: string;

  beforeAll(async () => {
    keyPrefix = scratchKeyPrefix();
    redis = await connectRedis(keyPrefix);
  });
  afterAll(async () => {
    await redis.deleteOwnKeys();
    await redis.close();
  });

  itBehavesLikeAnIssueRequestQueue(async () => {
    await redis.deleteOwnKeys();
    return new RedisIssueRequestQueue(redis);
  });
  itBehavesLikeIssueRequestStatuses(async () => {
    await redis.deleteOwnKeys();
    return new RedisIssueRequestStatuses(redis);
  });
});

describeWithRealServers('RedisIssueRequestQueue on a real Redis', () => {
  let redis: RedisClient;
  let keyPrefix: string;
  let queue: RedisIssueRequestQueue;

  beforeAll(async () => {
    keyPrefix = scratchKeyPrefix();
    redis = await connectRedis(keyPrefix);
  });
  afterAll(async () => {
    await redis.deleteOwnKeys();
    await redis.close();
  });
  beforeEach(() => {
    queue = new RedisIssueRequestQueue(redis);
  });
  afterEach(() => redis.deleteOwnKeys());

  it('gives 1,000 concurrent requests of distinct users the positions 1 to 1,000, each once', async () => {
    const enqueued = await Promise.all(range(1_000).map((userId) => queue.enqueue(7, userId, randomUUID())));

    const positions = enqueued.map(({ request }) => request.position).sort((a, b) => a - b);
    expect(positions).toEqual(range(1_000));
    expect(enqueued.every(({ alreadyQueued }) => !alreadyQueued)).toBe(true);
    expect(await queue.waitingCount()).toBe(1_000);
  });

  it('queues one request for 50 concurrent requests of one user, and answers each with it', async () => {
    const enqueued = await Promise.all(range(50).map(() => queue.enqueue(7, 42, randomUUID())));

    const requestIds = new Set(enqueued.map(({ request }) => request.requestId));
    expect(requestIds.size).toBe(1);
    expect(enqueued.filter(({ alreadyQueued }) => !alreadyQueued)).toHaveLength(1);
    expect(await queue.waitingCount()).toBe(1);
  });

  it('numbers each campaign from 1, and stamps requests with the time Redis keeps', async () => {
    const before = Date.now();
    const first = await queue.enqueue(1, 10, 'request-a');
    const second = await queue.enqueue(2, 10, 'request-b');
    const third = await queue.enqueue(1, 11, 'request-c');

    expect([first, second, third].map(({ request }) => request.position)).toEqual([1, 1, 2]);
    // Redis and this process run on one machine here: the two clocks agree to well within a second.
    expect(Math.abs(first.request.requestedAt.getTime() - before)).toBeLessThan(1_000);
    expect(await queue.find('request-c')).toEqual(third.request);
    expect(await queue.find('no-such-request')).toBeNull();
  });

  it('hands requests on oldest first, across campaigns, and never the same one to two schedulers', async () => {
    for (const userId of range(100)) await queue.enqueue(userId % 3, userId, `request-${userId}`);
    const other = await connectRedis(keyPrefix);
    const otherScheduler = new RedisIssueRequestQueue(other);

    const takes = await Promise.all(
      range(10).map((take) => (take % 2 === 0 ? queue : otherScheduler).takeNext(15)),
    ).finally(() => other.close());

    const taken = takes.flat().map((request) => request.requestId);
    expect(taken).toHaveLength(100);
    expect(new Set(taken).size).toBe(100);
    for (const take of takes) {
      const userIds = take.map((request) => request.userId);
      expect(userIds).toEqual([...userIds].sort((a, b) => a - b));
    }
    expect(await queue.waitingCount()).toBe(0);
  });

  it('keeps taken requests in flight until acknowledged, across a new client (a restart)', async () => {
    for (const userId of range(5)) await queue.enqueue(7, userId, `request-${userId}`);
    await queue.takeNext(3);
    await queue.acknowledge(['request-2']);

    const restarted = await connectRedis(keyPrefix);
    try {
      const afterRestart = new RedisIssueRequestQueue(restarted);
      expect((await afterRestart.inFlight()).map((request) => request.requestId)).toEqual([
        'request-1',
        'request-3',
      ]);
      expect(await afterRestart.waitingCount()).toBe(2);
      expect(await afterRestart.find('request-2')).toMatchObject({ userId: 2, position: 2 });
    } finally {
      await restarted.close();
    }
  });

  it('re-sends a script the server has forgotten (SCRIPT FLUSH, or a restarted Redis)', async () => {
    await redis.commands.scriptFlush();

    const { request } = await queue.enqueue(7, 1, 'request-1');

    expect(request.position).toBe(1);
  });
});

describeWithRealServers('RedisIssueRequestStatuses on a real Redis', () => {
  let redis: RedisClient;
  let keyPrefix: string;

  beforeAll(async () => {
    keyPrefix = scratchKeyPrefix();
    redis = await connectRedis(keyPrefix);
  });
  afterAll(async () => {
    await redis.deleteOwnKeys();
    await redis.close();
  });

  it('keeps the outcome of each request, and a second identical record changes nothing', async () => {
    const statuses = new RedisIssueRequestStatuses(redis);

    await statuses.record('request-1', { status: 'ISSUED', couponId: 31 });
    await statuses.record('request-1', { status: 'ISSUED', couponId: 31 });
    await statuses.record('request-2', { status: 'SOLD_OUT' });

    expect(await statuses.outcomeOf('request-1')).toEqual({ status: 'ISSUED', couponId: 31 });
    expect(await statuses.outcomeOf('request-2')).toEqual({ status: 'SOLD_OUT' });
    expect(await statuses.outcomeOf('request-3')).toBeNull();
    expect(await redis.commands.hLen(redis.key('coupon-requests', 'outcomes'))).toBe(2);
  });
});
