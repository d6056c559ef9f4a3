import { z } from 'zod';
import type { RedisConfig } from '../key-value/redis/redis-client.js';
import { DEFAULT_PUBLISH_LINGER_MS, type KafkaConfig } from '../messaging/kafka/kafka-client.js';
import type { LoggingConfig } from '../observability/pino-logger.js';
import type { DatabaseConfig } from '../persistence/mikro-orm/database.js';
import { StartupError, withoutPassword } from '../startup-error.js';

/** `sync` is the anti-pattern kept for the benchmark: see SynchronousKafkaGlobalEventPublisher. */
export const EVENT_PUBLISHERS = ['in-memory', 'kafka', 'outbox', 'sync'] as const;
export type EventPublisherType = (typeof EVENT_PUBLISHERS)[number];

/** Where GET /products/ranking reads from: a table in the database, or sorted sets in Redis (ADR 004). */
export const PRODUCT_RANKINGS = ['table', 'redis'] as const;
export type ProductRankingType = (typeof PRODUCT_RANKINGS)[number];
/**
 * Where a coupon request waits: `in-memory` (the embedded default, gone with the process) | `redis` | `direct`,
 * the "before" design the benchmark measures: no queue, the coupon issued inside the HTTP request under a
 * row lock.
 */
export const COUPON_QUEUES = ['in-memory', 'redis', 'direct'] as const;
export type CouponQueueType = (typeof COUPON_QUEUES)[number];

/** The waiting line of the coupon rush, and the scheduler that moves it onto the broker. */
export interface CouponQueueConfig {
  readonly type: CouponQueueType;
  /** How long the scheduler sleeps once the queue is empty. */
  readonly pollIntervalMs: number;
  /** The most requests one step takes and publishes. */
  readonly batchSize: number;
}

export interface OutboxConfig {
  readonly pollIntervalMs: number;
  readonly batchSize: number;
  readonly maxAttempts: number;
  readonly retentionMs: number;
}

/**
 * Where a fault-injection test may have the process kill itself (SIGKILL, no shutdown):
 * - `crash-after-commit`: right after an order commits, before its event is handed on;
 * - `crash-before-handling:<group>`: as a consumer of that group receives a record, before it applied it;
 * - `crash-after-handling:<group>`: right after a consumer of that group applied a record, before the
 *   record's offset is committed;
 * - `crash-after-taking-requests`: right after the coupon scheduler took requests from the queue, before
 *   it published them.
 */
export type Fault =
  | { readonly kind: 'crash-after-commit' | 'crash-after-taking-requests' }
  | { readonly kind: 'crash-before-handling' | 'crash-after-handling'; readonly groupId: string };

const HOUR_MS = 60 * 60 * 1000;

/** Where the HTTP API listens. Loopback by default: HOST=0.0.0.0 opens it to the network. */
export interface HttpConfig {
  readonly port: number;
  readonly host: string;
}

export interface Config {
  readonly http: HttpConfig;
  readonly database: DatabaseConfig;
  readonly eventPublisher: EventPublisherType;
  readonly kafka: KafkaConfig;
  /** How listener containers retry a failing consumer before dead-lettering the record. */
  readonly consumerRetry: { readonly maxAttempts: number; readonly initialBackoffMs: number };
  /** The outbox relay (EVENT_PUBLISHER=outbox). */
  readonly outbox: OutboxConfig;
  /** Connected only when an adapter chosen below uses Redis. */
  readonly redis: RedisConfig;
  readonly productRanking: ProductRankingType;
  readonly couponQueue: CouponQueueConfig;
  /** Test-only crash points (TEST_FAULT_INJECTION); empty in every real run. */
  readonly faults: readonly Fault[];
  readonly logging: LoggingConfig;
  /** Fill an empty database with demo products, users and coupons on start. */
  readonly seedDemoData: boolean;
}

/**
 * A whole number written in plain digits. `z.coerce.number()` would also take "0xF50", "3.92e3" and
 * " 3920 ", which no one means as a port or a count.
 */
