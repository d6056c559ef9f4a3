import { afterAll, beforeAll, expect, it } from '@jest/globals';
import request from 'supertest';
import { redisUrl, describeWithRealServers } from '../../support/servers/real-servers.js';
import { connectRedis, scratchKeyPrefix } from '../../support/servers/redis-test-kit.js';
import { startTestService, type TestService } from '../../support/test-service.js';

const products = Array.from({ length: 12 }, (_, index) => ({
  id: 101 + index,
  name: `Product ${101 + index}`,
  price: 100,
  stock: 1_000,
}));

// Ties on purpose, some of them across the limit: 103, 104 and 110 sell 5 each, 105 and 112 sell 2 each.
const orders = [
  [{ productId: 110, quantity: 5 }],
  [
    { productId: 103, quantity: 3 },
    { productId: 101, quantity: 9 },
  ],
  [{ productId: 104, quantity: 5 }],
  [
    { productId: 103, quantity: 2 },
    { productId: 112, quantity: 2 },
  ],
  [
    { productId: 105, quantity: 2 },
    { productId: 111, quantity: 1 },
  ],
];

describeWithRealServers('GET /products/ranking, from the table and from Redis', () => {
  const keyPrefix = scratchKeyPrefix();
  let table: TestService;
  let redis: TestService;

  const placeOrders = async (shop: TestService) => {
    await shop.insert({ users: [{ id: 900_001, name: 'Ranker', points: 10_000_000 }], products });
    for (const items of orders) {
      await request(shop.http).post('/orders').send({ userId: 900_001, items }).expect(201);
    }
    await shop.service.drainEvents();
  };

  beforeAll(async () => {
    table = await startTestService({ PRODUCT_RANKING: 'table' });
    redis = await startTestService({
      PRODUCT_RANKING: 'redis',
      REDIS_URL: redisUrl(),
      REDIS_KEY_PREFIX: keyPrefix,
    });
    await placeOrders(table);
    await placeOrders(redis);
  });
  afterAll(async () => {
    await redis?.stop();
    await table?.stop();
    const cleaner = await connectRedis(keyPrefix);
    await cleaner.deleteOwnKeys();
    await cleaner.close();
  });

  it.each([1, 2, 3, 4, 5, 6, 10])('answers the same for limit=%i', async (limit) => {
    const fromTable = await request(table.http).get(`/products/ranking?limit=${limit}`).expect(200);
    const fromRedis = await request(redis.http).get(`/products/ranking?limit=${limit}`).expect(200);

    expect(fromRedis.body).toEqual(fromTable.body);
  });

  it('ranks ties by product id', async () => {
    const response = await request(redis.http).get('/products/ranking?limit=4').expect(200);

    expect(response.body).toEqual([
      { rank: 1, productId: 101, name: 'Product 101', unitsSold: 9 },
      { rank: 2, productId: 103, name: 'Product 103', unitsSold: 5 },
      { rank: 3, productId: 104, name: 'Product 104', unitsSold: 5 },
      { rank: 4, productId: 110, name: 'Product 110', unitsSold: 5 },
    ]);
  });

  it('reports Redis in /health', async () => {
    const response = await request(redis.http).get('/health').expect(200);

    expect(response.body.components.redis).toMatchObject({ status: 'UP', details: { url: redisUrl() } });
  });
});
