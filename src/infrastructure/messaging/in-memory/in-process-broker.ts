import { AsyncLocalStorage } from 'node:async_hooks';
import { inject, injectable } from 'inversify';
import { InFlightWork } from '../../../application/shared/in-flight-work.js';
import { Logger } from '../../../application/shared/logger.js';
import { RequestContext } from '../../../application/shared/request-context.js';
import { ConsumerMetrics } from '../../observability/metrics/consumer-metrics.js';
import {
  requestIdOf,
  type InboundMessage,
  type MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import {
  CONSUMER_GROUP_ATTRIBUTE,
  currentTraceHeaders,
  inSpan,
  inSyncSpan,
  SpanKind,
  withTraceHeaders,
} from '../../observability/tracing/spans.js';
import { deadLetterOf } from '../consumer/dead-letter.js';
import { handleWithRetries } from '../consumer/handle-with-retries.js';
import { RetryPolicy } from '../consumer/retry-policy.js';

/** A record as a producer hands it over: already serialized, as it would go on the wire. */
export interface ProducedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * An in-process stand-in for a broker: one append-only log per topic (a single partition, 0), and every
 * subscribed consumer group reading it in order, with the same retries and dead-letter topic as the Kafka
 * listener container. `InMemoryGlobalEventPublisher` publishes onto it; `InMemoryMessagingRuntime`
 * subscribes the consumers.
 */
@injectable()
export class InProcessBroker {
  /** Like a topic's retention: the oldest records are forgotten, so a long-running demo stays small. */
  static readonly RETAINED_RECORDS = 10_000;

  readonly #records: InboundMessage[] = [];
  readonly #nextOffsetByTopic = new Map<string, number>();
  readonly #consumers: MessageConsumer[] = [];
  readonly #deliveryByGroup = new Map<string, Promise<void>>();
  readonly #deliveries = new InFlightWork();
  /**
   * Runs code in the context the broker was built in, not the publisher's. A consumer must not inherit the
   * publisher's async context: a publisher inside a transaction (the coupon scheduler's) would have the
   * consumer's `TransactionManager.run` join that transaction, as no real broker would.
   */
  readonly #outsideThePublisher = AsyncLocalStorage.snapshot();

  constructor(
    @inject(RetryPolicy) private readonly retryPolicy: RetryPolicy,
    @inject(Logger) private readonly logger: Logger,
    @inject(RequestContext) private readonly requestContext: RequestContext,
    @inject(ConsumerMetrics) private readonly metrics: ConsumerMetrics,
  ) {}

  /** The records appended so far (the newest RETAINED_RECORDS), across topics, dead letters included. */
  get records(): readonly InboundMessage[] {
    return this.#records;
  }

  subscribe(consumer: MessageConsumer): void {
    this.#consumers.push(consumer);
  }

  /**
   * Appends the record to its topic's log, and queues it for every group that reads that topic. Like
   * instrumentation-kafkajs on Kafka, it traces the send and puts its context in the record's headers
   * (W3C `traceparent`), where each group's delivery picks it up: one trace from producer to consumers.
   */
  append(produced: ProducedRecord): InboundMessage {
    return inSyncSpan(`send ${produced.topic}`, { kind: SpanKind.PRODUCER }, () =>
      this.appendWithHeaders(produced, { ...produced.headers, ...currentTraceHeaders() }),
    );
  }

  private appendWithHeaders(produced: ProducedRecord, headers: Record<string, string>): InboundMessage {
    const offset = this.#nextOffsetByTopic.get(produced.topic) ?? 0;
    this.#nextOffsetByTopic.set(produced.topic, offset + 1);
    const record: InboundMessage = {
      topic: produced.topic,
      partition: 0,
      offset: String(offset),
      key: produced.key,
      value: produced.value,
      headers,
      timestamp: String(Date.now()),
    };
    this.#records.push(record);
    if (this.#records.length > InProcessBroker.RETAINED_RECORDS) this.#records.shift();
    for (const consumer of this.#consumers) {
      if (consumer.topic === record.topic) this.deliverLater(consumer, record);
    }
    return record;
  }

  /** Resolves once every consumer has handled every record appended so far. */
  async drain(): Promise<void> {
    await this.#deliveries.drain();
  }

  /** Queues the record behind the group's earlier ones: one at a time per group, in offset order. */
  private deliverLater(consumer: MessageConsumer, record: InboundMessage): void {
    const previous = this.#deliveryByGroup.get(consumer.groupId) ?? Promise.resolve();
    // `deliver` does not fail, but if it ever did, the group must not stop receiving: hence the catch.
    const delivery = this.#outsideThePublisher(() =>
      previous.catch(() => undefined).then(() => this.deliver(consumer, record)),
    );
    this.#deliveryByGroup.set(consumer.groupId, delivery);
    this.#deliveries.track(delivery);
  }

  private async deliver(consumer: MessageConsumer, record: InboundMessage): Promise<void> {
    const requestId = requestIdOf(record);
    const fields = { groupId: consumer.groupId, topic: record.topic, offset: record.offset };
    // In the trace the record's headers carry, as instrumentation-kafkajs's `process` span on Kafka.
    await withTraceHeaders(record.headers, () =>
      inSpan(
        `process ${record.topic}`,
        { kind: SpanKind.CONSUMER, attributes: { [CONSUMER_GROUP_ATTRIBUTE]: consumer.groupId } },
        async () => {
          const outcome = await this.requestContext.run(requestId, () =>
            handleWithRetries(consumer, record, this.retryPolicy, ({ attempt, error, retryInMs }) => {
              this.logger.warn({ ...fields, attempt, retryInMs, err: error }, 'consumer failed');
              if (retryInMs !== undefined) this.metrics.recordRetried(fields);
            }),
          );
          if (outcome.status === 'handled') this.metrics.recordHandled(fields);
          if (outcome.status === 'exhausted') {
            const deadLetter = this.append(deadLetterOf(record, { groupId: consumer.groupId, ...outcome }));
            this.metrics.recordDeadLettered(fields);
            this.logger.error(
              { ...fields, attempts: outcome.attempts, deadLetterTopic: deadLetter.topic },
              'attempts spent: record sent to the dead-letter topic',
            );
          }
        },
      ),
    );
  }
}
