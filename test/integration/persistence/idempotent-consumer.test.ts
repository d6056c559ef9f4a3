import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { RecordProductSales } from '../../../src/application/product/ranking/record-product-sales.js';
import { TransactionManager } from '../../../src/application/shared/transaction-manager.js';
import type { InboundMessage } from '../../../src/application/shared/messaging/message-consumer.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmProcessedEvents } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductSalesRanking } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { ProcessedEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { ProductRankingUpdater } from '../../../src/interfaces/messaging/consumers/product-ranking-updater.js';
import { FIXED_NOW } from '../../support/builders.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { openTestDatabase } from '../../support/test-database.js';

const orderCompleted = (
  eventId: string,
  quantity: number,
  { productId = 1, requestId }: { productId?: number; requestId?: string } = {},
): InboundMessage => ({
  topic: 'outside.order.completed.v1',
  partition: 0,
  offset: '7',
  key: 'order-1',
  headers: requestId === undefined ? {} : { 'request-id': requestId },
  timestamp: '0',
  value: JSON.stringify({
    eventId,
    type: 'order.completed',
    version: 1,
    occurredAt: FIXED_NOW.toISOString(),
    payload: {
      orderId: 'order-1',
      completedAt: FIXED_NOW.toISOString(),
      items: [{ productId, productName: `Product ${productId}`, quantity }],
    },
  }),
});

const requestContext = new AsyncLocalStorageRequestContext();

/** A RecordingLogger that also records the request id each line was logged under, as the app's logger adds it. */
class RequestIdRecordingLogger extends RecordingLogger {
  override info(fields: Record<string, unknown>, message: string): void {
    super.info({ ...fields, requestId: requestContext.currentRequestId() }, message);
  }
}

/** Counts the transactions it runs. */
class CountingTransactions extends TransactionManager {
  runs = 0;

  constructor(private readonly inner: TransactionManager) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    this.runs++;
    return this.inner.run(work);
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.inner.beforeCommit(hook);
  }

  afterCommit(hook: () => void): void {
    this.inner.afterCommit(hook);
  }
}

/** Rolls back the first transaction it runs, after its work is done: a deadlock at COMMIT, say. */
class FailingFirstCommit extends TransactionManager {
  #failed = false;

  constructor(private readonly inner: TransactionManager) {
    super();
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.inner.run(async () => {
      const result = await work();
      if (!this.#failed) {
        this.#failed = true;
        throw new Error('deadlock found when trying to get lock');
      }
      return result;
    });
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.inner.beforeCommit(hook);
  }

  afterCommit(hook: () => void): void {
    this.inner.afterCommit(hook);
  }
}

describe('an idempotent consumer on SQLite (product ranking)', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let ranking: MikroOrmProductSalesRanking;
  let updater: ProductRankingUpdater;
  let logger: RequestIdRecordingLogger;
  let processedEvents: MikroOrmProcessedEvents;

  const updaterWith = (transactions: TransactionManager) => {
    ranking = new MikroOrmProductSalesRanking(database, transactions, processedEvents);
    return new ProductRankingUpdater(new RecordProductSales(ranking), requestContext, logger);
  };

  const unitsSold = async () => (await ranking.top(10)).map((total) => total.unitsSold);

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    logger = new RequestIdRecordingLogger();
    processedEvents = new MikroOrmProcessedEvents(database, new FixedClock(FIXED_NOW));
    updater = updaterWith(new MikroOrmTransactionManager(database, logger));
  });
  afterEach(() => remove());

  it('counts a redelivered event once, and says it skipped it', async () => {
    await updater.handle(orderCompleted('event-1', 3));
    await updater.handle(orderCompleted('event-1', 3));
    await updater.handle(orderCompleted('event-2', 2));

    expect(await unitsSold()).toEqual([5]);
    expect(logger.messages('info')).toContain('duplicate delivery skipped: event already applied');
    expect(await database.em().count(ProcessedEventRow, { consumerGroup: 'product-ranking' })).toBe(2);
  });

  it('forgets an event whose effect rolled back, so its redelivery is applied', async () => {
    updater = updaterWith(new FailingFirstCommit(new MikroOrmTransactionManager(database, logger)));

    await expect(updater.handle(orderCompleted('event-1', 3))).rejects.toThrow('deadlock');
    await updater.handle(orderCompleted('event-1', 3));

    expect(await unitsSold()).toEqual([3]);
  });

  it('counts a batch in one transaction, skipping a copy within it and an event counted before, and logs each event under its own request id', async () => {
    await updater.handle(orderCompleted('event-1', 3));
    const transactions = new CountingTransactions(new MikroOrmTransactionManager(database, logger));
    updater = updaterWith(transactions);
    logger.entries.length = 0;

    await updater.handleBatch([
      orderCompleted('event-1', 3, { requestId: 'req-1' }),
      orderCompleted('event-2', 2, { requestId: 'req-2' }),
      orderCompleted('event-3', 4, { productId: 2 }),
      orderCompleted('event-2', 2, { requestId: 'req-4' }),
    ]);

    expect(transactions.runs).toBe(1);
    expect(await unitsSold()).toEqual([5, 4]);
    expect(logger.entries.map(({ message, fields }) => [message, fields.eventId, fields.requestId])).toEqual([
      ['duplicate delivery skipped: event already applied', 'event-1', 'req-1'],
      ['product ranking updated', 'event-2', 'req-2'],
      // No request-id header: the record is named by where it is.
      ['product ranking updated', 'event-3', 'outside.order.completed.v1-0-7'],
      ['duplicate delivery skipped: event already applied', 'event-2', 'req-4'],
    ]);
  });

  it('throws at a record that does not parse, having counted none of its batch', async () => {
    const poison = { ...orderCompleted('event-2', 1), value: '{"eventId":"event-2"' };

    await expect(updater.handleBatch([orderCompleted('event-1', 3), poison])).rejects.toThrow();

    expect(await unitsSold()).toEqual([]);
    expect(await database.em().count(ProcessedEventRow, {})).toBe(0);
  });
});