function wholeNumber(min: number, max = Number.MAX_SAFE_INTEGER) {
  const range = max === Number.MAX_SAFE_INTEGER ? `of at least ${min}` : `from ${min} to ${max}`;
  const message = `must be a whole number ${range}, written in digits`;
  return z
    .string()
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message).max(max, message));
}

/** A decimal number written in plain digits, such as 24 or 0.5. */
function decimalNumber(min: number) {
  const message = 'must be a number written in digits, such as 24 or 0.5';
  return z
    .string()
    .regex(/^\d+(\.\d+)?$/, message)
    .transform(Number)
    .pipe(z.number().min(min, message));
}

const environmentSchema = z
  .object({
    // 0 asks the operating system for any free port.
    PORT: wholeNumber(0, 65_535).default(3000),
    HOST: z
      .union([z.ipv4(), z.ipv6(), z.hostname()], {
        error:
          'must be an IP address or a host name: 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)',
      })
      .default('127.0.0.1'),
    DB_DRIVER: z.enum(['sqlite', 'mysql']).default('sqlite'),
    SQLITE_FILE: z.string().min(1).default('var/order-service.sqlite'),
    DATABASE_URL: z
      .url({
        protocol: /^mysql$/,
        hostname: /^.+$/,
        error: 'must be a URL like mysql://user:password@host:3306/database',
      })
      .optional(),
    EVENT_PUBLISHER: z.enum(EVENT_PUBLISHERS).default('in-memory'),
    KAFKA_BROKERS: z
      .string()
      .default('localhost:9092')
      .transform((value) => value.split(',').map((broker) => broker.trim()))
      .pipe(z.array(z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port[,host:port…]'))),
    KAFKA_CLIENT_ID: z.string().min(1).default('order-service'),
    KAFKA_REPLICATION_FACTOR: wholeNumber(1).default(1),
    // 6 s is the broker's lower bound (group.min.session.timeout.ms). A shorter timeout notices a crashed
    // member sooner; a longer one forgives longer pauses.
    KAFKA_SESSION_TIMEOUT_MS: wholeNumber(6_000, 300_000).default(30_000),
    // At most 1 s: every publish() may wait this long before its request leaves.
    KAFKA_PUBLISH_LINGER_MS: wholeNumber(0, 1_000).default(DEFAULT_PUBLISH_LINGER_MS),
    // At most 10: the waits between attempts (up to 5 s each) must end well before the group's rebalance
    // timeout (60 s), or the group would evict the member that is still retrying.
    CONSUMER_MAX_ATTEMPTS: wholeNumber(1, 10).default(4),
    CONSUMER_BACKOFF_MS: wholeNumber(0).default(500),
    // The fallback: this instance's own commits nudge its relay at once (OutboxRelayNudge).
    OUTBOX_POLL_INTERVAL_MS: wholeNumber(10, 60_000).default(100),
    // A batch costs the relay a few database round trips and one request per partition whatever its size;
    // 500 shares them among 5× more rows than 100 did (docs/benchmarks.md). Larger means a longer claim
    // transaction, and more rows sent twice when a relay dies mid-send.
    OUTBOX_BATCH_SIZE: wholeNumber(1, 1_000).default(500),
    OUTBOX_MAX_ATTEMPTS: wholeNumber(1, 100).default(15),
    OUTBOX_RETENTION_HOURS: decimalNumber(0).default(24),
    REDIS_URL: z
      .url({
        protocol: /^rediss?$/,
        hostname: /^.+$/,
        error: 'must be a URL like redis://localhost:6379 (or rediss:// for TLS)',
      })
      .default('redis://localhost:6379'),
    REDIS_KEY_PREFIX: z
      .string()
      .regex(/^[\w.:-]+$/, 'must be letters, digits and . _ : - only, such as order-service:')
      .default('order-service:'),
    PRODUCT_RANKING: z.enum(PRODUCT_RANKINGS).default('table'),
    COUPON_QUEUE: z.enum(COUPON_QUEUES).default('in-memory'),
    COUPON_QUEUE_POLL_INTERVAL_MS: wholeNumber(10, 60_000).default(50),
    COUPON_QUEUE_BATCH_SIZE: wholeNumber(1, 1_000).default(100),
    TEST_FAULT_INJECTION: z
      .string()
      .optional()
      .transform((value) => (value ?? '').split(',').filter((fault) => fault.trim() !== ''))
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^(crash-after-commit|crash-after-taking-requests|crash-(before|after)-handling:[\w.-]+)$/,
              'must be crash-after-commit, crash-after-taking-requests, crash-before-handling:<consumer ' +
                'group> or crash-after-handling:<consumer group>, comma-separated',
            ),
        ),
      ),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    LOG_FORMAT: z.enum(['pretty', 'json']).optional(),
    SEED_DEMO_DATA: z.enum(['true', 'false']).default('true'),
  })
  .superRefine((env, context) => {
    if (env.DB_DRIVER === 'mysql' && env.DATABASE_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'is required when DB_DRIVER=mysql',
      });
    }
  });

