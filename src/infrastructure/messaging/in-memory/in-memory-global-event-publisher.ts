import { inject, injectable } from 'inversify';
import { wireHeadersOf } from '../../../application/shared/events/event-envelope.js';
import { Logger } from '../../../application/shared/logger.js';
import type { InboundMessage } from '../../../application/shared/messaging/message-consumer.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { InProcessBroker } from './in-process-broker.js';

/**
 * Publishes onto the `InProcessBroker`: no Kafka needed. The message is serialized on the way in, so
 * consumers parse exactly what they would parse from Kafka. Tests use it as a fake: `published` lists the
 * records on the broker.
 */
@injectable()
export class InMemoryGlobalEventPublisher extends GlobalEventPublisher {
  constructor(
    @inject(InProcessBroker) private readonly broker: InProcessBroker,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  /** The records on the broker (the newest `InProcessBroker.RETAINED_RECORDS`), dead letters included. */
  get published(): readonly InboundMessage[] {
    return this.broker.records;
  }

  async publish(message: OutboundMessage): Promise<void> {
    const record = this.broker.append({
      topic: message.topic,
      key: message.key,
      value: JSON.stringify(message.payload),
      headers: wireHeadersOf(message),
    });
    this.logger.info(
      {
        topic: record.topic,
        key: record.key,
        partition: record.partition,
        offset: record.offset,
        eventId: message.eventId,
      },
      'event published',
    );
  }
}
