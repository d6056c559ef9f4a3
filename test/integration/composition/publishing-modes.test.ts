import { afterEach, describe, expect, it } from '@jest/globals';
import type { Container } from 'inversify';
import { HealthIndicator } from '../../../src/application/health/health-indicator.js';
import { PlaceOrder } from '../../../src/application/order/place-order/place-order.js';
import { GlobalEventPublisher } from '../../../src/domain/shared/global-event-publisher.js';
import { loadConfig } from '../../../src/infrastructure/config/config.js';
import { createContainer, resolveConsumers } from '../../../src/infrastructure/di/container.js';
import { publishingModes } from '../../../src/infrastructure/di/publishing-modes.js';
import { PublishQueuedIssueRequests } from '../../../src/application/coupon-campaign/issue-requests/publish-queued-issue-requests.js';
import { RequestCoupon } from '../../../src/application/coupon-campaign/request-coupon/request-coupon.js';
import { IssueRequestQueue } from '../../../src/application/coupon-campaign/issue-requests/issue-request-queue.js';
import {
  CrashAfterTakingRequests,
  CrashWhileConsuming,
} from '../../../src/infrastructure/fault-injection/crash-points.js';
import { InMemoryIssueRequestQueue } from '../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { IssueRequestStatuses } from '../../../src/application/coupon-campaign/issue-requests/issue-request-statuses.js';
import { ProductSalesRanking } from '../../../src/application/product/ranking/product-sales-ranking.js';
import { RedisClient } from '../../../src/infrastructure/key-value/redis/redis-client.js';
import { RedisIssueRequestQueue } from '../../../src/infrastructure/key-value/redis/redis-issue-request-queue.js';
import { RedisIssueRequestStatuses } from '../../../src/infrastructure/key-value/redis/redis-issue-request-statuses.js';
import { RedisProductSalesRanking } from '../../../src/infrastructure/key-value/redis/redis-product-sales-ranking.js';
import { MikroOrmProductSalesRanking } from '../../../src/infrastructure/persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { MessagingRuntime } from '../../../src/infrastructure/messaging/messaging-runtime.js';
import { OutboxRelay } from '../../../src/infrastructure/messaging/outbox/outbox-relay.js';
import { OutboxStore } from '../../../src/infrastructure/messaging/outbox/outbox-store.js';
import { MeteredGlobalEventPublisher } from '../../../src/infrastructure/observability/metrics/metered-global-event-publisher.js';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { seedDemoData } from '../../../src/infrastructure/persistence/mikro-orm/demo-data.js';
import { temporaryFolder, type TemporaryFolder } from '../../support/test-database.js';

