import 'reflect-metadata';
import { loadConfig, type Config } from './infrastructure/config/config.js';
import { usesRedis } from './infrastructure/di/container.js';
import { RedisClient } from './infrastructure/key-value/redis/redis-client.js';
import { createLogger } from './infrastructure/observability/pino-logger.js';
import { AsyncLocalStorageRequestContext } from './infrastructure/observability/async-local-storage-request-context.js';
import { resetDatabase } from './infrastructure/persistence/mikro-orm/database-admin.js';
import { StartupError } from './infrastructure/startup-error.js';

// Starts the database the service uses (same DB_DRIVER, SQLITE_FILE, DATABASE_URL…) over, with the demo data:
//   npm run db:reset              the SQLite file
//   npm run db:reset -- --yes     a MySQL database too (it asks for --yes first)
// With COUPON_QUEUE=redis or PRODUCT_RANKING=redis it also deletes the service's keys in Redis (those under
// REDIS_KEY_PREFIX): the coupon queue there would otherwise remember requests for campaigns that start over.
// Stop the service first: it keeps the database open.
const USAGE = 'usage: npm run db:reset [-- --yes]';

async function main(command: string | undefined, flags: string[]): Promise<void> {
  if (command !== 'reset' || flags.some((flag) => flag !== '--yes')) throw new StartupError(USAGE);
  const config = loadConfig(process.env);
  const report = await resetDatabase(config.database, { confirmed: flags.includes('--yes') });
  console.log(`Reset ${report.database}`);
  console.log(`  dropped its tables, applied ${report.appliedMigrations.length} migrations`);
  console.log(`  seeded the demo data: ${report.seeded}`);
  if (usesRedis(config)) {
    const deleted = await deleteRedisKeys(config);
    console.log(
      `Deleted ${deleted} keys under ${config.redis.keyPrefix} in Redis (the coupon queue, the ranking)`,
    );
  }
}

async function deleteRedisKeys(config: Config): Promise<number> {
  const logger = createLogger({ level: 'warn', format: 'json' }, new AsyncLocalStorageRequestContext());
  const redis = new RedisClient(config.redis, logger);
  await redis.connect();
  try {
    return await redis.deleteOwnKeys();
  } finally {
    await redis.close();
  }
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(error instanceof StartupError ? error.message : error);
  process.exit(1);
});
