import { createClient, ErrorReply, type RedisClientType } from '@redis/client';
import { createHash } from 'node:crypto';
import type { Logger } from '../../../application/shared/logger.js';
import { StartupError, withoutPassword } from '../../startup-error.js';

export interface RedisConfig {
  /** `redis://host:port[/db]`: REDIS_URL. */
  readonly url: string;
  /** Put before every key this service writes, so several apps (or tests) can share one Redis. */
  readonly keyPrefix: string;
}

/** A Lua script, sent once by its SHA1 (EVALSHA) and in full only when the server does not know it yet. */
export class LuaScript {
  readonly sha1: string;

  constructor(
    readonly name: string,
    readonly source: string,
  ) {
    this.sha1 = createHash('sha1').update(source).digest('hex');
  }
}

const CONNECT_TIMEOUT_MS = 3_000;
const MAX_RECONNECT_DELAY_MS = 2_000;

/**
 * The one Redis connection the service shares (node-redis pipelines concurrent commands over it). It is
 * connected at start-up, before anything reads or writes, and closed at shutdown, after the consumers stop.
 */
export class RedisClient {
  readonly commands: RedisClientType;
  #everConnected = false;

  constructor(
    readonly config: RedisConfig,
    private readonly logger: Logger,
  ) {
    this.commands = createClient({
      url: config.url,
      socket: {
        connectTimeout: CONNECT_TIMEOUT_MS,
        // At start-up, give up at once: the service should not start without its Redis. Once it ran, a lost
        // connection is retried (commands wait in the client's queue meanwhile). The error is made here
        // because node-redis checks `instanceof Error`, which a socket's error fails under Jest's sandbox.
        reconnectStrategy: (retries, cause) =>
          this.#everConnected
            ? Math.min(100 * 2 ** retries, MAX_RECONNECT_DELAY_MS)
            : new Error(cause.message, { cause }),
      },
    });
    // Without a listener, node-redis would throw the connection's errors out of the process.
    this.commands.on('error', (error: Error) => {
      if (this.#everConnected) this.logger.warn({ error: error.message }, 'redis connection error');
    });
    this.commands.on('reconnecting', () => this.logger.info({}, 'redis reconnecting'));
  }

  /** The key `parts` name for this service: `<prefix><part>:<part>…`. */
  key(...parts: readonly (string | number)[]): string {
    return `${this.config.keyPrefix}${parts.join(':')}`;
  }

  async connect(): Promise<void> {
    try {
      await this.commands.connect();
    } catch (error) {
      throw new StartupError(
        `Redis did not answer at REDIS_URL=${withoutPassword(this.config.url)} (${(error as Error).message}). ` +
          'Start one with `npm run services:start redis` (or `docker compose up -d redis`), ' +
          'or point REDIS_URL at yours.',
        { cause: error },
      );
    }
    this.#everConnected = true;
    this.logger.info({ url: withoutPassword(this.config.url) }, 'redis connected');
  }

  /** Runs `script` atomically: Redis runs nothing else while a script runs. */
  async run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    const options = { keys: [...keys], arguments: args.map(String) };
    try {
      return await this.commands.evalSha(script.sha1, options);
    } catch (error) {
      // A server that restarted (or never saw it) has no cached copy: send the script itself once.
      if (!(error instanceof ErrorReply && error.message.startsWith('NOSCRIPT'))) throw error;
      return this.commands.eval(script.source, options);
    }
  }

  /**
   * Deletes every key under this service's prefix (SCAN, never KEYS, which would block a busy server) and
   * resolves how many there were. For `npm run db:reset` and tests; the service itself never calls it.
   */
  async deleteOwnKeys(): Promise<number> {
    let deleted = 0;
    for await (const keys of this.commands.scanIterator({ MATCH: `${this.config.keyPrefix}*`, COUNT: 500 })) {
      if (keys.length > 0) deleted += await this.commands.unlink(keys);
    }
    return deleted;
  }

  /** Round-trip time of a PING, for /health. */
  async ping(): Promise<number> {
    const startedAt = performance.now();
    await this.commands.ping();
    return Math.round(performance.now() - startedAt);
  }

  get isReady(): boolean {
    return this.commands.isReady;
  }

  /** Waits for the replies of commands already sent, then closes the connection. */
  async close(): Promise<void> {
    if (this.commands.isOpen) await this.commands.close();
  }
}
