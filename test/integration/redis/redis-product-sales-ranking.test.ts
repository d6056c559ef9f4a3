import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type {
  OrderSales,
  ProductSale,
} from '../../../src/application/product/ranking/product-sales-ranking.js';
import type { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import {
  RANKING_DAYS,
  RedisProductSalesRanking,
} from '../../../src/infrastructure/key-value/redis/redis-product-sales-ranking.js';
import type { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmProcessedEvents } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductSalesRanking } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import { describeWithRealServers } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';
import { openTestDatabase } from '../../support/test-database.js';

// Redis expires keys by its own clock, so the sales are dated today: a fixed date would expire at once.
const NOW = new Date();
const DAY_MS = 24 * 60 * 60 * 1000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);

const sale = (productId: number, quantity: number): ProductSale => ({
  productId,
  productName: `Product ${productId}`,
  quantity,
});
const order = (eventId: string, sales: ProductSale[], completedAt = NOW): OrderSales => ({
  eventId,
  completedAt,
  sales,
});

describeWithRealServers('RedisProductSalesRanking on a real Redis', () => {
  let redis: RedisClient;
  let keyPrefix: string;
  let ranking: RedisProductSalesRanking;

  const unitsByProduct = async () =>
    (await ranking.top(100)).map(({ productId, unitsSold }) => [productId, unitsSold]);

  beforeAll(async () => {
    keyPrefix = scratchKeyPrefix();
    redis = await connectRedis(keyPrefix);
  });
  afterAll(async () => {
    await redis.deleteOwnKeys();
    await redis.close();
  });
  beforeEach(() => {
    ranking = new RedisProductSalesRanking(redis, new FixedClock(NOW));
  });
  afterEach(() => redis.deleteOwnKeys());

  it('counts a redelivered event once', async () => {
    expect(await ranking.addSalesOnce(order('event-1', [sale(1, 3), sale(2, 1)]))).toBe(true);
    expect(await ranking.addSalesOnce(order('event-1', [sale(1, 3), sale(2, 1)]))).toBe(false);
    await ranking.addSalesOnce(order('event-2', [sale(1, 2)]));

    expect(await unitsByProduct()).toEqual([
      [1, 5],
      [2, 1],
    ]);
  });

  it('counts an event once when 20 deliveries of it arrive at the same time', async () => {
    const counted = await Promise.all(
      Array.from({ length: 20 }, () => ranking.addSalesOnce(order('event-1', [sale(1, 3)]))),
    );

    expect(counted.filter(Boolean)).toHaveLength(1);
    expect(await unitsByProduct()).toEqual([[1, 3]]);
  });

  it('keeps the names of the products', async () => {
    await ranking.addSalesOnce(order('event-1', [{ productId: 4, productName: 'Keyboard', quantity: 2 }]));

    expect(await ranking.top(10)).toEqual([{ productId: 4, productName: 'Keyboard', unitsSold: 2 }]);
  });

  it(`sums the last ${RANKING_DAYS} days of completion and leaves older days out`, async () => {
    await ranking.addSalesOnce(order('today', [sale(1, 1)]));
    await ranking.addSalesOnce(order('last-day-read', [sale(1, 10)], daysAgo(RANKING_DAYS - 1)));
    await ranking.addSalesOnce(order('too-old', [sale(1, 100), sale(2, 100)], daysAgo(RANKING_DAYS)));

    expect(await unitsByProduct()).toEqual([[1, 11]]);
  });

  it('lets each day expire once the ranking no longer reads it, and the counted event ids with it', async () => {
    await ranking.addSalesOnce(order('event-1', [sale(1, 1)]));

    const dayKey = redis.key('ranking', 'products', NOW.toISOString().slice(0, 10));
    const dayEndsInSeconds = (Date.parse(NOW.toISOString().slice(0, 10)) + DAY_MS - Date.now()) / 1000;
    const dayTtl = await redis.commands.ttl(dayKey);
    const eventTtl = await redis.commands.ttl(redis.key('ranking', 'counted-events', 'event-1'));
    // Expires RANKING_DAYS days after the end of its day (to the second), whatever the time of the sale.
    expect(dayTtl).toBeGreaterThan(dayEndsInSeconds + RANKING_DAYS * 86_400 - 5);
    expect(dayTtl).toBeLessThanOrEqual(dayEndsInSeconds + RANKING_DAYS * 86_400 + 1);
    expect(eventTtl).toBe((RANKING_DAYS + 1) * 86_400);
  });

  describe('answers exactly as the table adapter for the same sales', () => {
    let database: Database;
    let remove: () => Promise<void>;
    let table: MikroOrmProductSalesRanking;

    beforeEach(async () => {
      ({ database, remove } = await openTestDatabase());
      const logger = new RecordingLogger();
      table = new MikroOrmProductSalesRanking(
        database,
        new MikroOrmTransactionManager(database, logger),
        new MikroOrmProcessedEvents(database, new FixedClock(NOW)),
      );
    });
    afterEach(() => remove());

    it('ties included: by product id, lowest first, even across the limit (10 comes after 9)', async () => {
      const orders = [
        order('event-1', [sale(10, 4), sale(9, 4), sale(2, 1)]),
        order('event-2', [sale(11, 4), sale(3, 6)], daysAgo(2)),
        order('event-3', [sale(1, 1), sale(12, 2), sale(100, 4)], daysAgo(5)),
        order('event-1', [sale(10, 4), sale(9, 4), sale(2, 1)]), // redelivered
      ];
      for (const each of orders) {
        await table.addSalesOnce(each);
        await ranking.addSalesOnce(each);
      }

      for (const limit of [1, 2, 3, 4, 5, 8, 100]) {
        expect({ limit, top: await ranking.top(limit) }).toEqual({ limit, top: await table.top(limit) });
      }
      expect((await ranking.top(3)).map((total) => total.productId)).toEqual([3, 9, 10]);
    });
  });
});