export class ConfigError extends StartupError {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads and checks the environment once, at start-up. A bad value stops the service with a clear message. */
export function loadConfig(environment: NodeJS.ProcessEnv, isTerminal = false): Config {
  const given = withoutBlankValues(environment);
  const parsed = environmentSchema.safeParse(given);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const variable = String(issue.path[0]);
        const value = given[variable];
        return `${variable}: ${issue.message}${value === undefined ? '' : ` (got "${withoutPassword(value)}")`}`;
      }),
    );
  }
  const env = parsed.data;
  return {
    http: { port: env.PORT, host: env.HOST },
    database:
      env.DB_DRIVER === 'mysql'
        ? { driver: 'mysql', url: env.DATABASE_URL ?? '' }
        : { driver: 'sqlite', sqliteFile: env.SQLITE_FILE },
    eventPublisher: env.EVENT_PUBLISHER,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
      sessionTimeoutMs: env.KAFKA_SESSION_TIMEOUT_MS,
      publishLingerMs: env.KAFKA_PUBLISH_LINGER_MS,
    },
    consumerRetry: { maxAttempts: env.CONSUMER_MAX_ATTEMPTS, initialBackoffMs: env.CONSUMER_BACKOFF_MS },
    outbox: {
      pollIntervalMs: env.OUTBOX_POLL_INTERVAL_MS,
      batchSize: env.OUTBOX_BATCH_SIZE,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      retentionMs: env.OUTBOX_RETENTION_HOURS * HOUR_MS,
    },
    redis: { url: env.REDIS_URL, keyPrefix: env.REDIS_KEY_PREFIX },
    productRanking: env.PRODUCT_RANKING,
    couponQueue: {
      type: env.COUPON_QUEUE,
      pollIntervalMs: env.COUPON_QUEUE_POLL_INTERVAL_MS,
      batchSize: env.COUPON_QUEUE_BATCH_SIZE,
    },
    faults: env.TEST_FAULT_INJECTION.map((fault): Fault => {
      const [kind, groupId = ''] = fault.split(':');
      if (kind === 'crash-before-handling' || kind === 'crash-after-handling') return { kind, groupId };
      return { kind: kind === 'crash-after-taking-requests' ? kind : 'crash-after-commit' };
    }),
    logging: { level: env.LOG_LEVEL, format: env.LOG_FORMAT ?? (isTerminal ? 'pretty' : 'json') },
    seedDemoData: env.SEED_DEMO_DATA === 'true',
  };
}

/** `PORT=` (set, but empty) means "not set", as in most tools; it must not become port 0. */
function withoutBlankValues(environment: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(environment).filter((entry): entry is [string, string] => (entry[1] ?? '').trim() !== ''),
  );
}
