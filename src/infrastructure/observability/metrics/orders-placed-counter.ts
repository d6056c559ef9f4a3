import type { DomainEventListener } from '../../../application/shared/events/domain-event-listener.js';
import type { OrderCompleted } from '../../../domain/order/order-completed.js';
import type { ServiceMetrics } from './service-metrics.js';

/** Counts orders once their transaction has committed: an order that rolled back was never placed. */
export class OrdersPlacedCounter implements DomainEventListener<OrderCompleted> {
  constructor(private readonly metrics: ServiceMetrics) {}

  async handle(): Promise<void> {
    this.metrics.ordersPlaced.inc();
  }
}
