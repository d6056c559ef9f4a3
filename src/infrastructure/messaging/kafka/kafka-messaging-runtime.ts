import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import { Logger } from '../../../application/shared/logger.js';
import type { MessageConsumer } from '../../../application/shared/messaging/message-consumer.js';
import { RequestContext } from '../../../application/shared/request-context.js';
import { ConsumerMetrics } from '../../observability/metrics/consumer-metrics.js';
import { StartupError } from '../../startup-error.js';
import { RetryPolicy } from '../consumer/retry-policy.js';
import { MessagingRuntime } from '../messaging-runtime.js';
import { declaredTopics } from '../declared-topics.js';
import { consumerLag } from './consumer-lag.js';
import { KafkaClient } from './kafka-client.js';
import { KafkaGlobalEventPublisher } from './kafka-global-event-publisher.js';
import { createMissingTopics } from './create-missing-topics.js';
import { KafkaListenerContainer } from './kafka-listener-container.js';
import { AckMode } from './ack-mode.js';

const CATCH_UP_TIMEOUT_MS = 30_000;

@injectable()
export class KafkaMessagingRuntime extends MessagingRuntime {
  #containers: { consumer: MessageConsumer; container: KafkaListenerContainer }[] = [];

  constructor(
    @inject(KafkaClient) private readonly client: KafkaClient,
    @inject(KafkaGlobalEventPublisher) private readonly publisher: KafkaGlobalEventPublisher,
    @inject(RetryPolicy) private readonly retryPolicy: RetryPolicy,
    @inject(Logger) private readonly logger: Logger,
    @inject(RequestContext) private readonly requestContext: RequestContext,
    @inject(ConsumerMetrics) private readonly consumerMetrics: ConsumerMetrics,
  ) {
    super();
  }

  /** Connects, creates missing topics, then starts one listener container per consumer group. */
  async start(consumers: readonly MessageConsumer[]): Promise<void> {
    try {
      await this.client.connect();
    } catch (error) {
      throw new StartupError(
        `Kafka did not answer at ${this.client.brokers}. Start a broker (npm run services:start kafka, ` +
          'or docker compose up -d), or set KAFKA_BROKERS to one that runs.',
        { cause: error },
      );
    }
    this.logger.info({ brokers: this.client.brokers }, 'connected to Kafka');
    await createMissingTopics(
      this.client.admin,
      declaredTopics(this.client.config.replicationFactor),
      this.logger,
    );
    // Listed before they start, so that stop() reaches each one, even after a start that failed halfway.
    this.#containers = consumers.map((consumer) => ({
      consumer,
      container: new KafkaListenerContainer(
        consumer,
        this.client,
        this.retryPolicy,
        this.logger,
        this.requestContext,
        this.consumerMetrics,
        // Spring's default: one commit per fetched batch. AckMode.RECORD commits after every record.
        AckMode.BATCH,
      ),
    }));
    // In parallel: joining a group can take a few seconds while the other members rejoin.
    await Promise.all(
      this.#containers.map(async ({ consumer, container }) => {
        await container.start();
        this.logger.info({ groupId: consumer.groupId, topic: consumer.topic }, 'consumer subscribed');
      }),
    );
  }

  /** The consumer groups whose consumer stopped for good, and why. */
  get failedConsumers(): { groupId: string; error: string }[] {
    return this.#containers.flatMap(({ container }) =>
      container.failure ? [{ groupId: container.groupId, error: container.failure.message }] : [],
    );
  }

  /** Waits for sends in flight, then until every consumer group has committed everything on its topic. */
  async drain(): Promise<void> {
    await this.publisher.drain();
    const deadline = Date.now() + CATCH_UP_TIMEOUT_MS;
    for (const { consumer } of this.#containers) {
      while (!(await this.hasCaughtUp(consumer))) {
        if (Date.now() > deadline) {
          throw new Error(
            `consumer group ${consumer.groupId} did not catch up within ${CATCH_UP_TIMEOUT_MS} ms`,
          );
        }
        await sleep(100);
      }
    }
  }

  private async hasCaughtUp(consumer: MessageConsumer): Promise<boolean> {
    try {
      return (await consumerLag(this.client.admin, consumer.groupId, consumer.topic)) === 0;
    } catch (error) {
      // e.g. "the coordinator is loading" just after a broker restart: not caught up yet, ask again.
      if ((error as { retriable?: boolean }).retriable === true) return false;
      throw error;
    }
  }

  /**
   * Lets sends in flight finish, stops each container (the record in hand is finished and committed),
   * then disconnects. Records not yet read stay in Kafka for the next start, or another instance.
   */
  async stop(): Promise<void> {
    await this.publisher.drain();
    const stopped = await Promise.allSettled(this.#containers.map(({ container }) => container.stop()));
    this.#containers = [];
    await this.client.disconnect();
    const failed = stopped.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
