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
import { itBehavesLikeAProductSalesRanking } from '../../support/contracts/product-sales-ranking-contract.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { describeWithRealServers } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';

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

  describe('held to the ProductSalesRanking contract', () => {
    itBehavesLikeAProductSalesRanking(
      async () => new RedisProductSalesRanking(redis, new FixedClock(new Date())),
    );
  });

  // What only Redis does: a window of days, each day's key expiring.

  it(`sums the last ${RANKING_DAYS} days of completion and leaves older days out`, async () => {
    await ranking.addSalesOnce([order('today', [sale(1, 1)])]);
    await ranking.addSalesOnce([order('last-day-read', [sale(1, 10)], daysAgo(RANKING_DAYS - 1))]);
    await ranking.addSalesOnce([order('too-old', [sale(1, 100), sale(2, 100)], daysAgo(RANKING_DAYS))]);

    expect(await unitsByProduct()).toEqual([[1, 11]]);
  });

  it('lets each day expire once the ranking no longer reads it, and the counted event ids with it', async () => {
    await ranking.addSalesOnce([order('event-1', [sale(1, 1)])]);

    const dayKey = redis.key('ranking', 'products', NOW.toISOString().slice(0, 10));
    const dayEndsInSeconds = (Date.parse(NOW.toISOString().slice(0, 10)) + DAY_MS - Date.now()) / 1000;
    const dayTtl = await redis.commands.ttl(dayKey);
    const eventTtl = await redis.commands.ttl(redis.key('ranking', 'counted-events', 'event-1'));
    // Expires RANKING_DAYS days after the end of its day (to the second), whatever the time of the sale.
    expect(dayTtl).toBeGreaterThan(dayEndsInSeconds + RANKING_DAYS * 86_400 - 5);
    expect(dayTtl).toBeLessThanOrEqual(dayEndsInSeconds + RANKING_DAYS * 86_400 + 1);
    expect(eventTtl).toBe((RANKING_DAYS + 1) * 86_400);
  });
});
