import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Admin } from 'kafkajs';
import request from 'supertest';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { testKafka } from '../../support/servers/kafka-test-kit.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

// EVENT_PUBLISHER=sync, the anti-pattern the benchmark compares against: the order waits for the broker.
describeWithRealServers('EVENT_PUBLISHER=sync (the anti-pattern, real servers)', () => {
  let shop: TestService;
  let admin: Admin;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase();
    dropDatabase = database.drop;
    shop = await startTestService({
      EVENT_PUBLISHER: 'sync',
      KAFKA_BROKERS: kafkaBrokers(),
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
    });
    admin = testKafka().admin();
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await shop.stop();
    await admin.disconnect();
    await dropDatabase();
  });

  it('has the broker acknowledge the event before the order commits and the response leaves', async () => {
    const before = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);

    await request(shop.http)
      .post('/orders')
      .send({ userId: 1, items: [{ productId: 2, quantity: 1 }] })
      .expect(201);

    // No drainEvents(): with sync there is nothing left to wait for once the response is here.
    const after = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);
    const written = Object.entries(after).reduce(
      (sum, [partition, end]) => sum + end - (before[Number(partition)] ?? 0),
      0,
    );
    expect(written).toBe(1);
    const published = shop.logs.findIndex((line) => line.msg === 'event published');
    const placed = shop.logs.findIndex((line) => line.msg === 'order placed and committed');
    expect(published).toBeGreaterThanOrEqual(0);
    expect(published).toBeLessThan(placed);
  });

  it('warns at start that this mode is the anti-pattern', () => {
    expect(shop.logs).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: expect.stringContaining('EVENT_PUBLISHER=sync is the anti-pattern'),
      }),
    );
  });
});
