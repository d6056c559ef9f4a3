import { context, trace, type Context } from '@opentelemetry/api';
import { inject, injectable } from 'inversify';
import type { Message, RecordMetadata } from 'kafkajs';
import { wireHeadersOf } from '../../../application/shared/events/event-envelope.js';
import { InFlightWork } from '../../../application/shared/in-flight-work.js';
import { Logger } from '../../../application/shared/logger.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { DEFAULT_PUBLISH_LINGER_MS, KafkaClient } from './kafka-client.js';
import { SendCoalescer } from './send-coalescer.js';

// How long one produce request waits for the broker's acknowledgement (kafkajs's default is 30 s). With
// the producer's 4 retries, a send ends within about 35 s, well inside the outbox's 60 s claim.
const SEND_TIMEOUT_MS = 5_000;

// At most this many coalesced publishes per request: a few hundred small events stay far below the
// broker's 1 MB per partition batch (message.max.bytes).
const MAX_RECORDS_PER_REQUEST = 500;

/** One publish() waiting in the coalescer, with the trace it was called in. */
interface Publish {
  readonly message: OutboundMessage;
  readonly context: Context;
}

/** Where the broker wrote one record. */
interface WrittenAt {
  readonly partition: number | undefined;
  readonly offset: string | undefined;
}

/**
 * Publishes to Kafka. Each send waits for every in-sync replica (`acks: -1`): once it resolves, the record
 * survives the loss of a broker. A send that fails is logged with its event id, counted, and rethrown.
 * Called after commit, that failure loses the event (see docs: the outbox closes that gap).
 *
 * Concurrent `publish()` calls share requests, as the Java producer's batches do: they linger up to
 * `publishLingerMs` and leave together, one request at a time (see SendCoalescer). A key's records keep
 * their call order, as they go to one partition in the order they were added.
 *
 * With EVENT_PUBLISHER=outbox, this is the outbox relay's transport: it sends the relay's batches.
 */
@injectable()
export class KafkaGlobalEventPublisher extends GlobalEventPublisher {
  #sent = 0;
  #failedSends = 0;
  readonly #sending = new InFlightWork();
  readonly #coalescer: SendCoalescer<Publish, WrittenAt>;

  constructor(
    @inject(KafkaClient) private readonly client: KafkaClient,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
    this.#coalescer = new SendCoalescer((publishes) => this.produceInContext(publishes), {
      lingerMs: client.config.publishLingerMs ?? DEFAULT_PUBLISH_LINGER_MS,
      maxRecordsPerRequest: MAX_RECORDS_PER_REQUEST,
      // kafkajs's tracing makes every record of a request a child of the span active when it is sent:
      // only publishes made in the same span may share one. With tracing off there is no span: all do.
      groupOf: (publish) => trace.getSpanContext(publish.context)?.spanId,
    });
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

  /** Resolves once every send started so far has succeeded or failed; lingering ones leave at once. */
  async drain(): Promise<void> {
    await this.#coalescer.drain();
    await this.#sending.drain();
  }

  private async send(message: OutboundMessage): Promise<void> {
    const fields = {
      topic: message.topic,
      key: message.key,
      eventId: message.eventId,
    };
    try {
      const written = await this.#coalescer.add({ message, context: context.active() });
      this.#sent++;
      this.logger.info({ ...fields, ...written }, 'event published');
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
    const { batches } = await this.produce(messages);
    this.#sent += messages.length;
    this.logger.info(
      {
        count: messages.length,
        // topic/partition@first offset written: where to look for these records
        partitions: batches.map((batch) => `${batch.topicName}/${batch.partition}@${batch.baseOffset}`),
        eventIds: messages.map((message) => message.eventId),
      },
      'events published',
    );
  }

  /** Sends publishes of one span, inside that span, so that the trace goes on in their consumers. */
  private async produceInContext(publishes: readonly Publish[]): Promise<WrittenAt[]> {
    const messages = publishes.map((publish) => publish.message);
    const { records, batches } = await context.with(publishes[0]!.context, () => this.produce(messages));
    return this.positionsOf(messages, records, batches);
  }

  /** One produce request (one per broker) for `messages`: the records sent, and kafkajs's answer. */
  private async produce(
    messages: readonly OutboundMessage[],
  ): Promise<{ records: Message[]; batches: RecordMetadata[] }> {
    const records = messages.map((message): Message => ({
      key: message.key,
      value: JSON.stringify(message.payload),
      headers: wireHeadersOf(message),
    }));
    const byTopic = Map.groupBy(records, (_record, index) => messages[index]?.topic ?? '');
    const batches = await this.client.producer.sendBatch({
      acks: -1,
      timeout: SEND_TIMEOUT_MS,
      topicMessages: [...byTopic].map(([topic, recordsOfTopic]) => ({ topic, messages: recordsOfTopic })),
    });
    return { records, batches };
  }

  /**
   * kafkajs returns one base offset per topic-partition; a partition's records were written in the order
   * given, so the n-th record sent to a partition is at its base offset + n.
   */
  private positionsOf(
    messages: readonly OutboundMessage[],
    records: readonly Message[],
    batches: readonly RecordMetadata[],
  ): WrittenAt[] {
    const baseOffsets = new Map(
      batches.map((batch) => [`${batch.topicName}/${batch.partition}`, batch.baseOffset]),
    );
    const writtenSoFar = new Map<string, bigint>();
    return records.map((record, index) => {
      const partition = this.client.partitionOf(record);
      const topicPartition = `${messages[index]?.topic}/${partition}`;
      const baseOffset = baseOffsets.get(topicPartition);
      const before = writtenSoFar.get(topicPartition) ?? 0n;
      writtenSoFar.set(topicPartition, before + 1n);
      return {
        partition,
        offset: baseOffset === undefined ? undefined : String(BigInt(baseOffset) + before),
      };
    });
  }
}
