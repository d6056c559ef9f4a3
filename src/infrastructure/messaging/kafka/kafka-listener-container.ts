import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { Logger } from '../../../application/shared/logger.js';
import {
  isBatchMessageConsumer,
  requestIdOf,
  type BatchMessageConsumer,
  type InboundMessage,
  type MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';
import type { RequestContext } from '../../../application/shared/request-context.js';
import type { ConsumerMetrics } from '../../observability/metrics/consumer-metrics.js';
import { deadLetterOf } from '../consumer/dead-letter.js';
import { handleWithRetries } from '../consumer/handle-with-retries.js';
import type { RetryPolicy } from '../consumer/retry-policy.js';
import { AckMode } from './ack-mode.js';
import { HandledOffsets } from './handled-offsets.js';
import { inboundMessageOf } from './inbound-message.js';
import type { KafkaClient } from './kafka-client.js';
import { ChunkProcessSpans, inProcessSpan } from './process-spans.js';

// kafkajs sends at most one heartbeat per `heartbeatInterval` (3 s) and skips the calls in between, so
// asking every second keeps a slow handler's member well inside the session timeout (30 s).
const HEARTBEAT_WHILE_HANDLING_MS = 1_000;
// The heartbeat errors after which the partitions in hand may already belong to another member.
const LEFT_BEHIND_BY_THE_GROUP = new Set([
  'REBALANCE_IN_PROGRESS',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/**
 * The most records a batch listener's `handleBatch` gets at once. A fetch brings up to 1 MB per partition
 * (thousands of small records); a bounded chunk keeps one transaction, and the work redone if it fails,
 * reasonable.
 */
export const MAX_RECORDS_PER_HANDLE_BATCH = 500;

/**
 * What Spring's `@KafkaListener` and its listener container do, small enough to read: one consumer in the
 * listener's consumer group, feeding it records one at a time, per partition in offset order. The name is
 * Spring's ("message listener container"): the consuming side, not the after-commit listeners of
 * `TransactionalEventDispatcher`.
 *
 * - Offsets are committed by hand, and only past records the handler finished (at least once).
 *   `AckMode.BATCH` commits once per fetched batch, `AckMode.RECORD` after each record (a batch
 *   listener's chunk): a consumer that dies mid-batch has committed nothing of the batch in hand, or
 *   everything but the record (or chunk) in hand, and whoever takes over the partition gets those again.
 * - A failing handler is retried with exponential backoff; once the attempts are spent, the record goes
 *   to `<topic>.dlq` with error headers, counts as handled, and the partition moves on.
 * - Stopping lets a running handler finish and commits what was handled; a record waiting between retries
 *   is left uncommitted instead, so the partition's next owner tries it again. Then the consumer leaves
 *   the group. A rebalance under way ends the batch the same way, before the partitions move.
 * - A batch listener (`BatchMessageConsumer`) gets the fetched records of a partition in chunks instead,
 *   through `handleBatch`. If a chunk throws, its records go through `handle` one by one, with the
 *   retries and the dead-letter topic above: `handle` finds the poison record, where Spring asks a batch
 *   listener to name it (`BatchListenerFailedException`).
 */
export class KafkaListenerContainer {
  readonly #consumer: Consumer;
  #assignment: Record<string, number[]> = {};
  #rebalancing = false;
  readonly #stopping = new AbortController();
  readonly #handled = new HandledOffsets();
  #batchInHand: Promise<void> = Promise.resolve();
  #failure: Error | undefined;

  constructor(
    private readonly listener: MessageConsumer,
    private readonly client: KafkaClient,
    private readonly retryPolicy: RetryPolicy,
    private readonly logger: Logger,
    private readonly requestContext: RequestContext,
    private readonly metrics: ConsumerMetrics,
    private readonly ackMode: AckMode = AckMode.BATCH,
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
    await this.#consumer.run({
      autoCommit: false,
      // A record counts as read only once it was handled: the next fetch starts at the first that was not.
      eachBatchAutoResolve: false,
      eachBatch: (payload) => {
        const batch = this.processBatch(payload);
        this.#batchInHand = batch.catch(() => undefined);
        return batch;
      },
    });
  }

  /** Ends the record in hand (see above) and leaves the group: its partitions go to the other members. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    // Before disconnecting: kafkajs leaves the group without waiting for the batch in hand, and a member
    // that left can no longer commit what it handled.
    await this.#batchInHand;
    await this.#consumer.disconnect();
  }

  /** One partition's fetched records, in offset order, up to the first one not finished. */
  private async processBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () =>
      payload.heartbeat().catch((error: { type?: string }) => {
        // The group is moving partitions, or has already dropped this member (a handler that outlasted
        // the session): finish what is in hand, commit, and let kafkajs rejoin. The flag stays up until
        // the member has joined again, so the other partitions' batches of the same fetch stop at once
        // too instead of each handling records until its own heartbeat hears it.
        if (error.type !== undefined && LEFT_BEHIND_BY_THE_GROUP.has(error.type)) this.#rebalancing = true;
      });
    let lastHandled: string | undefined;
    const batchInHand: BatchInHand = {
      // Stopping, rebalancing, or the partition was sought elsewhere: the rest waits for the next fetch.
      mayGoOn: () =>
        !this.#stopping.signal.aborted && payload.isRunning() && !payload.isStale() && !this.#rebalancing,
      markHandled: (record) => {
        lastHandled = record.offset;
        this.#handled.markHandled(record.topic, record.partition, record.offset);
      },
    };
    const records = batch.messages.map((message) => inboundMessageOf(batch.topic, batch.partition, message));
    try {
      await whileHeartbeating(heartbeat, () =>
        isBatchMessageConsumer(this.listener)
          ? this.processInChunks(this.listener, records, batchInHand)
          : this.processOneByOne(records, batchInHand),
      );
    } finally {
      // Once per batch, not per record (kafkajs's offset arithmetic is not free): the next fetch of this
      // partition starts after the last record handled.
      if (lastHandled !== undefined) payload.resolveOffset(lastHandled);
      await this.commitHandled();
    }
  }

  private async processOneByOne(records: readonly InboundMessage[], batch: BatchInHand): Promise<void> {
    for (const record of records) {
      if (!batch.mayGoOn()) return;
      const finished = await inProcessSpan(record, this.groupId, () => this.handleRecord(record));
      if (!finished) return;
      batch.markHandled(record);
      if (this.ackMode === AckMode.RECORD) await this.commitHandled();
    }
  }

  private async processInChunks(
    listener: BatchMessageConsumer,
    records: readonly InboundMessage[],
    batch: BatchInHand,
  ): Promise<void> {
    for (let first = 0; first < records.length; first += MAX_RECORDS_PER_HANDLE_BATCH) {
      if (!batch.mayGoOn()) return;
      const chunk = records.slice(first, first + MAX_RECORDS_PER_HANDLE_BATCH);
      const spans = new ChunkProcessSpans(chunk, this.groupId);
      try {
        // A chunk of one goes straight to `handle`: a failed `handleBatch` would only be a first attempt
        // without backoff, on top of the retry policy's.
        const handledAtOnce = chunk.length > 1 && (await this.handleChunk(listener, chunk, batch));
        if (!handledAtOnce && !(await this.handleChunkOneByOne(chunk, spans, batch))) return;
      } finally {
        spans.endAll();
      }
    }
  }

  /** The chunk in one `handleBatch` call: true if it succeeded (every record then counts as handled). */
  private async handleChunk(
    listener: BatchMessageConsumer,
    chunk: readonly InboundMessage[],
    batch: BatchInHand,
  ): Promise<boolean> {
    const first = chunk[0]!;
    const last = chunk.at(-1)!;
    const requestId = `${first.topic}-${first.partition}-${first.offset}..${last.offset}`;
    try {
      // A transaction for several records belongs to none of their traces, so it stays in the fetch's: the
      // `poll` span instrumentation-kafkajs opens for each batch, linked to the trace of each record.
      await this.requestContext.run(requestId, () => listener.handleBatch(chunk));
    } catch (error) {
      this.logger.warn(
        {
          groupId: this.groupId,
          topic: first.topic,
          partition: first.partition,
          fromOffset: first.offset,
          toOffset: last.offset,
          err: error,
        },
        'batch listener failed: handling its records one by one',
      );
      return false;
    }
    for (const record of chunk) {
      batch.markHandled(record);
      this.metrics.recordHandled({ groupId: this.groupId, topic: record.topic });
    }
    if (this.ackMode === AckMode.RECORD) await this.commitHandled();
    return true;
  }

  /** After a failed `handleBatch`: each record with its retries and dead letter; false if one was abandoned. */
  private async handleChunkOneByOne(
    chunk: readonly InboundMessage[],
    spans: ChunkProcessSpans,
    batch: BatchInHand,
  ): Promise<boolean> {
    for (const [index, record] of chunk.entries()) {
      if (!batch.mayGoOn()) return false;
      const finished = await spans.runOne(index, () => this.handleRecord(record));
      spans.end(index);
      if (!finished) return false;
      batch.markHandled(record);
      if (this.ackMode === AckMode.RECORD) await this.commitHandled();
    }
    return true;
  }

  private async commitHandled(): Promise<void> {
    const offsets = this.#handled.takeUncommitted();
    if (offsets.length > 0) await this.#consumer.commitOffsets(offsets);
  }

  /** Handles one record (retries, then the dead-letter topic); false if it was abandoned at a stop. */
  private async handleRecord(record: InboundMessage): Promise<boolean> {
    const { topic, partition } = record;
    const fields = { groupId: this.groupId, topic, partition, offset: record.offset };

    const outcome = await this.requestContext.run(requestIdOf(record), () =>
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
    );
    if (outcome.status === 'abandoned') {
      this.logger.info(
        { ...fields, attempts: outcome.attempts },
        'stopped between retries: record left uncommitted',
      );
      return false;
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
    return true;
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
      this.#rebalancing = false;
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

/** What the container's handling of one fetched batch needs from kafkajs's batch payload. */
interface BatchInHand {
  /** False once the container stops, the group rebalances, or the partition was sought elsewhere. */
  readonly mayGoOn: () => boolean;
  /** The record, and every one before it in the partition, is done: to commit, and not to fetch again. */
  readonly markHandled: (record: InboundMessage) => void;
}

/** Runs `work`, heartbeating meanwhile: without heartbeats the group would evict a consumer mid-batch. */
async function whileHeartbeating<T>(heartbeat: () => Promise<void>, work: () => Promise<T>): Promise<T> {
  // A failed heartbeat (a rebalance under way, a lost connection) is dealt with by kafkajs once this batch
  // is done: it rejoins, or restarts the consumer.
  const timer = setInterval(() => void heartbeat(), HEARTBEAT_WHILE_HANDLING_MS);
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** `outside.order.completed.v1[0,2]`, or `nothing`. */
function describeAssignment(assignment: Record<string, number[]>): string {
  const parts = Object.entries(assignment)
    .filter(([, partitions]) => partitions.length > 0)
    .map(([topic, partitions]) => `${topic}[${[...partitions].sort((a, b) => a - b).join(',')}]`);
  return parts.length === 0 ? 'nothing' : parts.join(' ');
}
