import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { consumerLag, logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { readRecords, testKafka } from '../../support/servers/kafka-test-kit.js';
import { javaDefaultPartition } from '../../support/servers/murmur2.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

// The service as `EVENT_PUBLISHER=kafka DB_DRIVER=mysql npm start` assembles it, on a real broker and a
// real MySQL-compatible server.
describeWithRealServers('orders on Kafka and MySQL (real servers)', () => {
  let shop: TestService;
  let kafka: Kafka;
  let admin: Admin;
  let dropDatabase: () => Promise<void>;

  beforeAll(async () => {
    const database = await createScratchDatabase();
    dropDatabase = database.drop;
    shop = await startTestService({
      EVENT_PUBLISHER: 'kafka',
      KAFKA_BROKERS: kafkaBrokers(),
      DB_DRIVER: 'mysql',
      DATABASE_URL: database.url,
    });
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await shop.stop();
    await admin.disconnect();
    await dropDatabase();
  });

  const placeOrder = (body: object) => request(shop.http).post('/orders').send(body).expect(201);

  it('writes one record per order: key = order id, in partition murmur2(key) mod 3, envelope and headers', async () => {
    const before = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);

    const { body: order } = await placeOrder({ userId: 1, items: [{ productId: 2, quantity: 1 }] }).set(
      'x-request-id',
      'req-kafka-1',
    );
    await shop.service.drainEvents();

    const after = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);
    const written = Object.entries(after).reduce(
      (sum, [partition, end]) => sum + end - (before[Number(partition)] ?? 0),
      0,
    );
    // Other test files may have left records earlier; after `before`, only this order wrote.
    expect(written).toBe(1);
    const [record] = await readRecords(kafka, ORDER_COMPLETED_TOPIC, 1, before);
    expect(record?.key).toBe(order.id);
    expect(record?.partition).toBe(javaDefaultPartition(order.id, 3));
    expect(record?.headers).toEqual({
      'event-id': expect.any(String),
      'event-type': 'order.completed',
      'aggregate-type': 'order',
      'aggregate-id': order.id,
      'request-id': 'req-kafka-1',
    });
    expect(JSON.parse(record?.value ?? '')).toEqual({
      eventId: record?.headers['event-id'],
      type: 'order.completed',
      version: 1,
      occurredAt: order.completedAt,
      payload: expect.objectContaining({ orderId: order.id, paidAmount: order.paidAmount }),
    });
  });

  it('delivers every event to both consumer groups, which end at lag 0', async () => {
    await shop.insert({
      users: [{ id: 1_070, name: 'Kafka fan', points: 10_000_000 }],
      products: [{ id: 71, name: 'Partition poster', price: 100, stock: 100 }],
    });
    const orders = [];
    for (let index = 0; index < 5; index += 1) {
      orders.push(
        (await placeOrder({ userId: 1_070, items: [{ productId: 71, quantity: 2 }] })).body.id as string,
      );
    }
    await shop.service.drainEvents();

    const dataPlatformSaw = shop.logs
      .filter((line) => line.msg === 'data platform received order')
      .map((line) => line['orderId']);
    expect(dataPlatformSaw).toEqual(expect.arrayContaining(orders));
    const ranking = await request(shop.http).get('/products/ranking?limit=100').expect(200);
    expect(ranking.body).toContainEqual(
      expect.objectContaining({ productId: 71, name: 'Partition poster', unitsSold: 10 }),
    );
    for (const groupId of ['data-platform', 'product-ranking']) {
      expect((await consumerLag(admin, groupId, ORDER_COMPLETED_TOPIC)).total).toBe(0);
    }
  });

  it('reports the broker in /health', async () => {
    const response = await request(shop.http).get('/health').expect(200);

    expect(response.body.components.publisher).toMatchObject({
      status: 'UP',
      details: { type: 'kafka', brokers: expect.any(Number), failedSends: 0 },
    });
    expect(response.body.components.database).toMatchObject({ status: 'UP', details: { driver: 'mysql' } });
  });
});
