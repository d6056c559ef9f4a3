import { randomUUID } from 'node:crypto';
import { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import { RecordingLogger } from '../fakes/recording-logger.js';
import { redisUrl } from './real-servers.js';

/**
 * A key prefix of its own for one test file on the shared Redis, like the scratch databases on MySQL:
 * test files (and other people's runs) never see each other's keys.
 */
export function scratchKeyPrefix(): string {
  return `test:${randomUUID().slice(0, 8)}:`;
}

/** A connected client on the Redis global-setup found, writing under `keyPrefix`. */
export async function connectRedis(keyPrefix: string): Promise<RedisClient> {
  const client = new RedisClient({ url: redisUrl(), keyPrefix }, new RecordingLogger());
  await client.connect();
  return client;
}
