import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { Clock } from '../../../src/application/shared/clock.js';
import type { OutboundMessage } from '../../../src/domain/shared/global-event-publisher.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { OutboxGlobalEventPublisher } from '../../../src/infrastructure/messaging/outbox/outbox-global-event-publisher.js';
import { OutboxRelay } from '../../../src/infrastructure/messaging/outbox/outbox-relay.js';
import { OutboxRelayNudge } from '../../../src/infrastructure/messaging/outbox/outbox-relay-nudge.js';
import {
  OutboxStore,
  OutsideTransaction,
} from '../../../src/infrastructure/messaging/outbox/outbox-store.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { OutboxEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { deferred } from '../../support/deferred.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { openTestDatabase } from '../../support/test-database.js';

class ManualClock extends Clock {
  #now = new Date('2026-11-21T09:00:00.000Z');
  now(): Date {
    return new Date(this.#now);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

/**
 * Stands in for Kafka: records what it was given (and in which trace), or fails while `down`. While
 * `held`, each send waits for the test to release it, as a slow broker would keep the relay waiting.
 */
class RecordingTransport {
  readonly batches: string[][] = [];
  readonly traceIds: Array<string | undefined> = [];
  down = false;
  held: Promise<void> | undefined;
  async publishAll(messages: readonly OutboundMessage[]): Promise<void> {
    await this.held;
    if (this.down) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    this.batches.push(messages.map((message) => message.eventId));
    this.traceIds.push(trace.getActiveSpan()?.spanContext().traceId);
  }
}

const message = (eventId: string, orderId: string): OutboundMessage => ({
  topic: 'outside.order.completed.v1',
  key: orderId,
  payload: { eventId, orderId },
  eventId,
  aggregateType: 'order',
  aggregateId: orderId,
});

describe('the transactional outbox on SQLite (store, publisher and relay)', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let transactions: MikroOrmTransactionManager;
  let clock: ManualClock;
  let transport: RecordingTransport;
  let store: OutboxStore;
  let relay: OutboxRelay;
  let publisher: OutboxGlobalEventPublisher;
  let nudge: OutboxRelayNudge;
  const relayWith = (settings: Partial<OutboxRelay['settings']>) =>
    new OutboxRelay(
      store,
      transport,
      transactions,
      clock,
      new RecordingLogger(),
      {
        pollIntervalMs: 10,
        batchSize: 10,
        retryPolicy: new RetryPolicy(3, 1_000, 60_000),
        retentionMs: 60 * 60 * 1000,
        ...settings,
      },
      nudge,
    );

  const rows = async () =>
    (await database.em().find(OutboxEventRow, {}, { orderBy: { id: 'asc' } })).map((row) => ({
      eventId: row.eventId,
      status: row.status,
      attempts: row.attempts,
    }));
  const write = (...messages: OutboundMessage[]) =>
    transactions.run(async () => {
      for (const each of messages) await publisher.publish(each);
    });

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    const logger = new RecordingLogger();
    transactions = new MikroOrmTransactionManager(database, logger);
    clock = new ManualClock();
    transport = new RecordingTransport();
    store = new OutboxStore(database);
    nudge = new OutboxRelayNudge();
    publisher = new OutboxGlobalEventPublisher(store, clock, logger, transactions, nudge);
    relay = relayWith({});
  });
  afterEach(() => remove());

  it('writes the row in the caller’s transaction: a rollback leaves no row', async () => {
    await expect(
      transactions.run(async () => {
        await publisher.publish(message('e1', 'order-1'));
        throw new Error('out of stock');
      }),
    ).rejects.toThrow('out of stock');
    await write(message('e2', 'order-2'));

    expect(await rows()).toEqual([{ eventId: 'e2', status: 'PENDING', attempts: 0 }]);
  });

  it('keeps one row per event id: the same event written again (a re-published request) is ignored', async () => {
    await write(message('e1', 'order-1'));
    await relay.relayPendingOutboxRows();

    await write(message('e1', 'order-1'), message('e2', 'order-2'));

    expect(await rows()).toEqual([
      { eventId: 'e1', status: 'SENT', attempts: 1 },
      { eventId: 'e2', status: 'PENDING', attempts: 0 },
    ]);
  });

  it('refuses to write outside a transaction', async () => {
    await expect(publisher.publish(message('e1', 'order-1'))).rejects.toThrow(OutsideTransaction);
  });

  it('sends pending rows in the order they were written, and marks them SENT', async () => {
    await write(message('e1', 'order-1'), message('e2', 'order-2'), message('e3', 'order-3'));

    expect(await relay.relayPendingOutboxRows()).toBe(3);

    expect(transport.batches).toEqual([['e1', 'e2', 'e3']]);
    expect(await rows()).toEqual([
      { eventId: 'e1', status: 'SENT', attempts: 1 },
      { eventId: 'e2', status: 'SENT', attempts: 1 },
      { eventId: 'e3', status: 'SENT', attempts: 1 },
    ]);
    expect(await relay.relayPendingOutboxRows()).toBe(0);
  });

  it('sends the due events of one key together, in the order they were written', async () => {
    await write(message('a1', 'order-a'), message('b1', 'order-b'), message('a2', 'order-a'));

    expect(await relay.relayPendingOutboxRows()).toBe(3);

    expect(transport.batches).toEqual([['a1', 'b1', 'a2']]);
  });

  it('holds a key’s later events back while an earlier one waits out its backoff', async () => {
    await write(message('a1', 'order-a'));
    transport.down = true;
    await relay.relayPendingOutboxRows(); // a1 fails: PENDING again, due in 1 s
    transport.down = false;
    await write(message('a2', 'order-a'), message('b1', 'order-b'));

    await relay.relayPendingOutboxRows();
    expect(transport.batches).toEqual([['b1']]);

    clock.advance(1_000);
    await relay.relayPendingOutboxRows();
    expect(transport.batches).toEqual([['b1'], ['a1', 'a2']]);
  });

  it('holds a key’s later events back while another relay is sending an earlier one', async () => {
    await write(message('a1', 'order-a'));
    const [heldByAnother] = await transactions.run(() => store.claimBatch(10, clock.now()));
    await write(message('a2', 'order-a'), message('b1', 'order-b'));

    expect(await relay.relayPendingOutboxRows()).toBe(1);
    expect(transport.batches).toEqual([['b1']]);

    await transactions.run(() => store.markSent([heldByAnother!], clock.now()));
    await relay.relayPendingOutboxRows();
    expect(transport.batches).toEqual([['b1'], ['a2']]);
  });

  it('retries after a backoff, turns a row FAILED when its attempts are spent, and resubmits it', async () => {
    await write(message('e1', 'order-1'));
    transport.down = true;

    expect(await relay.relayPendingOutboxRows()).toBe(0);
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'PENDING', attempts: 1 }]);
    expect((await database.em().findOneOrFail(OutboxEventRow, { eventId: 'e1' })).lastError).toContain(
      'ECONNREFUSED',
    );
    await relay.relayPendingOutboxRows(); // still inside its 1 s backoff: not claimed
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'PENDING', attempts: 1 }]);

    clock.advance(1_000);
    await relay.relayPendingOutboxRows();
    clock.advance(2_000);
    await relay.relayPendingOutboxRows();
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'FAILED', attempts: 3 }]);
    expect((await store.backlog()).failed).toBe(1);

    transport.down = false;
    clock.advance(60_000);
    expect(await relay.relayPendingOutboxRows()).toBe(0); // FAILED rows wait for a person
    expect(await transactions.run(() => store.resubmitFailed(clock.now()))).toBe(1);
    expect(await relay.relayPendingOutboxRows()).toBe(1);
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'SENT', attempts: 1 }]);
  });

  it('hands back rows claimed by a relay that died, once the claim is two minutes old', async () => {
    await write(message('e1', 'order-1'));
    await transactions.run(() => store.claimBatch(10, clock.now())); // a relay claims, then dies

    await relay.keepHouse();
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'SENDING', attempts: 0 }]);
    clock.advance(60_001); // a live relay's batch claimed ahead may wait out one whole send, then make its own
    await relay.keepHouse();
    expect(await rows()).toEqual([{ eventId: 'e1', status: 'SENDING', attempts: 0 }]);

    clock.advance(60_000);
    await relay.keepHouse();
    expect(await relay.relayPendingOutboxRows()).toBe(1);
    expect(transport.batches).toEqual([['e1']]);
  });

  it('ignores the outcome reported by a relay whose claim was handed back to another', async () => {
    await write(message('e1', 'order-1'));
    const staleClaim = await transactions.run(() => store.claimBatch(10, clock.now()));
    clock.advance(120_001);
    await relay.keepHouse();
    await relay.relayPendingOutboxRows(); // the row is claimed again, sent and marked SENT

    await transactions.run(() =>
      store.recordFailedSend(staleClaim, 'timed out', new RetryPolicy(1, 1, 1), clock.now()),
    );

    expect(await rows()).toEqual([{ eventId: 'e1', status: 'SENT', attempts: 1 }]);
  });

  it('deletes SENT rows past their retention, and nothing else', async () => {
    await write(message('old', 'order-1'));
    await relay.relayPendingOutboxRows();
    clock.advance(60 * 60 * 1000 + 1);
    await write(message('new', 'order-2'), message('unsent', 'order-3'));
    await relay.relayPendingOutboxRows();
    transport.down = true;
    await write(message('pending', 'order-4'));

    await relay.keepHouse();

    expect((await rows()).map((row) => row.eventId)).toEqual(['new', 'unsent', 'pending']);
  });

  it('reports the backlog: rows not yet sent, and when the oldest was written', async () => {
    await write(message('e1', 'order-1'));
    clock.advance(5_000);
    await write(message('e2', 'order-2'));

    expect(await store.backlog()).toEqual({
      pending: 2,
      sending: 0,
      failed: 0,
      oldestUnsentAt: new Date('2026-11-21T09:00:00.000Z'),
    });
  });

  describe('running (start / stop)', () => {
    const statuses = async () => Object.fromEntries((await rows()).map((row) => [row.eventId, row.status]));
    const sendingCount = async () => (await rows()).filter((row) => row.status === 'SENDING').length;

    it('claims the next batch while a full one is being sent, and still sends each key’s rows in order', async () => {
      const broker = deferred();
      transport.held = broker.promise;
      await write(
        message('a1', 'order-a'),
        message('b1', 'order-b'),
        message('a2', 'order-a'),
        message('c1', 'order-c'),
      );
      const running = relayWith({ batchSize: 2 });
      running.start();

      // While [a1, b1] waits for the broker, the claim ahead takes c1, not a2: a1 is still SENDING.
      await waitFor('the next batch claimed ahead', async () => (await sendingCount()) === 3, {
        intervalMs: 10,
      });
      expect(await statuses()).toEqual({ a1: 'SENDING', b1: 'SENDING', a2: 'PENDING', c1: 'SENDING' });
      broker.resolve();
      await waitFor('every row sent', async () => running.relayed === 4, { intervalMs: 10 });
      await running.stop();

      expect(transport.batches).toEqual([['a1', 'b1'], ['c1'], ['a2']]);
    });

    it('stops only once the batch in flight and the one claimed ahead are sent: nothing is left SENDING', async () => {
      const broker = deferred();
      transport.held = broker.promise;
      await write(
        message('a1', 'order-a'),
        message('b1', 'order-b'),
        message('c1', 'order-c'),
        message('d1', 'order-d'),
        message('e1', 'order-e'),
      );
      const running = relayWith({ batchSize: 2 });
      running.start();
      await waitFor('the next batch claimed ahead', async () => (await sendingCount()) === 4, {
        intervalMs: 10,
      });

      const stopped = running.stop();
      broker.resolve();
      await stopped;

      expect(transport.batches).toEqual([
        ['a1', 'b1'],
        ['c1', 'd1'],
      ]);
      expect(await statuses()).toEqual({ a1: 'SENT', b1: 'SENT', c1: 'SENT', d1: 'SENT', e1: 'PENDING' });
    });

    it('relays a committed event at once when the publisher nudges it, without waiting for the poll', async () => {
      const running = relayWith({ pollIntervalMs: 60_000 });
      running.start();
      await waitFor('the first poll, which finds nothing', () => nudge.waiting, { intervalMs: 10 });

      // Written as another instance would write it: no nudge reaches this relay, so the row waits.
      await transactions.run(() => store.add(message('elsewhere', 'order-x'), clock.now()));
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(transport.batches).toEqual([]);

      await write(message('here', 'order-y'));
      await waitFor('the nudged relay has sent both rows', async () => running.relayed === 2, {
        intervalMs: 10,
        timeoutMs: 5_000,
      });
      await running.stop();

      expect(transport.batches).toEqual([['elsewhere', 'here']]);
    });
  });

  describe('with tracing on', () => {
    const sdk = new NodeSDK({ spanProcessors: [], metricReaders: [], logRecordProcessors: [] });
    beforeAll(() => sdk.start());
    afterAll(() => sdk.shutdown());

    const traceA = 'a'.repeat(32);
    const traceB = 'b'.repeat(32);
    /** Runs `work` as part of the trace `traceId`, as an HTTP request's span would. */
    const inTrace = <T>(traceId: string, work: () => Promise<T>) =>
      context.with(
        trace.setSpanContext(ROOT_CONTEXT, {
          traceId,
          spanId: '1'.repeat(16),
          traceFlags: TraceFlags.SAMPLED,
        }),
        work,
      );

    it('sends each row inside the trace it was written in, a run of rows per trace, in the order written', async () => {
      await inTrace(traceA, () => write(message('a1', 'order-a')));
      await inTrace(traceB, () => write(message('b1', 'order-b'), message('a2', 'order-a')));
      await write(message('c1', 'order-c'));

      expect(await relay.relayPendingOutboxRows()).toBe(4);

      expect(transport.batches).toEqual([['a1'], ['b1', 'a2'], ['c1']]);
      expect(transport.traceIds).toEqual([traceA, traceB, undefined]);
    });
  });
});
