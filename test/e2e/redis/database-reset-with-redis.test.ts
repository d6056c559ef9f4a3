import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { buildApp } from '../../../scripts/support/app-process.mjs';
import type { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import { describeWithRealServers, redisUrl } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';
import { temporaryFolder, type TemporaryFolder } from '../../support/test-database.js';

// A campaign that starts over in the database must start over in Redis too: a queue that still remembered
// its users would give them their old places, and outcomes for coupons that no longer exist.
describeWithRealServers('npm run db:reset with COUPON_QUEUE=redis', () => {
  const keyPrefix = scratchKeyPrefix();
  const otherPrefix = scratchKeyPrefix();
  let redis: RedisClient;
  let other: RedisClient;
  let folder: TemporaryFolder;

  beforeAll(async () => {
    buildApp();
    folder = temporaryFolder();
    redis = await connectRedis(keyPrefix);
    other = await connectRedis(otherPrefix);
  });
  afterAll(async () => {
    await other.deleteOwnKeys();
    await Promise.all([redis.close(), other.close()]);
    folder.remove();
  });

  it("deletes the service's keys under REDIS_KEY_PREFIX, and no one else's", async () => {
    await redis.commands.set(redis.key('coupon-requests', 'sequence'), '300');
    await redis.commands.hSet(redis.key('coupon-requests', 'by-user'), '2:17', 'a-request-id');
    await other.commands.set(other.key('kept'), 'yes');

    const output = execFileSync(process.execPath, ['dist/database-cli.js', 'reset'], {
      encoding: 'utf8',
      env: {
        ...process.env,
        SQLITE_FILE: folder.path('reset.sqlite'),
        COUPON_QUEUE: 'redis',
        REDIS_URL: redisUrl(),
        REDIS_KEY_PREFIX: keyPrefix,
      },
    });

    expect(output).toContain(`Deleted 2 keys under ${keyPrefix} in Redis`);
    expect(await redis.commands.exists([redis.key('coupon-requests', 'sequence')])).toBe(0);
    expect(await other.commands.get(other.key('kept'))).toBe('yes');
  });
});
