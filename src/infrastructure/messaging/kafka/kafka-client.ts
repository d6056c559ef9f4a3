import { connect } from 'node:net';
import {
  Kafka,
  Partitioners,
  type Admin,
  type Consumer,
  type ISocketFactory,
  type Message,
  type Producer,
} from 'kafkajs';
import type { Logger } from '../../../application/shared/logger.js';
import { kafkaJsLogCreator } from './kafkajs-log-creator.js';

/**
 * KAFKA_PUBLISH_LINGER_MS's default. Measured with bench/publisher-throughput.mjs (chapter 04): waiting
 * longer only adds latency, as the one request in flight already lets the next batch fill up.
 */
export const DEFAULT_PUBLISH_LINGER_MS = 0;

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** For the topics this service creates: 1 on a single broker, 3 on the three-broker cluster. */
  readonly replicationFactor: number;
  /** How long the group waits for a silent member before it hands the member's partitions to others. */
  readonly sessionTimeoutMs: number;
  /** How long `publish()` waits for other publishes to share its request (KAFKA_PUBLISH_LINGER_MS). */
  readonly publishLingerMs?: number;
}

/**
 * The kafkajs clients the service shares: one producer (events and dead letters), one admin client, and
 * a factory for consumers, one per consumer group.
 */
export class KafkaClient {
  readonly producer: Producer;
  readonly admin: Admin;
  readonly #kafka: Kafka;
  // Where the partitioner put each record of the requests in flight: kafkajs returns only one base
  // offset per partition, so the publisher needs this to tell each record its own offset.
  readonly #partitionOf = new WeakMap<Message, number>();

  constructor(
    readonly config: KafkaConfig,
    logger: Logger,
  ) {
    this.#kafka = new Kafka({
      clientId: config.clientId,
      brokers: [...config.brokers],
      connectionTimeout: 3_000,
      retry: { initialRetryTime: 300, retries: 5 },
      logCreator: kafkaJsLogCreator(logger),
      socketFactory: socketWithoutNagle,
    });
    this.producer = this.#kafka.producer({
      // Java's partitioner (murmur2 of the key, modulo the partition count), set explicitly: every client,
      // in any language, then puts one order's events in the same partition.
      createPartitioner: () => {
        const partitionOf = Partitioners.DefaultPartitioner();
        return (args) => {
          const partition = partitionOf(args);
          this.#partitionOf.set(args.message, partition);
          return partition;
        };
      },
      // The broker drops a retried batch it already wrote, so a retry cannot duplicate or reorder records.
      idempotent: true,
      maxInFlightRequests: 1,
      // Bounded (4 retries, a few seconds with the broker gone), unlike kafkajs's default for idempotent
      // producers (forever): a send must end, as a success or a counted failure, within the 10 s a
      // graceful shutdown waits for it.
      retry: { initialRetryTime: 500, maxRetryTime: 3_000, retries: 4 },
    });
    this.admin = this.#kafka.admin();
  }

  /** The partition the producer chose for `message` when it last sent it. */
  partitionOf(message: Message): number | undefined {
    return this.#partitionOf.get(message);
  }

  get brokers(): string {
    return this.config.brokers.join(',');
  }

  /**
   * A consumer in `groupId`. After a crash (the broker went away, say) kafkajs restarts it, unless
   * `shouldRestart` says the consumer is being stopped anyway.
   */
  consumer(groupId: string, shouldRestart: () => boolean): Consumer {
    return this.#kafka.consumer({
      groupId,
      allowAutoTopicCreation: false,
      sessionTimeout: this.config.sessionTimeoutMs,
      // Kafka's rule of thumb: at least three heartbeats per session timeout.
      heartbeatInterval: Math.min(3_000, Math.floor(this.config.sessionTimeoutMs / 3)),
      // How long the broker holds a fetch while there is nothing to read: Java's fetch.max.wait.ms (500 ms),
      // not kafkajs's 5 s. A stopping consumer waits for its fetch in flight before it leaves the group, so
      // this bounds every graceful stop; a record that arrives meanwhile is answered at once either way.
      maxWaitTimeInMs: 500,
      retry: { restartOnFailure: async () => shouldRestart() },
    });
  }

  async connect(): Promise<void> {
    await this.admin.connect();
    await this.producer.connect();
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
    await this.admin.disconnect();
  }
}

/**
 * kafkajs's own socket factory, plus TCP_NODELAY, as Kafka's Java client sets it: without it, the last
 * segment of a large request can wait for the broker's delayed ACK (up to 40 ms on Linux) before it
 * leaves. Measured with `npm run bench` (docs/benchmarks.md). Plain TCP: this service uses no TLS.
 */
const socketWithoutNagle: ISocketFactory = ({ host, port, onConnect }) => {
  const socket = connect({ host, port, noDelay: true }, onConnect);
  socket.setKeepAlive(true, 60_000);
  return socket;
};
