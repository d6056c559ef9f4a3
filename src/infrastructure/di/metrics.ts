import type { Container } from 'inversify';
import { Clock } from '../../application/shared/clock.js';
import { Logger } from '../../application/shared/logger.js';
import type { MessageConsumer } from '../../application/shared/messaging/message-consumer.js';
import type { Config } from '../config/config.js';
import { KafkaClient } from '../messaging/kafka/kafka-client.js';
import { OutboxStore } from '../messaging/outbox/outbox-store.js';
import { ConsumerMetrics } from '../observability/metrics/consumer-metrics.js';
import { registerConsumerLagMetrics } from '../observability/metrics/consumer-lag-metrics.js';
import { registerOutboxBacklogMetrics } from '../observability/metrics/outbox-backlog-metrics.js';
import { ServiceMetrics } from '../observability/metrics/service-metrics.js';

/** The service's metrics, one registry per container, and the consumers' counters the listener containers feed. */
export function bindServiceMetrics(container: Container, config: Config): void {
  const metrics = new ServiceMetrics(config.eventPublisher);
  container.bind(ServiceMetrics).toConstantValue(metrics);
  container.bind(ConsumerMetrics).toConstantValue(metrics.consumers);
}

/**
 * Every counter's series at 0, for the topics and consumer groups this service has: from the first
 * scrape, "none failed" reads as 0, not as a missing series.
 */
export function startSeriesAtZero(container: Container, consumers: readonly MessageConsumer[]): void {
  const metrics = container.get(ServiceMetrics);
  for (const consumer of consumers) metrics.consumers.startCounting(consumer);
  // The service reads its own topics: the topics its consumers read are the ones it publishes to.
  for (const topic of new Set(consumers.map((consumer) => consumer.topic))) {
    metrics.startCountingPublishesTo(topic);
  }
}

/**
 * The gauges read when Prometheus scrapes, for the pieces this publishing mode has: the outbox table
 * (outbox) and the broker's consumer offsets (kafka, outbox, sync).
 */
export function registerScrapeTimeMetrics(container: Container, consumers: readonly MessageConsumer[]): void {
  const { registry } = container.get(ServiceMetrics);
  const logger = container.get(Logger);
  if (container.isBound(OutboxStore)) {
    registerOutboxBacklogMetrics(registry, container.get(OutboxStore), container.get(Clock), logger);
  }
  if (container.isBound(KafkaClient)) {
    registerConsumerLagMetrics(registry, container.get(KafkaClient).admin, consumers, logger);
  }
}
