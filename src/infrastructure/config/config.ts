import { z } from 'zod';
import type { KafkaConfig } from '../messaging/kafka/kafka-client.js';
import type { LoggingConfig } from '../observability/pino-logger.js';
import type { DatabaseConfig } from '../persistence/mikro-orm/database.js';
import { StartupError } from '../startup-error.js';

export type EventPublisherType = 'in-memory' | 'kafka' | 'outbox';

export interface Config {
  readonly port: number;
  readonly database: DatabaseConfig;
  readonly eventPublisher: EventPublisherType;
  readonly kafka: KafkaConfig;
  /** How listener containers retry a failing consumer before dead-lettering the record. */
  readonly consumerRetry: { readonly maxAttempts: number; readonly initialBackoffMs: number };
  readonly logging: LoggingConfig;
  /** Fill an empty database with demo products, users and coupons on start. */
  readonly seedDemoData: boolean;
}

const environmentSchema = z
  .object({
    PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
    DB_DRIVER: z.enum(['sqlite', 'mysql']).default('sqlite'),
    SQLITE_FILE: z.string().min(1).default('var/order-service.sqlite'),
    DATABASE_URL: z
      .url({
        protocol: /^mysql$/,
        hostname: /^.+$/,
        error: 'must be a URL like mysql://user:password@host:3306/database',
      })
      .optional(),
    EVENT_PUBLISHER: z.enum(['in-memory', 'kafka', 'outbox']).default('in-memory'),
    KAFKA_BROKERS: z
      .string()
      .default('localhost:9092')
      .transform((value) => value.split(',').map((broker) => broker.trim()))
      .pipe(z.array(z.string().regex(/^[\w.-]+:\d+$/, 'must be host:port[,host:port…]'))),
    KAFKA_CLIENT_ID: z.string().min(1).default('order-service'),
    KAFKA_REPLICATION_FACTOR: z.coerce.number().int().min(1).default(1),
    // At most 10: the waits between attempts (up to 5 s each) must end well before the group's rebalance
    // timeout (60 s), or the group would evict the member that is still retrying.
    CONSUMER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
    CONSUMER_BACKOFF_MS: z.coerce.number().int().min(0).default(500),
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

/** Publishers that later chapters of the template add; choosing one before it exists is an error. */
const notYetAvailable: Partial<Record<EventPublisherType, string>> = {
  outbox: 'the transactional outbox adapter is not part of this version yet',
};

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
  const unavailable = notYetAvailable[env.EVENT_PUBLISHER];
  if (unavailable !== undefined) {
    throw new ConfigError([
      `EVENT_PUBLISHER: "${env.EVENT_PUBLISHER}" is not available: ${unavailable}; use in-memory or kafka`,
    ]);
  }
  return {
    port: env.PORT,
    database:
      env.DB_DRIVER === 'mysql'
        ? { driver: 'mysql', url: env.DATABASE_URL ?? '' }
        : { driver: 'sqlite', sqliteFile: env.SQLITE_FILE },
    eventPublisher: env.EVENT_PUBLISHER,
    kafka: {
      brokers: env.KAFKA_BROKERS,
      clientId: env.KAFKA_CLIENT_ID,
      replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    },
    consumerRetry: { maxAttempts: env.CONSUMER_MAX_ATTEMPTS, initialBackoffMs: env.CONSUMER_BACKOFF_MS },
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

/** Error messages end up in logs: never repeat a password from a connection URL. */
function withoutPassword(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
