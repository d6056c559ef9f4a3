import { inject, injectable } from 'inversify';
import { Clock } from '../../../application/shared/clock.js';
import { Logger } from '../../../application/shared/logger.js';
import { TransactionManager } from '../../../application/shared/transaction-manager.js';
import type { OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import type { RetryPolicy } from '../consumer/retry-policy.js';
import { withTraceHeaders } from '../../observability/tracing/spans.js';
import { OutboxRelayNudge } from './outbox-relay-nudge.js';
import { OutboxStore, type ClaimedOutboxEvent } from './outbox-store.js';

/** How the relay polls, batches, retries and cleans up; built from configuration by the outbox's mode. */
export abstract class OutboxRelaySettings {
  /** How long the relay waits, unless nudged, after a cycle that found less than a full batch. */
  abstract readonly pollIntervalMs: number;
  /** The most rows claimed and sent at once. */
  abstract readonly batchSize: number;
  /** Attempts per row, and the backoff between them. */
  abstract readonly retryPolicy: RetryPolicy;
  /** SENT rows are deleted once they are this old. */
  abstract readonly retentionMs: number;
}

/** Where the relay sends what it claimed: the Kafka adapter (KafkaGlobalEventPublisher.publishAll). */
export abstract class OutboxTransport {
  abstract publishAll(messages: readonly OutboundMessage[]): Promise<void>;
}

// Longer than a claim can live: a send takes about 35 s at worst (5 s per request, 4 retries), and a
// batch claimed ahead waits for the send before it, then makes its own. A claim this old belongs to a
// relay that died, or was stopped mid-send: its rows are handed back.
const ABANDONED_CLAIM_MS = 120_000;
const HOUSEKEEPING_INTERVAL_MS = 30_000;
const PURGE_CHUNK = 1_000;
const LONGEST_ERROR_KEPT = 1_000; // the width of outbox_events.last_error

/**
 * The other half of the transactional outbox: a poller that moves committed rows to the broker.
 *
 * Each cycle: claim a batch (a short transaction: PENDING → SENDING), send it without holding any
 * transaction, then record the outcome (SENDING → SENT, or back to PENDING after a backoff, or FAILED
 * once its attempts are spent). Rows are marked SENT only after the broker acknowledged them, so a crash
 * at any point loses nothing; at worst a batch is sent again (at-least-once), which the idempotent
 * consumers absorb. Several instances can each run a relay on the same table (see OutboxStore.claimBatch).
 *
 * Two things keep it quick. While a full batch is on its way, the next one is claimed (a pipeline two
 * batches deep): a key whose earlier row is still SENDING is held back by the claim, so a key's rows still
 * reach the broker in order. And when idle, it waits for a poll interval or for a nudge from this
 * process's outbox publisher after a commit (OutboxRelayNudge), whichever comes first.
 */
@injectable()
export class OutboxRelay {
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  #relayed = 0;

  constructor(
    @inject(OutboxStore) private readonly store: OutboxStore,
    @inject(OutboxTransport) private readonly transport: OutboxTransport,
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    @inject(OutboxRelaySettings) readonly settings: OutboxRelaySettings,
    @inject(OutboxRelayNudge) private readonly nudges: OutboxRelayNudge,
  ) {}

  /** Events this relay has seen acknowledged by the broker since it started. */
  get relayed(): number {
    return this.#relayed;
  }

  start(): void {
    this.#loop ??= this.pollUntilStopped();
    this.logger.info(
      { pollIntervalMs: this.settings.pollIntervalMs, batchSize: this.settings.batchSize },
      'outbox relay started',
    );
  }

  /**
   * Lets the batch in progress finish (its sends are acknowledged and recorded), and the batch claimed
   * ahead of it too, then stops polling: nothing this relay claimed is left SENDING.
   */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  /**
   * One claim, send and record, without claiming ahead (tests and tools drive the relay with it). Resolves
   * how many rows the broker acknowledged.
   */
  async relayPendingOutboxRows(): Promise<number> {
    return this.sendAndRecord(await this.claimBatch());
  }

  /** Hands back rows a dead relay claimed, and deletes SENT rows past their retention. */
  async keepHouse(): Promise<void> {
    const now = this.clock.now().getTime();
    const released = await this.transactions.run(() =>
      this.store.releaseAbandonedClaims(new Date(now - ABANDONED_CLAIM_MS)),
    );
    if (released > 0) this.logger.warn({ released }, 'outbox rows of a relay that died are PENDING again');
    let purged = 0;
    for (let chunk = PURGE_CHUNK; chunk === PURGE_CHUNK; purged += chunk) {
      chunk = await this.transactions.run(() =>
        this.store.purgeSent(new Date(now - this.settings.retentionMs), PURGE_CHUNK),
      );
    }
    if (purged > 0) this.logger.info({ purged }, 'SENT outbox rows past retention deleted');
  }

  private async pollUntilStopped(): Promise<void> {
    const { signal } = this.#stopping;
    let nextHousekeeping = 0;
    let claimedAhead: Promise<ClaimedOutboxEvent[]> | undefined;
    while (!signal.aborted) {
      try {
        if (Date.now() >= nextHousekeeping) {
          nextHousekeeping = Date.now() + HOUSEKEEPING_INTERVAL_MS;
          await this.keepHouse();
        }
        const claiming = claimedAhead ?? this.claimBatch();
        claimedAhead = undefined;
        const claimed = await claiming;
        // A full batch means more rows are probably waiting: claim the next batch while this one is sent.
        if (claimed.length === this.settings.batchSize) claimedAhead = this.claimAhead();
        await this.sendAndRecord(claimed);
      } catch (error) {
        // The database went away, say. The rows wait in the table; try again next cycle.
        this.logCycleFailure(error);
      }
      if (claimedAhead === undefined) await this.nudges.wait(this.settings.pollIntervalMs, signal);
    }
    if (claimedAhead !== undefined) {
      await this.sendAndRecord(await claimedAhead).catch((error: unknown) => this.logCycleFailure(error));
    }
  }

  private claimBatch(): Promise<ClaimedOutboxEvent[]> {
    return this.transactions.run(() => this.store.claimBatch(this.settings.batchSize, this.clock.now()));
  }

  /** A claim that runs beside a send: a failure is logged and claims nothing (the next cycle claims again). */
  private claimAhead(): Promise<ClaimedOutboxEvent[]> {
    return this.claimBatch().catch((error: unknown) => {
      this.logCycleFailure(error);
      return [];
    });
  }

  private logCycleFailure(error: unknown): void {
    this.logger.error({ err: error }, 'outbox relay cycle failed');
  }

  /** Sends the claimed rows and records the outcome. Resolves how many rows the broker acknowledged. */
  private async sendAndRecord(claimed: readonly ClaimedOutboxEvent[]): Promise<number> {
    if (claimed.length === 0) return 0;
    try {
      // Each run of rows written in one trace is sent inside that trace, one run after the other, so a
      // key's rows still reach the broker in order. With tracing off, the whole batch is one run.
      for (const run of runsOfSameTrace(claimed)) {
        await withTraceHeaders(run[0]!.traceContext, () =>
          this.transport.publishAll(run.map((row) => row.message)),
        );
      }
    } catch (error) {
      await this.recordFailedSend(claimed, error);
      return 0;
    }
    await this.transactions.run(() => this.store.markSent(claimed, this.clock.now()));
    this.#relayed += claimed.length;
    this.logger.debug({ count: claimed.length, relayed: this.#relayed }, 'outbox rows marked SENT');
    return claimed.length;
  }

  private async recordFailedSend(claimed: readonly ClaimedOutboxEvent[], error: unknown): Promise<void> {
    const reason = String((error as Error).message ?? error).slice(0, LONGEST_ERROR_KEPT);
    const failed = await this.transactions.run(() =>
      this.store.recordFailedSend(claimed, reason, this.settings.retryPolicy, this.clock.now()),
    );
    this.logger.warn(
      { count: claimed.length, attempt: Math.max(...claimed.map((row) => row.attempts)) + 1, reason },
      'outbox batch not sent: it is tried again after a backoff',
    );
    if (failed.length > 0) {
      this.logger.error(
        { count: failed.length, eventIds: failed.map((row) => row.eventId) },
        'outbox rows FAILED, their attempts spent: npm run outbox -- resubmit sends them again',
      );
    }
  }
}

/** The claimed rows, in order, cut wherever the trace they were written in changes. */
function runsOfSameTrace(claimed: readonly ClaimedOutboxEvent[]): ClaimedOutboxEvent[][] {
  const runs: ClaimedOutboxEvent[][] = [];
  let previousTrace: string | undefined;
  for (const row of claimed) {
    const trace = row.traceContext.traceparent ?? '';
    if (runs.length === 0 || trace !== previousTrace) runs.push([]);
    runs.at(-1)!.push(row);
    previousTrace = trace;
  }
  return runs;
}
