import { randomBytes } from 'node:crypto';
import { createClient } from '@redis/client';

/**
 * A key prefix of the benchmark's own on the Redis of REDIS_URL, so a run never meets another's queue (or
 * a learner's) on a shared server. `environment` gives it to the app; `drop()` deletes its keys.
 */
export async function createScratchRedisPrefix(purpose, url = process.env.REDIS_URL) {
  if (!url) throw new Error('REDIS_URL is not set: the coupon rush needs a Redis server');
  const keyPrefix = `${purpose}-${randomBytes(4).toString('hex')}:`;
  return {
    keyPrefix,
    environment: { REDIS_URL: url, REDIS_KEY_PREFIX: keyPrefix },
    drop: async () => {
      const client = await createClient({ url }).connect();
      try {
        for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1_000 })) {
          if (keys.length > 0) await client.del(keys);
        }
      } finally {
        await client.close();
      }
    },
  };
}

/** The server's version, for the page's list of what the figures came from. */
export async function redisVersion(url = process.env.REDIS_URL) {
  const client = await createClient({ url }).connect();
  try {
    return /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
  } finally {
    await client.close();
  }
}
