import 'reflect-metadata';
import { Container, type Newable } from 'inversify';
import type { DestinationStream } from 'pino';
import { GetIssueRequest } from '../../application/coupon-campaign/get-issue-request/get-issue-request.js';
import { IssueRequestQueue } from '../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import { IssueRequestStatuses } from '../../application/coupon-campaign/issue-requests/issue-request-statuses.js';
import { PublishQueuedIssueRequests } from '../../application/coupon-campaign/issue-requests/publish-queued-issue-requests.js';
import { ListCouponCampaigns } from '../../application/coupon-campaign/list-coupon-campaigns/list-coupon-campaigns.js';
import { RequestCoupon } from '../../application/coupon-campaign/request-coupon/request-coupon.js';
import { IssueCoupon } from '../../application/coupon-campaign/issue-coupon/issue-coupon.js';
import { IssueCouponDirectly } from '../../application/coupon-campaign/issue-coupon-directly/issue-coupon-directly.js';
import { CheckHealth } from '../../application/health/check-health.js';
import { HealthIndicator } from '../../application/health/health-indicator.js';
import { OrderEventListener } from '../../application/order/events/order-event-listener.js';
import { GetOrder } from '../../application/order/get-order/get-order.js';
import { PlaceOrder } from '../../application/order/place-order/place-order.js';
import { ListProducts } from '../../application/product/list-products/list-products.js';
import { GetProductRanking } from '../../application/product/ranking/get-product-ranking.js';
import { ProductSalesRanking } from '../../application/product/ranking/product-sales-ranking.js';
import { RecordProductSales } from '../../application/product/ranking/record-product-sales.js';
import { Clock } from '../../application/shared/clock.js';
import { DomainEventDispatcher } from '../../application/shared/events/domain-event-dispatcher.js';
import { TransactionalEventDispatcher } from '../../application/shared/events/transactional-event-dispatcher.js';
import { IdempotentReceiver } from '../../application/shared/messaging/idempotent-receiver.js';
import { ProcessedEvents } from '../../application/shared/messaging/processed-events.js';
import { Logger } from '../../application/shared/logger.js';
import { RequestContext } from '../../application/shared/request-context.js';
import { TransactionManager } from '../../application/shared/transaction-manager.js';
import { CouponRepository } from '../../domain/coupon/coupon-repository.js';
import { CouponCampaignRepository } from '../../domain/coupon-campaign/coupon-campaign-repository.js';
import { OrderCompleted } from '../../domain/order/order-completed.js';
import { OrderRepository } from '../../domain/order/order-repository.js';
import { ProductRepository } from '../../domain/product/product-repository.js';
import { UserRepository } from '../../domain/user/user-repository.js';
import { CouponIssuer } from '../../interfaces/messaging/consumers/coupon-issuer.js';
import { DataPlatformInterlock } from '../../interfaces/messaging/consumers/data-platform-interlock.js';
import { ProductRankingUpdater } from '../../interfaces/messaging/consumers/product-ranking-updater.js';
import {
  IssueRequestScheduler,
  IssueRequestSchedulerSettings,
} from '../../interfaces/scheduling/issue-request-scheduler.js';
import type { MessageConsumer } from '../../application/shared/messaging/message-consumer.js';
import type { Config } from '../config/config.js';
import { installFaultInjection } from '../fault-injection/install-fault-injection.js';
import { RedisClient } from '../key-value/redis/redis-client.js';
import { RedisHealthIndicator } from '../key-value/redis/redis-health-indicator.js';
import { RedisIssueRequestQueue } from '../key-value/redis/redis-issue-request-queue.js';
import { RedisIssueRequestStatuses } from '../key-value/redis/redis-issue-request-statuses.js';
import { RedisProductSalesRanking } from '../key-value/redis/redis-product-sales-ranking.js';
import { InMemoryIssueRequestQueue } from '../key-value/in-memory/in-memory-issue-request-queue.js';
import { InMemoryIssueRequestStatuses } from '../key-value/in-memory/in-memory-issue-request-statuses.js';
import { RetryPolicy } from '../messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../observability/async-local-storage-request-context.js';
import { OrdersPlacedCounter } from '../observability/metrics/orders-placed-counter.js';
import { ServiceMetrics } from '../observability/metrics/service-metrics.js';
import { createLogger } from '../observability/pino-logger.js';
import { Database } from '../persistence/mikro-orm/database.js';
import { DatabaseHealthIndicator } from '../persistence/mikro-orm/database-health-indicator.js';
import { MikroOrmTransactionManager } from '../persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponCampaignRepository } from '../persistence/mikro-orm/repositories/mikro-orm-coupon-campaign-repository.js';
import { MikroOrmCouponRepository } from '../persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { MikroOrmOrderRepository } from '../persistence/mikro-orm/repositories/mikro-orm-order-repository.js';
import { MikroOrmProcessedEvents } from '../persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductRepository } from '../persistence/mikro-orm/repositories/mikro-orm-product-repository.js';
import { MikroOrmProductSalesRanking } from '../persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { MikroOrmUserRepository } from '../persistence/mikro-orm/repositories/mikro-orm-user-repository.js';
import { SystemClock } from '../time/system-clock.js';
import { bindServiceMetrics, registerScrapeTimeMetrics, startSeriesAtZero } from './metrics.js';
import { bindPublishingMode, publishingModes } from './publishing-modes.js';

/** Inbound message adapters, each in a consumer group of its own: every group receives every event. */
export const messageConsumers: readonly Newable<MessageConsumer>[] = [
  DataPlatformInterlock,
  ProductRankingUpdater,
  CouponIssuer,
];

