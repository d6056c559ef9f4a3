import type { Container, Newable } from 'inversify';
import { HealthIndicator } from '../../application/health/health-indicator.js';
import type { TransactionPhase } from '../../application/shared/events/transactional-event-dispatcher.js';
import { Logger } from '../../application/shared/logger.js';
import { GlobalEventPublisher } from '../../domain/shared/global-event-publisher.js';
import type { Config, EventPublisherType, OutboxConfig } from '../config/config.js';
import { RetryPolicy } from '../messaging/consumer/retry-policy.js';
import { InMemoryGlobalEventPublisher } from '../messaging/in-memory/in-memory-global-event-publisher.js';
import { InMemoryMessagingRuntime } from '../messaging/in-memory/in-memory-messaging-runtime.js';
import { InMemoryPublisherHealthIndicator } from '../messaging/in-memory/in-memory-publisher-health-indicator.js';
import { InProcessBroker } from '../messaging/in-memory/in-process-broker.js';
import { KafkaClient } from '../messaging/kafka/kafka-client.js';
import { KafkaGlobalEventPublisher } from '../messaging/kafka/kafka-global-event-publisher.js';
import { KafkaHealthIndicator } from '../messaging/kafka/kafka-health-indicator.js';
import { KafkaMessagingRuntime } from '../messaging/kafka/kafka-messaging-runtime.js';
import { MessagingRuntime } from '../messaging/messaging-runtime.js';
import { OutboxGlobalEventPublisher } from '../messaging/outbox/outbox-global-event-publisher.js';
import { OutboxHealthIndicator } from '../messaging/outbox/outbox-health-indicator.js';
import { OutboxMessagingRuntime } from '../messaging/outbox/outbox-messaging-runtime.js';
import { OutboxRelay, OutboxRelaySettings, OutboxTransport } from '../messaging/outbox/outbox-relay.js';
import { OutboxRelayNudge } from '../messaging/outbox/outbox-relay-nudge.js';
import { OutboxStore } from '../messaging/outbox/outbox-store.js';
import { SynchronousKafkaGlobalEventPublisher } from '../messaging/sync/synchronous-kafka-global-event-publisher.js';
import { MeteredGlobalEventPublisher } from '../observability/metrics/metered-global-event-publisher.js';
import { ServiceMetrics } from '../observability/metrics/service-metrics.js';

/** Binds what a mode's adapters need besides each other: a client, a store, settings from configuration. */
type SupportingBindings = (container: Container, config: Config) => void;

/**
 * Everything one value of EVENT_PUBLISHER selects, in one record (docs/adr/007).
 */
export interface PublishingMode {
  /** When `OrderEventListener` runs, relative to the order's transaction (see `TransactionalEventDispatcher`). */
  readonly listenerPhase: TransactionPhase;
  /** Bound as `GlobalEventPublisher`: where the order's event goes. */
  readonly publisher: Newable<GlobalEventPublisher>;
  /** Bound as `MessagingRuntime`: what the service starts, drains and stops (connections, consumers, relays). */
  readonly runtime: Newable<MessagingRuntime>;
  /** What /health reports for this mode. */
  readonly healthIndicators: readonly Newable<HealthIndicator>[];
  /** Shared pieces the adapters above are built on. */
  readonly uses: readonly SupportingBindings[];
  /** Logged by the service at start-up, when this mode is chosen. */
  readonly startupWarning?: string;
}

/** The in-process broker the in-memory publisher writes to and the consumers read from. */
const inProcessBroker: SupportingBindings = (container) => {
  container.bind(InProcessBroker).toSelf();
};

/** Kafka's clients, and the Kafka adapters other modes build on: the producer side and the consumers' runtime. */
const kafka: SupportingBindings = (container, config) => {
  container.bind(KafkaClient).toConstantValue(new KafkaClient(config.kafka, container.get(Logger)));
  container.bind(KafkaGlobalEventPublisher).toSelf();
  container.bind(KafkaMessagingRuntime).toSelf();
};

/**
 * The outbox table, and the relay that sends its rows through the Kafka publisher, nudged by the outbox
 * publisher after each commit. Needs `kafka`.
 */
