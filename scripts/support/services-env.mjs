// What `npm run services:start` wrote down in var/services/services.env: the addresses of the Kafka broker,
// the MySQL server, the Redis and the Zipkin it runs, so the tooling finds them without being told.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVICES_ENV_FILE = join(import.meta.dirname, '../../var/services/services.env');

/** Its variables (`KAFKA_BROKERS`, `DATABASE_URL`, `REDIS_URL`), or none when services:start has not run here. */
export function servicesEnv() {
  if (!existsSync(SERVICES_ENV_FILE)) return {};
  return Object.fromEntries(
    readFileSync(SERVICES_ENV_FILE, 'utf8')
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1).trim()]),
  );
}

/** $KAFKA_BROKERS, else the broker `npm run services:start` runs, else Kafka's default port. */
export function kafkaBrokers() {
  return process.env.KAFKA_BROKERS || servicesEnv().KAFKA_BROKERS || 'localhost:9092';
}

/** $REDIS_URL, else the Redis `npm run services:start` runs, else Redis's default port. */
export function redisUrl() {
  return process.env.REDIS_URL || servicesEnv().REDIS_URL || 'redis://localhost:6379';
}

/** $ZIPKIN_URL, else the Zipkin `npm run services:start` runs, else Zipkin's default port. */
export function zipkinUrl() {
  return process.env.ZIPKIN_URL || servicesEnv().ZIPKIN_URL || 'http://localhost:9411';
}

/**
 * Takes KAFKA_BROKERS, DATABASE_URL and REDIS_URL from var/services/services.env where this process's
 * environment lacks them, and puts them in `process.env`, so the app and the Kafka tools it starts get
 * them too. Returns the names neither place has (empty: every server is known).
 */
export function useServicesEnv(written = servicesEnv()) {
  const missing = [];
  for (const name of ['KAFKA_BROKERS', 'DATABASE_URL', 'REDIS_URL']) {
    if (!process.env[name] && written[name]) process.env[name] = written[name];
    if (!process.env[name]) missing.push(name);
  }
  return missing;
}

/** `url` with its password replaced by `***`, for a line a learner reads (or a CI log keeps). */
export function withoutPassword(url) {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
