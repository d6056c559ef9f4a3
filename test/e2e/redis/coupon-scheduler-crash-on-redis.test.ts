import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { buildApp, startAppProcess } from '../../../scripts/support/app-process.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import type { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import { RedisIssueRequestQueue } from '../../../src/infrastructure/key-value/redis/redis-issue-request-queue.js';
import { RedisIssueRequestStatuses } from '../../../src/infrastructure/key-value/redis/redis-issue-request-statuses.js';
import { demoCouponCampaigns } from '../../../src/infrastructure/persistence/mikro-orm/demo-data.js';
import { describeWithRealServers, redisUrl } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';
import { temporaryFolder, type TemporaryFolder } from '../../support/test-database.js';

const REQUESTS = 20;
const BATCH_SIZE = 5;
const campaignId = demoCouponCampaigns.find((campaign) => campaign.quantity === 50)!.id;

// The issue's "what can be lost": the scheduler took requests from the queue and the process died before
// it published them. On Redis they wait in the in-flight list, and the next start publishes them.
describeWithRealServers('the coupon scheduler SIGKILLed between taking and publishing (Redis queue)', () => {
  const keyPrefix = scratchKeyPrefix();
  let redis: RedisClient;
  let folder: TemporaryFolder;

  beforeAll(async () => {
    buildApp();
    redis = await connectRedis(keyPrefix);
    folder = temporaryFolder();
  });
  afterAll(async () => {
    await redis.deleteOwnKeys();
    await redis.close();
    folder.remove();
  });

  /** The built app in a process of its own (a SIGKILL ends it, not Jest), on one SQLite file both runs share. */
  const start = (extra: Record<string, string> = {}) =>
    startAppProcess({
      environment: {
        SQLITE_FILE: folder.path('orders.sqlite'),
        EVENT_PUBLISHER: 'in-memory',
        COUPON_QUEUE: 'redis',
        COUPON_QUEUE_BATCH_SIZE: String(BATCH_SIZE),
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: keyPrefix,
        ...extra,
      },
    });

  it('loses no request: the next start publishes what was in flight, and every user gets a coupon', async () => {
    const crashing = await start({ TEST_FAULT_INJECTION: 'crash-after-taking-requests' });
    const queue = new RedisIssueRequestQueue(redis);
    const requestIds = Array.from({ length: REQUESTS }, () => randomUUID());
    for (const [index, requestId] of requestIds.entries())
      await queue.enqueue(campaignId, index + 1, requestId);

    expect(await crashing.exited).toEqual({ code: null, signal: 'SIGKILL' });
    expect((await queue.inFlight()).map((request) => request.requestId)).toEqual(
      requestIds.slice(0, BATCH_SIZE),
    );
    expect(await queue.waitingCount()).toBe(REQUESTS - BATCH_SIZE);

    const restarted = await start();
    try {
      const statuses = new RedisIssueRequestStatuses(redis);
      const outcomes = await waitFor(
        'every request issued',
        async () => {
          const all = await Promise.all(requestIds.map((requestId) => statuses.outcomeOf(requestId)));
          return all.every((outcome) => outcome !== null) ? all : undefined;
        },
        { timeoutMs: 30_000 },
      );
      expect(outcomes.every((outcome) => outcome?.status === 'ISSUED')).toBe(true);
      expect(
        restarted.hasLogged('issue requests left in flight (taken, never acknowledged) published again'),
      ).toBe(true);
      expect(await queue.inFlight()).toEqual([]);
    } finally {
      await restarted.stop();
    }
  });
});