/** Caps the exponential backoff between a consumer's attempts. */
const MAX_CONSUMER_BACKOFF_MS = 5_000;

export interface ContainerOptions {
  /** Where log lines go (default: stdout). */
  readonly logDestination?: DestinationStream;
}

/**
 * The composition root: the one place that knows which adapter implements which port. Ports are
 * abstract classes, so each `bind(Port).to(Adapter)` is checked by the compiler.
 */
export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });

  const requestContext = new AsyncLocalStorageRequestContext();
  container.bind(RequestContext).toConstantValue(requestContext);
  container
    .bind(Logger)
    .toConstantValue(createLogger(config.logging, requestContext, options.logDestination));
  container.bind(Clock).to(SystemClock);
  await bindCouponQueue(container, config);

  const { database, appliedMigrations } = await Database.open(config.database);
  container.get(Logger).info({ driver: database.driver, appliedMigrations }, 'database ready');
  container.bind(Database).toConstantValue(database);
  container.bind(TransactionManager).to(MikroOrmTransactionManager);
  container.bind(UserRepository).to(MikroOrmUserRepository);
  container.bind(ProductRepository).to(MikroOrmProductRepository);
  container.bind(CouponRepository).to(MikroOrmCouponRepository);
  container.bind(CouponCampaignRepository).to(MikroOrmCouponCampaignRepository);
  container.bind(OrderRepository).to(MikroOrmOrderRepository);
  container.bind(ProcessedEvents).to(MikroOrmProcessedEvents);
  container.bind(HealthIndicator).to(DatabaseHealthIndicator);

  if (usesRedis(config)) {
    // Connected by OrderService.start, before the consumers start; closed after they stop.
    container.bind(RedisClient).toConstantValue(new RedisClient(config.redis, container.get(Logger)));
    container.bind(HealthIndicator).to(RedisHealthIndicator);
  }
  container
    .bind(ProductSalesRanking)
    .to(config.productRanking === 'redis' ? RedisProductSalesRanking : MikroOrmProductSalesRanking);

  const { maxAttempts, initialBackoffMs } = config.consumerRetry;
  container
    .bind(RetryPolicy)
    .toConstantValue(new RetryPolicy(maxAttempts, initialBackoffMs, MAX_CONSUMER_BACKOFF_MS));

  bindServiceMetrics(container, config);
  // What EVENT_PUBLISHER selects: the publisher, its runtime, its health, and the listener's phase.
  const mode = publishingModes[config.eventPublisher];
  bindPublishingMode(container, mode, config);

  container.bind(TransactionalEventDispatcher).toSelf();
  container.bind(DomainEventDispatcher).toService(TransactionalEventDispatcher);
  container.bind(OrderEventListener).toSelf();
  installFaultInjection(container, config.faults, messageConsumers); // test-only: nothing without TEST_FAULT_INJECTION
  container
    .get(TransactionalEventDispatcher)
    .subscribe(OrderCompleted, container.get(OrderEventListener), mode.listenerPhase);
  container
    .get(TransactionalEventDispatcher)
    .subscribe(OrderCompleted, new OrdersPlacedCounter(container.get(ServiceMetrics)), 'after-commit');

  container.bind(PlaceOrder).toSelf();
  container.bind(GetOrder).toSelf();
  container.bind(ListProducts).toSelf();
  container.bind(RecordProductSales).toSelf();
  container.bind(GetProductRanking).toSelf();
  container.bind(CheckHealth).toSelf();
  container.bind(ListCouponCampaigns).toSelf();
  container.bind(RequestCoupon).toSelf();
  container.bind(GetIssueRequest).toSelf();
  container.bind(PublishQueuedIssueRequests).toSelf();
  container.bind(IssueRequestSchedulerSettings).toConstantValue(config.couponQueue);
  container.bind(IssueRequestScheduler).toSelf();
  container.bind(IssueCoupon).toSelf();
  container.bind(IssueCouponDirectly).toSelf();

  container.bind(IdempotentReceiver).toSelf();
  for (const consumer of messageConsumers) container.bind(consumer).toSelf();
  const consumers = resolveConsumers(container);
  startSeriesAtZero(container, consumers);
  registerScrapeTimeMetrics(container, consumers);
  return container;
}

/** Whether an adapter chosen by configuration keeps its data in Redis: only then does the service connect to one. */
export function usesRedis(config: Config): boolean {
  return config.productRanking === 'redis' || config.couponQueue.type === 'redis';
}

/**
 * What COUPON_QUEUE selects: the waiting line of the coupon rush and the store of its outcomes. (With
 * `direct` the queue is never used: the coupon is issued inside the HTTP request.)
 */
async function bindCouponQueue(container: Container, config: Config): Promise<void> {
  switch (config.couponQueue.type) {
    case 'in-memory':
    case 'direct':
      container.bind(IssueRequestQueue).to(InMemoryIssueRequestQueue);
      container.bind(IssueRequestStatuses).to(InMemoryIssueRequestStatuses);
      return;
    case 'redis':
      container.bind(IssueRequestQueue).to(RedisIssueRequestQueue);
      container.bind(IssueRequestStatuses).to(RedisIssueRequestStatuses);
      return;
  }
}

/** The message consumers, as the container builds them: started by the service's MessagingRuntime. */
export function resolveConsumers(container: Container): MessageConsumer[] {
  return messageConsumers.map((consumerClass) => container.get(consumerClass));
}
