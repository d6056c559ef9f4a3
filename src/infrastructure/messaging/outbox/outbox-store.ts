import { LockMode, type EntityData, type InferEntity } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import { wireHeadersOf } from '../../../application/shared/events/event-envelope.js';
import type { OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { Database } from '../../persistence/mikro-orm/database.js';
import { OutboxEventRow, type OutboxStatus } from '../../persistence/mikro-orm/schema.js';
import type { RetryPolicy } from '../consumer/retry-policy.js';

/** A row a relay claimed (status SENDING): it is this relay's to send, and no other relay's. */
export interface ClaimedOutboxEvent {
  readonly id: number;
  readonly eventId: string;
  readonly attempts: number;
  /** When this relay claimed it: the claim's token. An update by a relay whose claim was handed back matches nothing. */
  readonly claimedAt: Date;
  readonly message: OutboundMessage;
  /** The trace the event was written in, as W3C headers (`traceparent`); empty when tracing was off. */
  readonly traceContext: Readonly<Record<string, string>>;
}

export interface OutboxBacklog {
  /** Waiting to be sent, including rows waiting out a backoff. */
  readonly pending: number;
  /** Claimed by a relay, on their way to the broker. */
  readonly sending: number;
  /** Out of attempts; `npm run outbox -- resubmit` puts them back. */
  readonly failed: number;
  readonly oldestUnsentAt: Date | undefined;
}

/**
 * For the claim's `WHERE status = 'PENDING' … ORDER BY id LIMIT n`, MySQL prefers walking the primary key
 * in id order, through every SENT row kept for retention: slower each cycle as they pile up. The status
 * index holds the PENDING rows in id order already (InnoDB appends the key), so it reads only those.
 */
const USE_STATUS_INDEX = 'use index(outbox_events_status_index)';

/** What a claim reads of each due row: every column but the status, the timestamps and the last error. */
const DUE_ROW_FIELDS = [
  'id',
  'eventId',
  'aggregateType',
  'aggregateId',
  'topic',
  'messageKey',
  'payload',
  'headers',
  'traceContext',
  'attempts',
] as const;
type DueRow = Pick<InferEntity<typeof OutboxEventRow>, (typeof DUE_ROW_FIELDS)[number]>;

/** Rows still to be sent, in the order the relay must keep per key. */
const UNSENT: OutboxStatus[] = ['PENDING', 'SENDING'];

export class OutsideTransaction extends Error {
  constructor() {
    super(
      'the outbox records an event in the business transaction: publish from a before-commit listener, ' +
        'inside TransactionManager.run()',
    );
    this.name = 'OutsideTransaction';
  }
}

/**
 * The SQL side of the transactional outbox. Every method works in the caller's transaction; the relay
 * and the publisher decide where transactions begin and end.
 */
@injectable()
export class OutboxStore {
  constructor(@inject(Database) private readonly database: Database) {}

  /**
   * Writes the event's row in the current transaction, so it commits if and only if the business data does.
   * One row per event id: an event written again (a coupon request re-published after a crash) is ignored,
   * and resolves `false`.
   */
  async add(
    message: OutboundMessage,
    now: Date,
    traceContext: Readonly<Record<string, string>> = {},
  ): Promise<boolean> {
    const em = this.database.em();
    if (!em.isInTransaction()) throw new OutsideTransaction();
    // INSERT IGNORE (MySQL) / INSERT … ON CONFLICT DO NOTHING (SQLite), on the unique event id.
    const result = await em
      .createQueryBuilder(OutboxEventRow)
      .insert({
        eventId: message.eventId,
        aggregateType: message.aggregateType,
        aggregateId: message.aggregateId,
        topic: message.topic,
        messageKey: message.key,
        payload: JSON.stringify(message.payload),
        // As they will go on the wire, so a look at the table shows what consumers will get.
        headers: JSON.stringify(wireHeadersOf(message)),
        traceContext: Object.keys(traceContext).length === 0 ? '' : JSON.stringify(traceContext),
        status: 'PENDING',
        attempts: 0,
        lastError: '',
        createdAt: now,
        nextAttemptAt: now,
      })
      .onConflict('eventId')
      .ignore()
      .execute<{ affectedRows: number }>('run');
    return result.affectedRows === 1;
  }

  /**
   * Claims up to `limit` rows that are due, oldest first, and marks them SENDING.
   *
   * `FOR UPDATE SKIP LOCKED` (MySQL 8, MariaDB 10.6+) is what lets several relays share one table: a row
   * another relay has just locked is skipped, not waited for, and never claimed twice. (SQLite has one writer
   * at a time and ignores the clause.) Per key, only the unbroken run of its oldest unsent rows is claimed:
   * they go out together, in the order they were written (one partition, one request). The run stops at a row
   * this relay cannot send now (another relay holds it, this relay's previous batch is still on its way with
   * it, or it waits out a backoff after a failed send): the key's later rows wait for it, so a key's events
   * reach the broker in order, even with several relays. (The limit applies first: if the oldest `limit` due
   * rows were all held back behind such a row, this cycle would claim nothing, and the next cycles would find
   * the same rows until it is sent.)
   */
  async claimBatch(limit: number, now: Date): Promise<ClaimedOutboxEvent[]> {
    const em = this.database.em();
    // Plain rows through the query builder, not entities: the relay only reads them, and building 500
    // entities a claim (the identity map, hydration, change tracking) was the relay's largest CPU cost.
    const due: DueRow[] = await em
      .createQueryBuilder(OutboxEventRow)
      .select(DUE_ROW_FIELDS)
      .where({ status: 'PENDING', nextAttemptAt: { $lte: now } })
      .orderBy({ id: 'asc' })
      .limit(limit)
      .setLockMode(LockMode.PESSIMISTIC_PARTIAL_WRITE)
      .indexHint(this.statusIndexHint())
      .execute('all');
    if (due.length === 0) return [];

    // The unsent rows that are not in `due`: other relays' (SENDING, or locked by their claim), or waiting
    // out a backoff. A plain read, which sees the rows other relays have locked too. Only rows before the
    // last due one can hold a due row back.
    const dueIds = due.map((row) => row.id);
    const notOurs: Pick<DueRow, 'id' | 'messageKey'>[] = await em
      .createQueryBuilder(OutboxEventRow)
      .select(['id', 'messageKey'])
      .where({ status: { $in: UNSENT }, id: { $lte: dueIds.at(-1)!, $nin: dueIds } })
      .indexHint(this.statusIndexHint())
      .execute('all');
    const firstNotOursOfKey = new Map<string, number>();
    for (const { id, messageKey } of notOurs) {
      firstNotOursOfKey.set(messageKey, Math.min(id, firstNotOursOfKey.get(messageKey) ?? id));
    }
    const claimed = due.filter((row) => row.id < (firstNotOursOfKey.get(row.messageKey) ?? Infinity));
    if (claimed.length === 0) return [];

    await em.nativeUpdate(
      OutboxEventRow,
      { id: { $in: claimed.map((row) => row.id) } },
      { status: 'SENDING', claimedAt: now },
    );
    return claimed.map((row) => ({
      id: row.id,
      eventId: row.eventId,
      attempts: row.attempts,
      claimedAt: now,
      message: {
        topic: row.topic,
        key: row.messageKey,
        payload: JSON.parse(row.payload) as Record<string, unknown>,
        eventId: row.eventId,
        aggregateType: row.aggregateType,
        aggregateId: row.aggregateId,
        headers: JSON.parse(row.headers) as Record<string, string>,
      },
      traceContext: row.traceContext === '' ? {} : (JSON.parse(row.traceContext) as Record<string, string>),
    }));
  }

  /** The broker acknowledged these rows. */
  async markSent(claimed: readonly ClaimedOutboxEvent[], now: Date): Promise<void> {
    // `attempts` counts the sends tried, the successful one included.
    await this.countAttempt(claimed, () => ({ status: 'SENT', sentAt: now, claimedAt: null }));
  }

  /**
   * The send failed: each row is PENDING again after its backoff, or FAILED once its attempts are spent.
   * Resolves the rows that became FAILED.
   */
  async recordFailedSend(
    claimed: readonly ClaimedOutboxEvent[],
    error: string,
    retryPolicy: RetryPolicy,
    now: Date,
  ): Promise<ClaimedOutboxEvent[]> {
    const failed: ClaimedOutboxEvent[] = [];
    await this.countAttempt(claimed, (attempt, rows) => {
      const backoffMs = retryPolicy.backoffAfter(attempt);
      if (backoffMs === undefined) failed.push(...rows);
      return backoffMs === undefined
        ? { status: 'FAILED', claimedAt: null, lastError: error }
        : {
            status: 'PENDING',
            claimedAt: null,
            lastError: error,
            nextAttemptAt: new Date(now.getTime() + backoffMs),
          };
    });
    return failed;
  }

  /**
   * A relay that died after claiming rows leaves them SENDING. Once the claim is older than any send can
   * take, they are PENDING again. (The broker may have written them before the relay died: then they go
   * out twice, and the idempotent consumers drop the second copy.)
   */
  async releaseAbandonedClaims(claimedBefore: Date): Promise<number> {
    return this.database
      .em()
      .nativeUpdate(
        OutboxEventRow,
        { status: 'SENDING', claimedAt: { $lt: claimedBefore } },
        { status: 'PENDING', claimedAt: null },
      );
  }

  /** Deletes up to `limit` SENT rows sent before `sentBefore`, oldest first. Resolves how many. */
  async purgeSent(sentBefore: Date, limit: number): Promise<number> {
    const em = this.database.em();
    // Ids first: MySQL has no LIMIT in a DELETE's subquery, and SQLite no LIMIT on DELETE.
    const rows = await em.find(
      OutboxEventRow,
      { status: 'SENT', sentAt: { $lt: sentBefore } },
      { fields: ['id'], orderBy: { id: 'asc' }, limit },
    );
    if (rows.length === 0) return 0;
    return em.nativeDelete(OutboxEventRow, { id: { $in: rows.map((row) => row.id) } });
  }

  /** FAILED rows (all, or those with these event ids) become PENDING, with fresh attempts. */
  async resubmitFailed(now: Date, eventIds?: readonly string[]): Promise<number> {
    return this.database
      .em()
      .nativeUpdate(
        OutboxEventRow,
        { status: 'FAILED', ...(eventIds === undefined ? {} : { eventId: { $in: [...eventIds] } }) },
        { status: 'PENDING', attempts: 0, nextAttemptAt: now },
      );
  }

  async backlog(): Promise<OutboxBacklog> {
    const em = this.database.em();
    const [pending, sending, failed, oldest] = await Promise.all([
      em.count(OutboxEventRow, { status: 'PENDING' }),
      em.count(OutboxEventRow, { status: 'SENDING' }),
      em.count(OutboxEventRow, { status: 'FAILED' }),
      em.findOne(
        OutboxEventRow,
        { status: { $in: UNSENT } },
        { fields: ['createdAt'], orderBy: { id: 'asc' } },
      ),
    ]);
    return { pending, sending, failed, oldestUnsentAt: oldest?.createdAt };
  }

  private statusIndexHint(): string | undefined {
    return this.database.driver === 'mysql' ? USE_STATUS_INDEX : undefined;
  }

  /**
   * Adds one to each row's `attempts`, one UPDATE per distinct current value, with `changes` on top. Only
   * rows still under this claim change: if the claim was handed back (see releaseAbandonedClaims) and
   * another relay took the row, that relay's outcome stands.
   */
  private async countAttempt(
    claimed: readonly ClaimedOutboxEvent[],
    changes: (attempt: number, rows: ClaimedOutboxEvent[]) => EntityData<InferEntity<typeof OutboxEventRow>>,
  ): Promise<void> {
    const byAttempts = Map.groupBy(claimed, (row) => row.attempts);
    for (const [attempts, rows] of byAttempts) {
      await this.database
        .em()
        .nativeUpdate(
          OutboxEventRow,
          { id: { $in: rows.map((row) => row.id) }, status: 'SENDING', claimedAt: rows[0]!.claimedAt },
          { ...changes(attempts + 1, rows), attempts: attempts + 1 },
        );
    }
  }
}
