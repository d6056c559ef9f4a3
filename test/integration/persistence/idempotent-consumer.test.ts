import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { RecordProductSales } from '../../../src/application/product/ranking/record-product-sales.js';
import { IdempotentReceiver } from '../../../src/application/shared/messaging/idempotent-receiver.js';
import type { InboundMessage } from '../../../src/application/shared/messaging/message-consumer.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmProcessedEvents } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductSalesRanking } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { ProcessedEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { ProductRankingUpdater } from '../../../src/interfaces/messaging/consumers/product-ranking-updater.js';
import { FIXED_NOW } from '../../support/builders.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { openTestDatabase } from '../../support/test-database.js';

const orderCompleted = (eventId: string, quantity: number): InboundMessage => ({
  topic: 'outside.order.completed.v1',
  partition: 0,
  offset: '7',
  key: 'order-1',
  headers: {},
  timestamp: '0',
  value: JSON.stringify({
    eventId,
    type: 'order.completed',
    version: 1,
    occurredAt: FIXED_NOW.toISOString(),
    payload: { orderId: 'order-1', items: [{ productId: 1, productName: 'Keyboard', quantity }] },
  }),
});

describe('an idempotent consumer on SQLite (product ranking)', () => {
  let database: Database;
  let remove: () => Promise<void>;
  let ranking: MikroOrmProductSalesRanking;
  let updater: ProductRankingUpdater;
  let logger: RecordingLogger;

  const unitsSold = async () => (await ranking.top(10)).map((total) => total.unitsSold);

  beforeEach(async () => {
    ({ database, remove } = await openTestDatabase());
    logger = new RecordingLogger();
    const transactions = new MikroOrmTransactionManager(database, logger);
    ranking = new MikroOrmProductSalesRanking(database);
    const processedEvents = new MikroOrmProcessedEvents(database, new FixedClock(FIXED_NOW));
    updater = new ProductRankingUpdater(
      new IdempotentReceiver(transactions, processedEvents, logger),
      new RecordProductSales(transactions, ranking, logger),
    );
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
    const failOnce = { fail: true };
    const original = ranking.addSales.bind(ranking);
    ranking.addSales = async (sales) => {
      await original(sales);
      if (failOnce.fail) {
        failOnce.fail = false;
        throw new Error('deadlock found when trying to get lock');
      }
    };

    await expect(updater.handle(orderCompleted('event-1', 3))).rejects.toThrow('deadlock');
    await updater.handle(orderCompleted('event-1', 3));

    expect(await unitsSold()).toEqual([3]);
  });
});
