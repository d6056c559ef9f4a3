import { Registry } from 'prom-client';
import { OrderEventListener } from '../../src/application/order/events/order-event-listener.js';
import { PlaceOrder } from '../../src/application/order/place-order/place-order.js';
import { TransactionalEventDispatcher } from '../../src/application/shared/events/transactional-event-dispatcher.js';
import type { Coupon } from '../../src/domain/coupon/coupon.js';
import { OrderCompleted } from '../../src/domain/order/order-completed.js';
import type { Product } from '../../src/domain/product/product.js';
import type { User } from '../../src/domain/user/user.js';
import { RetryPolicy } from '../../src/infrastructure/messaging/consumer/retry-policy.js';
import { InMemoryGlobalEventPublisher } from '../../src/infrastructure/messaging/in-memory/in-memory-global-event-publisher.js';
import { InProcessBroker } from '../../src/infrastructure/messaging/in-memory/in-process-broker.js';
import { AsyncLocalStorageRequestContext } from '../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../src/infrastructure/observability/metrics/consumer-metrics.js';
import { FIXED_NOW } from './builders.js';
import { FakeTransactionManager } from './fakes/fake-transaction-manager.js';
import { FixedClock } from './fakes/fixed-clock.js';
import {
  InMemoryCouponRepository,
  InMemoryOrderRepository,
  InMemoryProductRepository,
  InMemoryUserRepository,
} from './fakes/in-memory-repositories.js';
import { RecordingLogger } from './fakes/recording-logger.js';

/** `PlaceOrder` wired by hand to fakes: no database, no container, nothing to start. */
export function placeOrderFixture(seed: { users?: User[]; products?: Product[]; coupons?: Coupon[] }) {
  const logger = new RecordingLogger();
  const requestContext = new AsyncLocalStorageRequestContext();
  const transactions = new FakeTransactionManager();
  const users = new InMemoryUserRepository(seed.users);
  const products = new InMemoryProductRepository(seed.products);
  const coupons = new InMemoryCouponRepository(seed.coupons);
  const orders = new InMemoryOrderRepository();
  const broker = new InProcessBroker(
    new RetryPolicy(1, 0, 0),
    logger,
    requestContext,
    new ConsumerMetrics(new Registry()),
  );
  const publisher = new InMemoryGlobalEventPublisher(broker, logger);
  const dispatcher = new TransactionalEventDispatcher(transactions, logger);
  dispatcher.subscribe(OrderCompleted, new OrderEventListener(publisher, requestContext));
  const placeOrder = new PlaceOrder(
    transactions,
    users,
    products,
    coupons,
    orders,
    dispatcher,
    new FixedClock(FIXED_NOW),
    logger,
  );
  /** Waits until every after-commit listener has handed its message to the publisher. */
  const settle = () => dispatcher.drain();
  return {
    placeOrder,
    transactions,
    users,
    products,
    coupons,
    orders,
    publisher,
    logger,
    requestContext,
    settle,
  };
}
