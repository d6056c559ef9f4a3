import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import type { MessageConsumer } from '../../../application/shared/messaging/message-consumer.js';
import { KafkaMessagingRuntime } from '../kafka/kafka-messaging-runtime.js';
import { MessagingRuntime } from '../messaging-runtime.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxStore } from './outbox-store.js';

const RELAY_CATCH_UP_TIMEOUT_MS = 30_000;

/**
 * EVENT_PUBLISHER=outbox at run time: the Kafka runtime (connection, topics, consumers) plus the relay
 * that feeds the topic from the outbox table.
 */
@injectable()
export class OutboxMessagingRuntime extends MessagingRuntime {
  constructor(
    @inject(KafkaMessagingRuntime) private readonly kafka: KafkaMessagingRuntime,
    @inject(OutboxRelay) private readonly relay: OutboxRelay,
    @inject(OutboxStore) private readonly store: OutboxStore,
  ) {
    super();
  }

  /** Consumers first, so that the relay's first batch already has readers. */
  async start(consumers: readonly MessageConsumer[]): Promise<void> {
    await this.kafka.start(consumers);
    this.relay.start();
  }

  /** Waits until no row is left to send (rows waiting out a backoff included), then for the consumers. */
  async drain(): Promise<void> {
    const deadline = Date.now() + RELAY_CATCH_UP_TIMEOUT_MS;
    for (;;) {
      const { pending, sending } = await this.store.backlog();
      if (pending + sending === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `the outbox still holds ${pending + sending} unsent rows after ${RELAY_CATCH_UP_TIMEOUT_MS} ms`,
        );
      }
      await sleep(50);
    }
    await this.kafka.drain();
  }

  /** The relay finishes its cycle (nothing claimed is left SENDING), then Kafka stops. Unsent rows wait. */
  async stop(): Promise<void> {
    await this.relay.stop();
    await this.kafka.stop();
  }
}