const outboxRelay: SupportingBindings = (container, config) => {
  container.bind(OutboxStore).toSelf();
  container.bind(OutboxTransport).toService(KafkaGlobalEventPublisher);
  container.bind(OutboxRelaySettings).toConstantValue(outboxRelaySettings(config.outbox));
  container.bind(OutboxRelayNudge).toSelf();
  container.bind(OutboxRelay).toSelf();
};

export const publishingModes: Record<EventPublisherType, PublishingMode> = {
  'in-memory': {
    // After COMMIT: consumers must never hear of an order that then rolled back (docs/adr/001).
    listenerPhase: 'after-commit',
    uses: [inProcessBroker],
    publisher: InMemoryGlobalEventPublisher,
    runtime: InMemoryMessagingRuntime,
    healthIndicators: [InMemoryPublisherHealthIndicator],
  },
  kafka: {
    // After COMMIT: the broker must never hear of an order that then rolled back (docs/adr/001).
    listenerPhase: 'after-commit',
    uses: [kafka],
    publisher: KafkaGlobalEventPublisher,
    runtime: KafkaMessagingRuntime,
    healthIndicators: [KafkaHealthIndicator],
  },
  outbox: {
    // Before COMMIT: the event's row is written in the order's own transaction, so both commit or
    // neither does (docs/adr/006). The relay sends it once committed.
    listenerPhase: 'before-commit',
    uses: [kafka, outboxRelay],
    publisher: OutboxGlobalEventPublisher,
    runtime: OutboxMessagingRuntime,
    healthIndicators: [KafkaHealthIndicator, OutboxHealthIndicator],
  },
  sync: {
    // Before COMMIT, on purpose: the anti-pattern the benchmark measures, an order that waits for the
    // broker inside its transaction.
    listenerPhase: 'before-commit',
    uses: [kafka],
    publisher: SynchronousKafkaGlobalEventPublisher,
    runtime: KafkaMessagingRuntime,
    healthIndicators: [KafkaHealthIndicator],
    startupWarning:
      'EVENT_PUBLISHER=sync is the anti-pattern the benchmark measures: every order waits for the broker ' +
      'inside its transaction. Use kafka or outbox.',
  },
};

/**
 * Binds the mode's pieces, then its publisher, runtime and health indicators to their ports. The port
 * gets the publisher inside a decorator that counts each publish for /metrics.
 */
export function bindPublishingMode(container: Container, mode: PublishingMode, config: Config): void {
  for (const bindSupport of mode.uses) bindSupport(container, config);
  bindUnlessShared(container, mode.publisher);
  container
    .bind(GlobalEventPublisher)
    .toResolvedValue(
      (publisher: GlobalEventPublisher, metrics: ServiceMetrics) =>
        new MeteredGlobalEventPublisher(publisher, config.eventPublisher, metrics),
      [mode.publisher, ServiceMetrics],
    );
  bindUnlessShared(container, mode.runtime);
  container.bind(MessagingRuntime).toService(mode.runtime);
  for (const indicator of mode.healthIndicators) container.bind(HealthIndicator).to(indicator);
}

/** Binds the adapter to itself, unless a shared piece already did (the Kafka adapters serve several modes). */
function bindUnlessShared<T>(container: Container, adapter: Newable<T>): void {
  if (!container.isBound(adapter)) container.bind(adapter).toSelf();
}

/** The relay's backoff after a failed send: 1 s, doubling, at most a minute. */
const OUTBOX_INITIAL_BACKOFF_MS = 1_000;
const OUTBOX_MAX_BACKOFF_MS = 60_000;

function outboxRelaySettings(config: OutboxConfig): OutboxRelaySettings {
  return {
    pollIntervalMs: config.pollIntervalMs,
    batchSize: config.batchSize,
    retryPolicy: new RetryPolicy(config.maxAttempts, OUTBOX_INITIAL_BACKOFF_MS, OUTBOX_MAX_BACKOFF_MS),
    retentionMs: config.retentionMs,
  };
}
