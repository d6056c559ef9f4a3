import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { COUPON_ISSUE_REQUESTED_TOPIC } from '../../src/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
import { ORDER_COMPLETED_TOPIC } from '../../src/application/order/events/order-completed-message.js';
import { sampleValue } from '../support/prometheus-text.js';
import { startTestService, type TestService } from '../support/test-service.js';

// GET /metrics on the embedded default (SQLite, in-memory publisher), as Prometheus would scrape it.
describe('GET /metrics', () => {
  let shop: TestService;
  beforeAll(async () => (shop = await startTestService()));
  afterAll(() => shop.stop());

  const scrape = async () => {
    const response = await request(shop.http).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    return response.text;
  };

  it('answers 0, not a missing series, for what has not happened yet: every group and topic of the service', async () => {
    const text = await scrape();

    for (const topic of [ORDER_COMPLETED_TOPIC, COUPON_ISSUE_REQUESTED_TOPIC]) {
      expect(sampleValue(text, 'events_publish_failed_total', { mode: 'in-memory', topic })).toBe(0);
    }
    for (const [group, topic] of [
      ['data-platform', ORDER_COMPLETED_TOPIC],
      ['product-ranking', ORDER_COMPLETED_TOPIC],
      ['coupon-issuer', COUPON_ISSUE_REQUESTED_TOPIC],
    ] as const) {
      expect(sampleValue(text, 'consumer_records_retried_total', { group, topic })).toBe(0);
      expect(sampleValue(text, 'consumer_records_dead_lettered_total', { group, topic })).toBe(0);
    }
  });

  it('counts an order: placed, published in-memory, handled by both consumer groups, its request timed', async () => {
    const order = await request(shop.http)
      .post('/orders')
      .send({ userId: 1, items: [{ productId: 2, quantity: 1 }] })
      .expect(201);
    await request(shop.http).get(`/orders/${order.body.id}`).expect(200);
    await shop.service.drainEvents();

    const text = await scrape();

    expect(sampleValue(text, 'event_publisher_info', { mode: 'in-memory' })).toBe(1);
    expect(sampleValue(text, 'orders_placed_total')).toBe(1);
    expect(
      sampleValue(text, 'events_published_total', { mode: 'in-memory', topic: ORDER_COMPLETED_TOPIC }),
    ).toBe(1);
    for (const group of ['data-platform', 'product-ranking']) {
      expect(
        sampleValue(text, 'consumer_records_handled_total', { group, topic: ORDER_COMPLETED_TOPIC }),
      ).toBe(1);
    }
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'POST',
        route: '/orders',
        status: '201',
      }),
    ).toBe(1);
    // The route's pattern, not the order's URL: one series however many orders there are.
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: '/orders/:id',
        status: '200',
      }),
    ).toBe(1);
    expect(text).not.toContain(order.body.id);
    expect(sampleValue(text, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it('does not count an order that was refused, and labels an unknown URL "unmatched"', async () => {
    await shop.insert({ products: [{ id: 81, name: 'Last one', price: 100, stock: 1 }] });
    const before = sampleValue(await scrape(), 'orders_placed_total');

    // Out of stock: the transaction rolls back, and the event it recorded is never dispatched.
    await request(shop.http)
      .post('/orders')
      .send({ userId: 1, items: [{ productId: 81, quantity: 2 }] })
      .expect(409);
    await request(shop.http).get('/no-such-page/42').expect(404);
    await shop.service.drainEvents();

    const text = await scrape();
    expect(sampleValue(text, 'orders_placed_total')).toBe(before);
    expect(
      sampleValue(text, 'http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status: '404',
      }),
    ).toBe(1);
    expect(text).not.toContain('/no-such-page');
  });

  it('has no outbox or lag gauges on the in-memory publisher', async () => {
    const text = await scrape();

    expect(text).not.toContain('outbox_pending_rows');
    expect(text).not.toContain('consumer_lag_records');
  });
});
