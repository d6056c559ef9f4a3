import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig } from '../../../src/infrastructure/config/config.js';

describe('loadConfig', () => {
  it('runs on the embedded defaults with an empty environment', () => {
    expect(loadConfig({})).toEqual({
      http: { port: 3000, host: '127.0.0.1' },
      database: { driver: 'sqlite', sqliteFile: 'var/order-service.sqlite' },
      eventPublisher: 'in-memory',
      kafka: {
        brokers: ['localhost:9092'],
        clientId: 'order-service',
        replicationFactor: 1,
        sessionTimeoutMs: 30_000,
        publishLingerMs: 0,
      },
      consumerRetry: { maxAttempts: 4, initialBackoffMs: 500 },
      outbox: { pollIntervalMs: 100, batchSize: 500, maxAttempts: 15, retentionMs: 24 * 60 * 60 * 1000 },
      redis: { url: 'redis://localhost:6379', keyPrefix: 'order-service:' },
      productRanking: 'table',
      couponQueue: { type: 'in-memory', pollIntervalMs: 50, batchSize: 100 },
      faults: [],
      logging: { level: 'info', format: 'json' },
      seedDemoData: true,
    });
  });

  it.each(['0xF50', '3.92e3', ' 3920 ', '3920.0', '+3920', '-1', '65536', '3000abc'])(
    'takes PORT only as a plain whole number from 0 to 65535, not %j',
    (port) => {
      expect(() => loadConfig({ PORT: port })).toThrow(
        `PORT: must be a whole number from 0 to 65535, written in digits (got "${port}")`,
      );
    },
  );

  it('reads PORT, and HOST to listen on other interfaces than loopback', () => {
    expect(loadConfig({ PORT: '3920', HOST: '0.0.0.0' }).http).toEqual({ port: 3920, host: '0.0.0.0' });
    expect(loadConfig({ HOST: '::1' }).http.host).toBe('::1');
    expect(loadConfig({ HOST: 'localhost' }).http.host).toBe('localhost');
  });

  it.each(['http://0.0.0.0', '0.0.0.0:3000', 'every interface'])('refuses HOST=%j', (host) => {
    expect(() => loadConfig({ HOST: host })).toThrow('HOST: must be an IP address or a host name');
  });

  it.each([
    ['KAFKA_REPLICATION_FACTOR', '0x3'],
    ['KAFKA_SESSION_TIMEOUT_MS', '3e4'],
    ['KAFKA_PUBLISH_LINGER_MS', '5ms'],
    ['CONSUMER_MAX_ATTEMPTS', ' 4'],
    ['CONSUMER_BACKOFF_MS', '500.0'],
    ['OUTBOX_POLL_INTERVAL_MS', '1e2'],
    ['OUTBOX_BATCH_SIZE', '0b11'],
    ['OUTBOX_MAX_ATTEMPTS', '15 '],
  ])('reads every other whole number as strictly as PORT: %s=%j', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(`${variable}: must be a whole number`);
  });

  it('reads KAFKA_PUBLISH_LINGER_MS up to 1 s, as every publish() may wait that long', () => {
    expect(loadConfig({ KAFKA_PUBLISH_LINGER_MS: '5' }).kafka.publishLingerMs).toBe(5);
    expect(() => loadConfig({ KAFKA_PUBLISH_LINGER_MS: '1001' })).toThrow(
      'KAFKA_PUBLISH_LINGER_MS: must be a whole number from 0 to 1000, written in digits (got "1001")',
    );
  });

  it('takes OUTBOX_RETENTION_HOURS as a plain decimal number only', () => {
    expect(loadConfig({ OUTBOX_RETENTION_HOURS: '1.5' }).outbox.retentionMs).toBe(90 * 60 * 1000);
    expect(() => loadConfig({ OUTBOX_RETENTION_HOURS: '1e1' })).toThrow(
      'OUTBOX_RETENTION_HOURS: must be a number written in digits, such as 24 or 0.5',
    );
  });

  it('reads MySQL settings', () => {
    const config = loadConfig({
      DB_DRIVER: 'mysql',
      DATABASE_URL: 'mysql://app:secret@localhost:3306/orders',
    });

    expect(config.database).toEqual({ driver: 'mysql', url: 'mysql://app:secret@localhost:3306/orders' });
  });

  it('names the variable, the allowed values and the bad value', () => {
    expect(() => loadConfig({ DB_DRIVER: 'postgres' })).toThrow(
      'DB_DRIVER: Invalid option: expected one of "sqlite"|"mysql" (got "postgres")',
    );
  });

  it('lists every problem at once', () => {
    const error = captureConfigError({
      PORT: 'eighty',
      EVENT_PUBLISHER: 'rabbit',
      KAFKA_BROKERS: 'localhost',
    });

    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'EVENT_PUBLISHER',
      'KAFKA_BROKERS',
    ]);
  });

  it('treats a variable set to nothing as not set', () => {
    expect(loadConfig({ PORT: '', DB_DRIVER: '  ' })).toMatchObject({
      http: { port: 3000 },
      database: { driver: 'sqlite' },
    });
  });

  it('never repeats a password from a bad DATABASE_URL', () => {
    const error = captureConfigError({
      DB_DRIVER: 'mysql',
      DATABASE_URL: 'postgres://app:s3cret@db:5432/orders',
    });

    expect(error.message).toContain('DATABASE_URL: must be a URL like mysql://');
    expect(error.message).toContain('postgres://app:***@db:5432/orders');
    expect(error.message).not.toContain('s3cret');
  });

  it('wants a host in DATABASE_URL', () => {
    expect(() => loadConfig({ DB_DRIVER: 'mysql', DATABASE_URL: 'mysql:nohost' })).toThrow(
      'DATABASE_URL: must be a URL',
    );
  });

  it('reads the Redis settings and the ranking adapter', () => {
    const config = loadConfig({
      REDIS_URL: 'redis://cache.internal:6380/2',
      REDIS_KEY_PREFIX: 'shop:',
      PRODUCT_RANKING: 'redis',
    });

    expect(config.redis).toEqual({ url: 'redis://cache.internal:6380/2', keyPrefix: 'shop:' });
    expect(config.productRanking).toBe('redis');
  });

  it('refuses a REDIS_URL that is not redis:// or rediss://, without repeating its password', () => {
    const error = captureConfigError({ REDIS_URL: 'http://user:s3cret@cache:6379' });

    expect(error.message).toContain('REDIS_URL: must be a URL like redis://localhost:6379');
    expect(error.message).not.toContain('s3cret');
  });

  it('refuses PRODUCT_RANKING other than table or redis, and a key prefix with spaces', () => {
    expect(() => loadConfig({ PRODUCT_RANKING: 'memcached' })).toThrow('PRODUCT_RANKING');
    expect(() => loadConfig({ REDIS_KEY_PREFIX: 'my app' })).toThrow('REDIS_KEY_PREFIX: must be letters');
  });

  it('requires DATABASE_URL for MySQL', () => {
    expect(() => loadConfig({ DB_DRIVER: 'mysql' })).toThrow(
      'DATABASE_URL: is required when DB_DRIVER=mysql',
    );
  });

  it('reads the Kafka settings: brokers, client id, replication factor', () => {
    const config = loadConfig({
      EVENT_PUBLISHER: 'kafka',
      KAFKA_BROKERS: 'localhost:29092, localhost:29093,localhost:29094',
      KAFKA_CLIENT_ID: 'orders-2',
      KAFKA_REPLICATION_FACTOR: '3',
    });

    expect(config.eventPublisher).toBe('kafka');
    expect(config.kafka).toEqual({
      brokers: ['localhost:29092', 'localhost:29093', 'localhost:29094'],
      clientId: 'orders-2',
      replicationFactor: 3,
      sessionTimeoutMs: 30_000,
      publishLingerMs: 0,
    });
  });

  it('reads the outbox relay settings', () => {
    const config = loadConfig({
      EVENT_PUBLISHER: 'outbox',
      OUTBOX_POLL_INTERVAL_MS: '250',
      OUTBOX_BATCH_SIZE: '500',
      OUTBOX_MAX_ATTEMPTS: '3',
      OUTBOX_RETENTION_HOURS: '0.5',
    });

    expect(config.eventPublisher).toBe('outbox');
    expect(config.outbox).toEqual({
      pollIntervalMs: 250,
      batchSize: 500,
      maxAttempts: 3,
      retentionMs: 30 * 60 * 1000,
    });
  });

  it('refuses an outbox batch too big to claim in one query', () => {
    expect(() => loadConfig({ OUTBOX_BATCH_SIZE: '100000' })).toThrow('OUTBOX_BATCH_SIZE');
  });

  it('reads the coupon queue and its scheduler, and refuses a queue it does not know', () => {
    expect(
      loadConfig({
        COUPON_QUEUE: 'redis',
        COUPON_QUEUE_POLL_INTERVAL_MS: '20',
        COUPON_QUEUE_BATCH_SIZE: '500',
      }).couponQueue,
    ).toEqual({ type: 'redis', pollIntervalMs: 20, batchSize: 500 });
    expect(loadConfig({ COUPON_QUEUE: 'direct' }).couponQueue.type).toBe('direct');
    expect(() => loadConfig({ COUPON_QUEUE: 'kafka' })).toThrow('COUPON_QUEUE');
    expect(() => loadConfig({ COUPON_QUEUE_BATCH_SIZE: '0' })).toThrow('COUPON_QUEUE_BATCH_SIZE');
  });

  it('reads the test-only crash points, and refuses one it does not know', () => {
    expect(
      loadConfig({
        TEST_FAULT_INJECTION:
          'crash-after-commit,crash-before-handling:data-platform,crash-after-handling:product-ranking,' +
          'crash-after-taking-requests',
      }).faults,
    ).toEqual([
      { kind: 'crash-after-commit' },
      { kind: 'crash-before-handling', groupId: 'data-platform' },
      { kind: 'crash-after-handling', groupId: 'product-ranking' },
      { kind: 'crash-after-taking-requests' },
    ]);
    expect(() => loadConfig({ TEST_FAULT_INJECTION: 'crash-sometimes' })).toThrow(
      'TEST_FAULT_INJECTION: must be crash-after-commit, crash-after-taking-requests, crash-before-handling:',
    );
  });

  it('accepts .env.example as it stands, and it spells out the defaults', () => {
    const example = readFileSync(join(import.meta.dirname, '../../../.env.example'), 'utf8');
    const variables = Object.fromEntries(
      example
        .split('\n')
        .filter((line) => /^[A-Z_]+=/.test(line))
        .map((line) => line.split('=', 2) as [string, string]),
    );

    expect(Object.keys(variables).length).toBeGreaterThan(5);
    expect(loadConfig(variables)).toEqual(loadConfig({}));
  });

  it('logs pretty on a terminal and JSON elsewhere, unless told', () => {
    expect(loadConfig({}, true).logging.format).toBe('pretty');
    expect(loadConfig({ LOG_FORMAT: 'json' }, true).logging.format).toBe('json');
  });
});

function captureConfigError(environment: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
