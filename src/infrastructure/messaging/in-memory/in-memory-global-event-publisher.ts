import { inject, injectable } from 'inversify';
import { MessageHeader } from '../../../application/shared/events/event-envelope.js';
import { InFlightWork } from '../../../application/shared/in-flight-work.js';
import { Logger } from '../../../application/shared/logger.js';
import { RequestContext } from '../../../application/shared/request-context.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';

/**
 * An in-process stand-in for a broker: one append-only log per topic (a single partition, 0), and every
 * subscribed consumer group reading it in order. Messages are serialized on the way in, so consumers
 * parse exactly what they would parse from Kafka. Tests use it as a fake: `published` lists every record.
 */
@injectable()
export class InMemoryGlobalEventPublisher extends GlobalEventPublisher {
  /** Like a topic's retention: the oldest records are forgotten, so a long-running demo stays small. */
  static readonly RETAINED_RECORDS = 10_000;

  readonly #records: InboundMessage[] = [];
  readonly #nextOffsetByTopic = new Map<string, number>();
  readonly #consumers: MessageConsumer[] = [];
  readonly #deliveryByGroup = new Map<string, Promise<void>>();
  readonly #deliveries = new InFlightWork();

  constructor(
    @inject(Logger) private readonly logger: Logger,
    @inject(RequestContext) private readonly requestContext: RequestContext,
  ) {
    super();
  }

  /** The records published so far (the newest RETAINED_RECORDS), across topics, in publishing order. */
  get published(): readonly InboundMessage[] {
    return this.#records;
  }

  subscribe(consumer: MessageConsumer): void {
    this.#consumers.push(consumer);
  }

  async publish(message: OutboundMessage): Promise<void> {
    const offset = this.#nextOffsetByTopic.get(message.topic) ?? 0;
    this.#nextOffsetByTopic.set(message.topic, offset + 1);
    const record: InboundMessage = {
      topic: message.topic,
      partition: 0,
      offset: String(offset),
      key: message.key,
      value: JSON.stringify(message.payload),
      headers: { ...message.headers },
      timestamp: String(Date.now()),
    };
    this.#records.push(record);
    if (this.#records.length > InMemoryGlobalEventPublisher.RETAINED_RECORDS) this.#records.shift();
    this.logger.info(
      {
        topic: record.topic,
        key: record.key,
        partition: record.partition,
        offset: record.offset,
        eventId: record.headers[MessageHeader.eventId],
      },
      'event published',
    );
    for (const consumer of this.#consumers) {
      if (consumer.topic === message.topic) this.deliverLater(consumer, record);
    }
  }

  /** Resolves once every consumer has handled every record published so far. */
  async drain(): Promise<void> {
    await this.#deliveries.drain();
  }

  /** Queues the record behind the group's earlier ones: one at a time per group, in offset order. */
  private deliverLater(consumer: MessageConsumer, record: InboundMessage): void {
    const previous = this.#deliveryByGroup.get(consumer.groupId) ?? Promise.resolve();
    const delivery = previous.then(() => this.deliver(consumer, record));
    this.#deliveryByGroup.set(consumer.groupId, delivery);
    this.#deliveries.track(delivery);
  }

  private async deliver(consumer: MessageConsumer, record: InboundMessage): Promise<void> {
    const requestId = record.headers[MessageHeader.requestId] ?? `message-${record.offset}`;
    try {
      await this.requestContext.run(requestId, () => consumer.handle(record));
    } catch (error) {
      this.logger.error(
        { err: error, groupId: consumer.groupId, topic: record.topic, offset: record.offset },
        'consumer failed; the in-memory bus does not redeliver',
      );
    }
  }
}
