import { inject, injectable } from 'inversify';
import { wireHeadersOf } from '../../../application/shared/events/event-envelope.js';
import { InFlightWork } from '../../../application/shared/in-flight-work.js';
import { Logger } from '../../../application/shared/logger.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { KafkaClient } from './kafka-client.js';

// How long one produce request waits for the broker's acknowledgement (kafkajs's default is 30 s). With
// the producer's 4 retries, a send ends within about 35 s, well inside the outbox's 60 s claim.
const SEND_TIMEOUT_MS = 5_000;

/**
 * Publishes to Kafka. Each send waits for every in-sync replica (`acks: -1`): once it resolves, the record
 * survives the loss of a broker. A send that fails is logged with its event id, counted, and rethrown.
 * Called after commit, that failure loses the event (see docs: the outbox closes that gap).
 *
 * With EVENT_PUBLISHER=outbox, this is the outbox relay's transport: it sends the relay's batches.
 */
@injectable()
export class KafkaGlobalEventPublisher extends GlobalEventPublisher {
  #sent = 0;
  #failedSends = 0;
  readonly #sending = new InFlightWork();

  constructor(
    @inject(KafkaClient) private readonly client: KafkaClient,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  get counts(): { sent: number; failedSends: number } {
    return { sent: this.#sent, failedSends: this.#failedSends };
  }

  publish(message: OutboundMessage): Promise<void> {
    const sending = this.send(message);
    this.#sending.track(sending);
    return sending;
  }

  /**
   * Sends several messages in one request per broker: how the outbox relay sends a batch. Within a
   * partition they are written in the order given. Resolves once the broker acknowledged all of them;
   * rejects if it did not acknowledge them all (some may have been written: a retry can duplicate those).
   * A failure is neither logged nor counted as lost here: the relay keeps the rows and tries again.
   */
  publishAll(messages: readonly OutboundMessage[]): Promise<void> {
    const sending = this.sendBatch(messages);
    this.#sending.track(sending);
    return sending;
  }

  /** Resolves once every send started so far has succeeded or failed. */
  async drain(): Promise<void> {
    await this.#sending.drain();
  }

  private async send(message: OutboundMessage): Promise<void> {
    const fields = {
      topic: message.topic,
      key: message.key,
      eventId: message.eventId,
    };
    try {
      const [written] = await this.client.producer.send({
        topic: message.topic,
        acks: -1,
        timeout: SEND_TIMEOUT_MS,
        messages: [
          { key: message.key, value: JSON.stringify(message.payload), headers: wireHeadersOf(message) },
        ],
      });
      this.#sent++;
      this.logger.info(
        { ...fields, partition: written?.partition, offset: written?.baseOffset },
        'event published',
      );
    } catch (error) {
      this.#failedSends++;
      this.logger.error(
        { ...fields, failedSends: this.#failedSends, err: error },
        'event NOT published: the broker did not acknowledge it',
      );
      throw error;
    }
  }

  private async sendBatch(messages: readonly OutboundMessage[]): Promise<void> {
    const byTopic = Map.groupBy(messages, (message) => message.topic);
    const written = await this.client.producer.sendBatch({
      acks: -1,
      timeout: SEND_TIMEOUT_MS,
      topicMessages: [...byTopic].map(([topic, messagesOfTopic]) => ({
        topic,
        messages: messagesOfTopic.map((message) => ({
          key: message.key,
          value: JSON.stringify(message.payload),
          headers: wireHeadersOf(message),
        })),
      })),
    });
    this.#sent += messages.length;
    this.logger.info(
      {
        count: messages.length,
        // topic/partition@first offset written: where to look for these records
        partitions: written.map((batch) => `${batch.topicName}/${batch.partition}@${batch.baseOffset}`),
        eventIds: messages.map((message) => message.eventId),
      },
      'events published',
    );
  }
}
