import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startTestService, type TestService } from '../support/test-service.js';

// Runs against the service as `npm start` assembles it (SQLite, in-memory publisher, demo data), over HTTP.
describe('Order API', () => {
  let shop: TestService;
  beforeAll(async () => (shop = await startTestService()));
  afterAll(() => shop.stop());

  const placeOrder = (body: unknown) =>
    request(shop.http)
      .post('/orders')
      .send(body as object);

  describe('GET /products', () => {
    it('lists the catalogue with price and stock', async () => {
      const response = await request(shop.http).get('/products').expect(200);

      expect(response.body).toHaveLength(6);
      expect(response.body[0]).toEqual({ id: 1, name: 'Mechanical Keyboard', price: 89_000, stock: 1_000 });
    });
  });

  describe('POST /orders', () => {
    it('places the order, answers 201, and the event reaches both consumer groups', async () => {
      const response = await placeOrder({ userId: 1, items: [{ productId: 2, quantity: 2 }], couponId: 1 })
        .set('x-request-id', 'req-e2e-1')
        .expect(201);

      const order = response.body;
      expect(order).toMatchObject({
        status: 'COMPLETED',
        totalAmount: 78_000,
        discountAmount: 5_000,
        paidAmount: 73_000,
        items: [
          { productId: 2, productName: 'Wireless Mouse', unitPrice: 39_000, quantity: 2, amount: 78_000 },
        ],
      });
      expect(response.headers['location']).toBe(`/orders/${order.id}`);
      expect(response.headers['x-request-id']).toBe('req-e2e-1');

      await shop.service.drainEvents();
      const records = shop.publisher.published.filter((record) => record.key === order.id);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        topic: 'outside.order.completed.v1',
        headers: { 'event-type': 'order.completed', 'request-id': 'req-e2e-1' },
      });

      // The story of this request, as its info-level log lines tell it: the response is out before the
      // event is published, and each consumer group's line carries the same request id.
      const story = shop.logs
        .filter((line) => line['requestId'] === 'req-e2e-1' && Number(line['level']) >= 30)
        .map((line) => line.msg);
      expect(story.slice(0, 3)).toEqual([
        'order placed and committed',
        'request completed',
        'event published',
      ]);
      expect(story.slice(3).sort()).toEqual(['data platform received order', 'product ranking updated']);
      const received = shop.logs.find(
        (line) => line.msg === 'data platform received order' && line['orderId'] === order.id,
      );
      expect(received).toMatchObject({ groupId: 'data-platform', eventType: 'order.completed' });
    });

    it('accepts a request id it did not get, and makes one', async () => {
      const response = await placeOrder({ userId: 3, items: [{ productId: 1, quantity: 1 }] }).expect(201);

      expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('GET /products/ranking', () => {
    it('ranks products by units sold, as the product-ranking consumer counted them', async () => {
      await shop.insert({
        users: [{ id: 1_050, name: 'Ranker', points: 10_000_000 }],
        products: [
          { id: 51, name: 'Best seller', price: 100, stock: 100 },
          { id: 52, name: 'Runner-up', price: 100, stock: 100 },
        ],
      });
      await placeOrder({ userId: 1_050, items: [{ productId: 51, quantity: 30 }] }).expect(201);
      await placeOrder({
        userId: 1_050,
        items: [
          { productId: 52, quantity: 20 },
          { productId: 51, quantity: 5 },
        ],
      }).expect(201);
      await shop.service.drainEvents();

      const response = await request(shop.http).get('/products/ranking?limit=2').expect(200);

      expect(response.body).toEqual([
        { rank: 1, productId: 51, name: 'Best seller', unitsSold: 35 },
        { rank: 2, productId: 52, name: 'Runner-up', unitsSold: 20 },
      ]);
    });

    it('answers 400 for a limit it cannot serve', async () => {
      const response = await request(shop.http).get('/products/ranking?limit=0').expect(400);

      expect(response.body.error).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.body.error.message).toMatch(/^limit: /);
    });
  });

  describe('GET /orders/:id', () => {
    it('returns a placed order as POST returned it', async () => {
      const placed = await placeOrder({
        userId: 3,
        items: [
          { productId: 4, quantity: 1 },
          { productId: 3, quantity: 1 },
        ],
      });

      const response = await request(shop.http).get(`/orders/${placed.body.id}`).expect(200);

      expect(response.body).toEqual(placed.body);
    });

    it('answers 404 for an order that does not exist', async () => {
      const response = await request(shop.http)
        .get('/orders/00000000-0000-4000-8000-000000000000')
        .expect(404);

      expect(response.body.error.code).toBe('ORDER_NOT_FOUND');
    });

    it('answers 400 for something that is not an order id', async () => {
      const response = await request(shop.http).get('/orders/42').expect(400);

      expect(response.body.error).toMatchObject({
        code: 'VALIDATION_FAILED',
        message: 'id: must be an order id (a UUID)',
      });
    });
  });

  describe('GET /health', () => {
    it('reports the database and the publisher', async () => {
      const response = await request(shop.http).get('/health').expect(200);

      expect(response.body).toEqual({
        status: 'UP',
        components: {
          database: { status: 'UP', details: { driver: 'sqlite' } },
          publisher: { status: 'UP', details: { type: 'in-memory', published: expect.any(Number) } },
        },
      });
    });
  });

  describe('probes in the log', () => {
    it('logs a GET of /health or /metrics at debug, so a scraper asking every second does not bury the orders', async () => {
      await request(shop.http).get('/health').set('x-request-id', 'probe-health').expect(200);
      await request(shop.http).get('/metrics').set('x-request-id', 'probe-metrics').expect(200);
      await request(shop.http).get('/no-such-route').set('x-request-id', 'probe-404').expect(404);

      const levelOf = (requestId: string): unknown =>
        shop.logs.find((line) => line['requestId'] === requestId && line.msg === 'request completed')?.[
          'level'
        ];
      expect(levelOf('probe-health')).toBe(20);
      expect(levelOf('probe-metrics')).toBe(20);
      expect(levelOf('probe-404')).toBe(30);
    });
  });

  describe('a rejected request writes nothing and publishes nothing', () => {
    // Demo data: user 2 (Bob) has 500,000 points; product 6 costs 279,000 with 10 in stock; coupon 1 is Alice's.
    const rejected: Array<[string, () => request.Test, number, string, string]> = [
      [
        'malformed JSON',
        () =>
          request(shop.http).post('/orders').set('content-type', 'application/json').send('{"userId": 1,'),
        400,
        'MALFORMED_JSON',
        'not valid JSON',
      ],
      [
        'no JSON body',
        () => request(shop.http).post('/orders').send('userId=1'),
        400,
        'VALIDATION_FAILED',
        'body:',
      ],
      ['a missing field', () => placeOrder({ userId: 1 }), 400, 'VALIDATION_FAILED', 'items:'],
      [
        'a field of the wrong type',
        () => placeOrder({ userId: '1', items: [{ productId: 1, quantity: 1 }] }),
        400,
        'VALIDATION_FAILED',
        'userId:',
      ],
      [
        'a zero quantity',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: 0 }] }),
        400,
        'VALIDATION_FAILED',
        'items[0].quantity:',
      ],
      [
        'a negative quantity',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: -2 }] }),
        400,
        'VALIDATION_FAILED',
        'items[0].quantity:',
      ],
      [
        'a huge quantity',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: 1e9 }] }),
        400,
        'VALIDATION_FAILED',
        'items[0].quantity:',
      ],
      [
        'a fractional id',
        () => placeOrder({ userId: 1.5, items: [{ productId: 1, quantity: 1 }] }),
        400,
        'VALIDATION_FAILED',
        'userId:',
      ],
      ['no items', () => placeOrder({ userId: 1, items: [] }), 400, 'VALIDATION_FAILED', 'items:'],
      [
        'SQL in an id',
        () => placeOrder({ userId: '1; DROP TABLE orders; --', items: [{ productId: 1, quantity: 1 }] }),
        400,
        'VALIDATION_FAILED',
        'userId:',
      ],
      [
        'a script in an id',
        () => placeOrder({ userId: 1, items: [{ productId: '<script>alert(1)</script>', quantity: 1 }] }),
        400,
        'VALIDATION_FAILED',
        'items[0].productId:',
      ],
      [
        'SQL in the order id of the path',
        () => request(shop.http).get(`/orders/${encodeURIComponent("' OR '1'='1")}`),
        400,
        'VALIDATION_FAILED',
        'id',
      ],
      [
        'the same product twice',
        () =>
          placeOrder({
            userId: 1,
            items: [
              { productId: 1, quantity: 1 },
              { productId: 1, quantity: 1 },
            ],
          }),
        400,
        'VALIDATION_FAILED',
        'items: each productId may appear only once',
      ],
      [
        'an unknown field',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: 1 }], couponID: 1 }),
        400,
        'VALIDATION_FAILED',
        'couponID',
      ],
      [
        'an oversized body',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: 1 }], note: 'x'.repeat(20_000) }),
        413,
        'PAYLOAD_TOO_LARGE',
        'too large',
      ],
      [
        'an unknown user',
        () => placeOrder({ userId: 9_999, items: [{ productId: 1, quantity: 1 }] }),
        404,
        'USER_NOT_FOUND',
        'User 9999',
      ],
      [
        'an unknown product',
        () => placeOrder({ userId: 1, items: [{ productId: 99, quantity: 1 }] }),
        404,
        'PRODUCT_NOT_FOUND',
        'Product 99',
      ],
      [
        'an unknown coupon',
        () => placeOrder({ userId: 1, items: [{ productId: 1, quantity: 1 }], couponId: 99 }),
        404,
        'COUPON_NOT_FOUND',
        'Coupon 99',
      ],
      [
        'more than the stock',
        () => placeOrder({ userId: 3, items: [{ productId: 6, quantity: 11 }] }),
        409,
        'OUT_OF_STOCK',
        'has 10 in stock, 11 requested',
      ],
      [
        'more than the points',
        () => placeOrder({ userId: 2, items: [{ productId: 6, quantity: 2 }] }),
        409,
        'INSUFFICIENT_POINTS',
        'User 2 has 500000 points',
      ],
      [
        "another user's coupon",
        () => placeOrder({ userId: 2, items: [{ productId: 2, quantity: 1 }], couponId: 2 }),
        409,
        'COUPON_UNAVAILABLE',
        'issued to another user',
      ],
      [
        'an unknown route',
        () => request(shop.http).delete('/customers/1'),
        404,
        'ROUTE_NOT_FOUND',
        'No route for DELETE /customers/1',
      ],
    ];

    it.each(rejected)('%s', async (_case, send, status, code, message) => {
      const before = await shop.snapshot();
      const publishedBefore = shop.publisher.published.length;

      const response = await send().expect(status);

      expect(response.body.error.code).toBe(code);
      expect(response.body.error.message).toContain(message);
      await shop.service.drainEvents();
      expect(await shop.snapshot()).toEqual(before);
      expect(shop.publisher.published).toHaveLength(publishedBefore);
    });

    it('a coupon used a second time', async () => {
      await placeOrder({ userId: 3, items: [{ productId: 5, quantity: 1 }], couponId: 4 }).expect(201);
      await shop.service.drainEvents();
      const before = await shop.snapshot();
      const publishedBefore = shop.publisher.published.length;

      const response = await placeOrder({
        userId: 3,
        items: [{ productId: 5, quantity: 1 }],
        couponId: 4,
      }).expect(409);

      expect(response.body.error).toEqual({
        code: 'COUPON_UNAVAILABLE',
        message: 'Coupon 4 cannot be used: it has already been used',
      });
      await shop.service.drainEvents();
      expect(await shop.snapshot()).toEqual(before);
      expect(shop.publisher.published).toHaveLength(publishedBefore);
    });
  });
});
