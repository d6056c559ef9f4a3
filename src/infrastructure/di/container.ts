import 'reflect-metadata';
import { Container, type Newable } from 'inversify';
import type { DestinationStream } from 'pino';
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
import { DomainEventPublisher } from '../../application/shared/events/domain-event-publisher.js';
import {
  TransactionalEventDispatcher,
  type TransactionPhase,
} from '../../application/shared/events/transactional-event-dispatcher.js';
import { IdempotentReceiver } from '../../application/shared/messaging/idempotent-receiver.js';
import { ProcessedEvents } from '../../application/shared/messaging/processed-events.js';
import { Logger } from '../../application/shared/logger.js';
import { RequestContext } from '../../application/shared/request-context.js';
import { TransactionManager } from '../../application/shared/transaction-manager.js';
import { CouponRepository } from '../../domain/coupon/coupon-repository.js';
import { OrderCompleted } from '../../domain/order/order-completed.js';
import { OrderRepository } from '../../domain/order/order-repository.js';
import { ProductRepository } from '../../domain/product/product-repository.js';
import { GlobalEventPublisher } from '../../domain/shared/global-event-publisher.js';
import { UserRepository } from '../../domain/user/user-repository.js';
import { DataPlatformInterlock } from '../../interfaces/messaging/consumers/data-platform-interlock.js';
import { ProductRankingUpdater } from '../../interfaces/messaging/consumers/product-ranking-updater.js';
import type { MessageConsumer } from '../../application/shared/messaging/message-consumer.js';
import type { Config, EventPublisherType } from '../config/config.js';
import { CrashAfterCommit, CrashWhileConsuming } from '../fault-injection/crash-points.js';
import { InMemoryGlobalEventPublisher } from '../messaging/in-memory/in-memory-global-event-publisher.js';
import { InMemoryMessagingRuntime } from '../messaging/in-memory/in-memory-messaging-runtime.js';
import { InMemoryPublisherHealthIndicator } from '../messaging/in-memory/in-memory-publisher-health-indicator.js';
import { KafkaClient } from '../messaging/kafka/kafka-client.js';
import { KafkaGlobalEventPublisher } from '../messaging/kafka/kafka-global-event-publisher.js';
import { KafkaHealthIndicator } from '../messaging/kafka/kafka-health-indicator.js';
import { KafkaMessagingRuntime } from '../messaging/kafka/kafka-messaging-runtime.js';
import { RetryPolicy } from '../messaging/listener/retry-policy.js';
import { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { OutboxGlobalEventPublisher } from '../messaging/outbox/outbox-global-event-publisher.js';
import { OutboxHealthIndicator } from '../messaging/outbox/outbox-health-indicator.js';
import { OutboxMessagingRuntime } from '../messaging/outbox/outbox-messaging-runtime.js';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.js';
import { OutboxStore } from '../messaging/outbox/outbox-store.js';
import { SynchronousKafkaGlobalEventPublisher } from '../messaging/sync/synchronous-kafka-global-event-publisher.js';
import { AsyncLocalStorageRequestContext } from '../observability/async-local-storage-request-context.js';
import { createLogger } from '../observability/pino-logger.js';
import { Database } from '../persistence/mikro-orm/database.js';
import { DatabaseHealthIndicator } from '../persistence/mikro-orm/database-health-indicator.js';
import { MikroOrmTransactionManager } from '../persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { MikroOrmCouponRepository } from '../persistence/mikro-orm/repositories/mikro-orm-coupon-repository.js';
import { MikroOrmOrderRepository } from '../persistence/mikro-orm/repositories/mikro-orm-order-repository.js';
import { MikroOrmProcessedEvents } from '../persistence/mikro-orm/repositories/mikro-orm-processed-events.js';
import { MikroOrmProductRepository } from '../persistence/mikro-orm/repositories/mikro-orm-product-repository.js';
import { MikroOrmProductSalesRanking } from '../persistence/mikro-orm/repositories/mikro-orm-product-sales-ranking.js';
import { MikroOrmUserRepository } from '../persistence/mikro-orm/repositories/mikro-orm-user-repository.js';
import { SystemClock } from '../time/system-clock.js';

/** Inbound message adapters, each in a consumer group of its own: every group receives every event. */
export const messageConsumers: readonly Newable<MessageConsumer>[] = [
  DataPlatformInterlock,
  ProductRankingUpdater,
];

/** Caps the exponential backoff between a consumer's attempts. */
const MAX_CONSUMER_BACKOFF_MS = 5_000;
/** The outbox relay's backoff after a failed send: 1 s, doubling, at most a minute. */
const OUTBOX_INITIAL_BACKOFF_MS = 1_000;
const OUTBOX_MAX_BACKOFF_MS = 60_000;

/**
 * When the order's event listener runs. The outbox writes its row in the order's own transaction, so it
 * runs before COMMIT; the publishers that talk to the outside world run after it, which must hear only of
 * orders that committed (docs/adr/006). `sync` is the exception on purpose: the anti-pattern the
 * benchmark measures, an order that waits for the broker inside its transaction.
 */
const publishingPhase: Record<EventPublisherType, TransactionPhase> = {
  'in-memory': 'after-commit',
  kafka: 'after-commit',
  outbox: 'before-commit',
  sync: 'before-commit',
};

/**
 * The composition root: the one place that knows which adapter implements which port. Ports are
 * abstract classes, so each `bind(Port).to(Adapter)` is checked by the compiler.
 */
export interface ContainerOptions {
  /** Where log lines go (default: stdout). */
  readonly logDestination?: DestinationStream;
}

export async function createContainer(config: Config, options: ContainerOptions = {}): Promise<Container> {
  const container = new Container({ defaultScope: 'Singleton' });

  const requestContext = new AsyncLocalStorageRequestContext();
  container.bind(RequestContext).toConstantValue(requestContext);
  container
    .bind(Logger)
    .toConstantValue(createLogger(config.logging, requestContext, options.logDestination));
  container.bind(Clock).to(SystemClock);

  const { database, appliedMigrations } = await Database.open(config.database);
  container.get(Logger).info({ driver: database.driver, appliedMigrations }, 'database ready');
  container.bind(Database).toConstantValue(database);
  container.bind(TransactionManager).to(MikroOrmTransactionManager);
  container.bind(UserRepository).to(MikroOrmUserRepository);
  container.bind(ProductRepository).to(MikroOrmProductRepository);
  container.bind(CouponRepository).to(MikroOrmCouponRepository);
  container.bind(OrderRepository).to(MikroOrmOrderRepository);
  container.bind(ProductSalesRanking).to(MikroOrmProductSalesRanking);
  container.bind(ProcessedEvents).to(MikroOrmProcessedEvents);
  container.bind(HealthIndicator).to(DatabaseHealthIndicator);

  const { maxAttempts, initialBackoffMs } = config.consumerRetry;
  container
    .bind(RetryPolicy)
    .toConstantValue(new RetryPolicy(maxAttempts, initialBackoffMs, MAX_CONSUMER_BACKOFF_MS));

  // The event publisher is the one adapter chosen by configuration (EVENT_PUBLISHER).
  switch (config.eventPublisher) {
    case 'in-memory':
      container.bind(InMemoryGlobalEventPublisher).toSelf();
      container.bind(GlobalEventPublisher).toService(InMemoryGlobalEventPublisher);
      container.bind(MessagingRuntime).to(InMemoryMessagingRuntime);
      container.bind(HealthIndicator).to(InMemoryPublisherHealthIndicator);
      break;
    case 'kafka':
      bindKafka(container, config);
      container.bind(GlobalEventPublisher).toService(KafkaGlobalEventPublisher);
      container.bind(MessagingRuntime).toService(KafkaMessagingRuntime);
      break;
    case 'outbox':
      bindKafka(container, config); // the relay's transport, and the consumers
      container.bind(OutboxStore).toSelf();
      container.bind(OutboxRelay).toDynamicValue(
        (context) =>
          new OutboxRelay(
            context.get(OutboxStore),
            context.get(KafkaGlobalEventPublisher),
            context.get(TransactionManager),
            context.get(Clock),
            context.get(Logger),
            {
              pollIntervalMs: config.outbox.pollIntervalMs,
              batchSize: config.outbox.batchSize,
              retryPolicy: new RetryPolicy(
                config.outbox.maxAttempts,
                OUTBOX_INITIAL_BACKOFF_MS,
                OUTBOX_MAX_BACKOFF_MS,
              ),
              retentionMs: config.outbox.retentionMs,
            },
          ),
      );
      container.bind(OutboxGlobalEventPublisher).toSelf();
      container.bind(GlobalEventPublisher).toService(OutboxGlobalEventPublisher);
      container.bind(OutboxMessagingRuntime).toSelf();
      container.bind(MessagingRuntime).toService(OutboxMessagingRuntime);
      container.bind(HealthIndicator).to(OutboxHealthIndicator);
      break;
    case 'sync':
      bindKafka(container, config);
      container.bind(SynchronousKafkaGlobalEventPublisher).toSelf();
      container.bind(GlobalEventPublisher).toService(SynchronousKafkaGlobalEventPublisher);
      container.bind(MessagingRuntime).toService(KafkaMessagingRuntime);
      container
        .get(Logger)
        .warn(
          { publisher: 'sync' },
          'EVENT_PUBLISHER=sync is the anti-pattern the benchmark measures: every order waits for the broker ' +
            'inside its transaction. Use kafka or outbox.',
        );
      break;
  }

  container.bind(TransactionalEventDispatcher).toSelf();
  container.bind(DomainEventPublisher).toService(TransactionalEventDispatcher);
  container.bind(OrderEventListener).toSelf();
  const dispatcher = container.get(TransactionalEventDispatcher);
  if (config.faults.some((fault) => fault.kind === 'crash-after-commit')) {
    dispatcher.subscribe(OrderCompleted, new CrashAfterCommit(container.get(Logger)));
  }
  dispatcher.subscribe(
    OrderCompleted,
    container.get(OrderEventListener),
    publishingPhase[config.eventPublisher],
  );

  container.bind(PlaceOrder).toSelf();
  container.bind(GetOrder).toSelf();
  container.bind(ListProducts).toSelf();
  container.bind(RecordProductSales).toSelf();
  container.bind(GetProductRanking).toSelf();
  container.bind(CheckHealth).toSelf();

  container.bind(IdempotentReceiver).toSelf();
  for (const consumer of messageConsumers) container.bind(consumer).toSelf();
  return container;
}

/** Kafka's clients, its runtime (topics, listener containers) and its health, shared by every Kafka mode. */
function bindKafka(container: Container, config: Config): void {
  container.bind(KafkaClient).toConstantValue(new KafkaClient(config.kafka, container.get(Logger)));
  container.bind(KafkaGlobalEventPublisher).toSelf();
  container.bind(KafkaMessagingRuntime).toSelf();
  container.bind(HealthIndicator).to(KafkaHealthIndicator);
}

export function resolveConsumers(container: Container, config: Config): MessageConsumer[] {
  return messageConsumers.map((consumerClass) => {
    const consumer = container.get(consumerClass);
    const crash = config.faults
      .filter((fault) => fault.kind !== 'crash-after-commit')
      .find((fault) => fault.groupId === consumer.groupId);
    if (crash === undefined) return consumer;
    const moment = crash.kind === 'crash-before-handling' ? 'before-handling' : 'after-handling';
    return new CrashWhileConsuming(consumer, moment, container.get(Logger));
  });
}
