import type { Consumer, EachMessagePayload, IHeaders } from 'kafkajs';
import { MessageHeader } from '../../../application/shared/events/event-envelope.js';
import type { Logger } from '../../../application/shared/logger.js';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import type { RequestContext } from '../../../application/shared/request-context.js';
import type { ConsumerMetrics } from '../../observability/metrics/consumer-metrics.js';
import { deadLetterOf } from '../consumer/dead-letter.js';
import { handleWithRetries } from '../consumer/handle-with-retries.js';
import type { RetryPolicy } from '../consumer/retry-policy.js';
import { tagConsumerGroup } from '../../observability/tracing/spans.js';
import type { KafkaClient } from './kafka-client.js';

// kafkajs sends at most one heartbeat per `heartbeatInterval` (3 s) and skips the calls in between, so
// asking every second keeps a slow handler's member well inside the session timeout (30 s).
const HEARTBEAT_WHILE_HANDLING_MS = 1_000;

/**
 * What Spring's `@KafkaListener` and its listener container do, small enough to read: one consumer in the
 * listener's consumer group, feeding it records one at a time, per partition in offset order. The name is
 * Spring's ("message listener container"): the consuming side, not the after-commit listeners of
 * `TransactionalEventDispatcher`.
 *
 * - Offsets are committed by hand, and only once the handler succeeded: a consumer that dies mid-record
 *   leaves the record uncommitted, and whoever takes over the partition gets it again (at least once).
 * - A failing handler is retried with exponential backoff; once the attempts are spent, the record goes
 *   to `<topic>.dlq` with error headers, its offset is committed, and the partition moves on.
 * - Stopping lets a running handler finish and commits its record; a record waiting between retries is
 *   left uncommitted instead, so the partition's next owner tries it again. Then the consumer leaves
 *   the group.
 */
export class KafkaListenerContainer {
  readonly #consumer: Consumer;
  #assignment: Record<string, number[]> = {};
  readonly #stopping = new AbortController();
  #failure: Error | undefined;

  constructor(
    private readonly listener: MessageConsumer,
    private readonly client: KafkaClient,
    private readonly retryPolicy: RetryPolicy,
    private readonly logger: Logger,
    private readonly requestContext: RequestContext,
    private readonly metrics: ConsumerMetrics,
  ) {
    this.#consumer = client.consumer(listener.groupId, () => !this.#stopping.signal.aborted);
    this.logRebalances();
  }

  get groupId(): string {
    return this.listener.groupId;
  }

  /** Why the consumer stopped for good (an error kafkajs would not restart it after), if it did. */
  get failure(): Error | undefined {
    return this.#failure;
  }

  async start(): Promise<void> {
    await this.#consumer.connect();
    // A group that never committed starts at the oldest retained record, so it misses nothing.
    await this.#consumer.subscribe({ topics: [this.listener.topic], fromBeginning: true });
    await this.#consumer.run({ autoCommit: false, eachMessage: (payload) => this.process(payload) });
  }

  /** Ends the record in hand (see above) and leaves the group: its partitions go to the other members. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#consumer.disconnect();
  }

  private async process(payload: EachMessagePayload): Promise<void> {
    const { topic, partition, message } = payload;
    const record: InboundMessage = {
      topic,
      partition,
      offset: message.offset,
      key: message.key?.toString() ?? null,
      value: message.value?.toString() ?? '',
      headers: headersAsStrings(message.headers),
      timestamp: message.timestamp,
    };
    const fields = { groupId: this.groupId, topic, partition, offset: record.offset };
    const requestId = record.headers[MessageHeader.requestId] ?? `${topic}-${partition}-${record.offset}`;
    tagConsumerGroup(this.groupId);

    const outcome = await this.requestContext.run(requestId, () =>
      whileHeartbeating(
        () => payload.heartbeat(),
        () =>
          handleWithRetries(
            this.listener,
            record,
            this.retryPolicy,
            ({ attempt, error, retryInMs }) => {
              this.logger.warn({ ...fields, attempt, retryInMs, err: error }, 'consumer failed');
              if (retryInMs !== undefined) this.metrics.recordRetried(fields);
            },
            this.#stopping.signal,
          ),
      ),
    );
    if (outcome.status === 'abandoned') {
      this.logger.info(
        { ...fields, attempts: outcome.attempts },
        'stopped between retries: record left uncommitted',
      );
      return;
    }
    if (outcome.status === 'exhausted') {
      // If this send fails, the offset stays uncommitted and the record comes back: never lost.
      const deadLetter = deadLetterOf(record, { groupId: this.groupId, ...outcome });
      await this.client.producer.send({
        topic: deadLetter.topic,
        acks: -1,
        messages: [{ key: deadLetter.key, value: deadLetter.value, headers: { ...deadLetter.headers } }],
      });
      this.logger.error(
        { ...fields, attempts: outcome.attempts, deadLetterTopic: deadLetter.topic },
        'attempts spent: record sent to the dead-letter topic',
      );
      this.metrics.recordDeadLettered(fields);
    }
    if (outcome.status === 'handled') this.metrics.recordHandled(fields);
    // The committed offset is the next record to read, hence +1.
    await this.#consumer.commitOffsets([
      { topic, partition, offset: (BigInt(record.offset) + 1n).toString() },
    ]);
  }

  /** One line per step of a rebalance: learners watch partitions move between the members of a group. */
  private logRebalances(): void {
    const { GROUP_JOIN, REBALANCING, CRASH } = this.#consumer.events;
    this.#consumer.on(REBALANCING, ({ payload }) => {
      this.logger.info(
        { groupId: payload.groupId, memberId: payload.memberId, revoked: this.#assignment },
        `${payload.groupId}: rebalancing, partitions revoked ${describeAssignment(this.#assignment)}`,
      );
      this.#assignment = {};
    });
    this.#consumer.on(GROUP_JOIN, ({ payload }) => {
      this.#assignment = payload.memberAssignment;
      this.logger.info(
        {
          groupId: payload.groupId,
          memberId: payload.memberId,
          isLeader: payload.isLeader,
          assigned: this.#assignment,
        },
        `${payload.groupId}: joined the group, partitions assigned ${describeAssignment(this.#assignment)}`,
      );
    });
    this.#consumer.on(CRASH, ({ payload }) => {
      if (!payload.restart && !this.#stopping.signal.aborted) this.#failure = payload.error;
      this.logger.error(
        { groupId: payload.groupId, restart: payload.restart, err: payload.error },
        `${payload.groupId}: consumer crashed${payload.restart ? ', restarting' : ''}`,
      );
    });
  }
}

/** Runs `work`, heartbeating meanwhile: without heartbeats the group would evict a consumer mid-record. */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  const timer = setInterval(() => {
    // A failed heartbeat (a rebalance under way, a lost connection) is dealt with by kafkajs once this
    // record is done: it rejoins, or restarts the consumer.
    heartbeat().catch(() => undefined);
  }, HEARTBEAT_WHILE_HANDLING_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

function headersAsStrings(headers: IHeaders = {}): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) result[name] = Array.isArray(value) ? value.join(',') : value.toString();
  }
  return result;
}

/** `outside.order.completed.v1[0,2]`, or `nothing`. */
function describeAssignment(assignment: Record<string, number[]>): string {
  const parts = Object.entries(assignment)
    .filter(([, partitions]) => partitions.length > 0)
    .map(([topic, partitions]) => `${topic}[${[...partitions].sort((a, b) => a - b).join(',')}]`);
  return parts.length === 0 ? 'nothing' : parts.join(' ');
}