// The container is assembled, never started: nothing here connects to Kafka.
describe('the composition root, per publishing mode', () => {
  let folder: TemporaryFolder;
  let container: Container | undefined;

  afterEach(async () => {
    await container?.get(Database).close();
    container = undefined;
    folder.remove();
  });

  async function assemble(environment: NodeJS.ProcessEnv): Promise<Container> {
    folder = temporaryFolder();
    const config = loadConfig({
      SQLITE_FILE: folder.path('orders.sqlite'),
      LOG_LEVEL: 'silent',
      KAFKA_BROKERS: 'localhost:1',
      ...environment,
    });
    container = await createContainer(config, { logDestination: { write: () => undefined } });
    return container;
  }

  it.each(Object.entries(publishingModes))(
    'binds what the %s record declares: its publisher, its runtime, its health indicators',
    async (name, mode) => {
      const assembled = await assemble({ EVENT_PUBLISHER: name });

      // The mode's publisher, inside the decorator that counts its publishes for /metrics.
      const publisher = assembled.get(GlobalEventPublisher);
      expect(publisher).toBeInstanceOf(MeteredGlobalEventPublisher);
      expect((publisher as MeteredGlobalEventPublisher).publisher).toBeInstanceOf(mode.publisher);
      expect(assembled.get(MessagingRuntime)).toBeInstanceOf(mode.runtime);
      const indicators = assembled.getAll(HealthIndicator).map((indicator) => indicator.constructor);
      expect(indicators).toEqual(expect.arrayContaining([...mode.healthIndicators]));
      expect(indicators).toHaveLength(mode.healthIndicators.length + 1); // + the database's
    },
  );

  it("builds the outbox relay with the configuration's settings", async () => {
    const assembled = await assemble({
      EVENT_PUBLISHER: 'outbox',
      OUTBOX_POLL_INTERVAL_MS: '250',
      OUTBOX_BATCH_SIZE: '7',
      OUTBOX_MAX_ATTEMPTS: '3',
    });

    const { settings } = assembled.get(OutboxRelay);
    expect(settings).toMatchObject({ pollIntervalMs: 250, batchSize: 7 });
    expect(settings.retryPolicy.maxAttempts).toBe(3);
  });

  it("runs the order's event listener before COMMIT in the outbox mode: the row is there when the order is", async () => {
    const assembled = await assemble({ EVENT_PUBLISHER: 'outbox' });
    await seedDemoData(assembled.get(Database));

    await assembled.get(PlaceOrder).execute({ userId: 1, items: [{ productId: 1, quantity: 1 }] });

    expect(await assembled.get(OutboxStore).backlog()).toMatchObject({ pending: 1 });
  });

  it('writes the coupon scheduler’s messages as outbox rows, in its transaction, in the outbox mode', async () => {
    const assembled = await assemble({ EVENT_PUBLISHER: 'outbox' });
    await seedDemoData(assembled.get(Database));
    await assembled.get(RequestCoupon).execute({ campaignId: 2, userId: 4 });
    await assembled.get(RequestCoupon).execute({ campaignId: 2, userId: 5 });

    expect(await assembled.get(PublishQueuedIssueRequests).execute(10)).toMatchObject({ count: 2 });

    expect(await assembled.get(OutboxStore).backlog()).toMatchObject({ pending: 2 });
  });

  it('wraps no consumer without TEST_FAULT_INJECTION', async () => {
    const assembled = await assemble({});

    expect(resolveConsumers(assembled).some((consumer) => consumer instanceof CrashWhileConsuming)).toBe(
      false,
    );
  });

  it('wraps the consumer of the group TEST_FAULT_INJECTION names, and only that one', async () => {
    const assembled = await assemble({ TEST_FAULT_INJECTION: 'crash-before-handling:product-ranking' });

    const wrapped = resolveConsumers(assembled).filter((consumer) => consumer instanceof CrashWhileConsuming);
    expect(wrapped.map((consumer) => consumer.groupId)).toEqual(['product-ranking']);
  });

  it('binds the in-memory coupon queue by default', async () => {
    expect((await assemble({})).get(IssueRequestQueue)).toBeInstanceOf(InMemoryIssueRequestQueue);
  });

  it('wraps the coupon queue in the crash point TEST_FAULT_INJECTION names', async () => {
    const assembled = await assemble({ TEST_FAULT_INJECTION: 'crash-after-taking-requests' });

    expect(assembled.get(IssueRequestQueue)).toBeInstanceOf(CrashAfterTakingRequests);
  });

  it('binds the Redis queue and status store for COUPON_QUEUE=redis, with a Redis client and its health', async () => {
    const assembled = await assemble({ COUPON_QUEUE: 'redis' });

    expect(assembled.get(IssueRequestQueue)).toBeInstanceOf(RedisIssueRequestQueue);
    expect(assembled.get(IssueRequestStatuses)).toBeInstanceOf(RedisIssueRequestStatuses);
    expect(assembled.get(ProductSalesRanking)).toBeInstanceOf(MikroOrmProductSalesRanking);
    expect(assembled.getAll(HealthIndicator).map((indicator) => indicator.component)).toContain('redis');
  });

  it('binds the Redis ranking for PRODUCT_RANKING=redis, and no Redis client when nothing uses one', async () => {
    expect((await assemble({ PRODUCT_RANKING: 'redis' })).get(ProductSalesRanking)).toBeInstanceOf(
      RedisProductSalesRanking,
    );
    await container?.get(Database).close();
    folder.remove();

    const withoutRedis = await assemble({});
    expect(withoutRedis.isBound(RedisClient)).toBe(false);
    expect(withoutRedis.get(ProductSalesRanking)).toBeInstanceOf(MikroOrmProductSalesRanking);
  });
});
