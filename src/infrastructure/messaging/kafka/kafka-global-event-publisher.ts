import { inject, injectable } from 'inversify';
import { MessageHeader } from '../../../application/shared/events/event-envelope.js';
import { InFlightWork } from '../../../application/shared/in-flight-work.js';
import { Logger } from '../../../application/shared/logger.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { KafkaClient } from './kafka-client.js';

/**
 * Publishes to Kafka. Each send waits for every in-sync replica (`acks: -1`): once it resolves, the record
 * survives the loss of a broker. A send that fails is logged with its event id, counted, and rethrown.
 * Called after commit, that failure loses the event (see docs: the outbox closes that gap).
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

  /** Resolves once every send started so far has succeeded or failed. */
  async drain(): Promise<void> {
    await this.#sending.drain();
  }

  private async send(message: OutboundMessage): Promise<void> {
    const fields = {
      topic: message.topic,
      key: message.key,
      eventId: message.headers[MessageHeader.eventId],
    };
    try {
      const [written] = await this.client.producer.send({
        topic: message.topic,
        acks: -1,
        messages: [
          { key: message.key, value: JSON.stringify(message.payload), headers: { ...message.headers } },
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
}
