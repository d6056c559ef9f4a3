import type { GlobalEventPublisher } from '../../../src/domain/shared/global-event-publisher.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { KafkaClient } from '../../../src/infrastructure/messaging/kafka/kafka-client.js';
import { KafkaGlobalEventPublisher } from '../../../src/infrastructure/messaging/kafka/kafka-global-event-publisher.js';
import { OutboxGlobalEventPublisher } from '../../../src/infrastructure/messaging/outbox/outbox-global-event-publisher.js';
import { OutboxRelay } from '../../../src/infrastructure/messaging/outbox/outbox-relay.js';
import { OutboxRelayNudge } from '../../../src/infrastructure/messaging/outbox/outbox-relay-nudge.js';
import { OutboxStore } from '../../../src/infrastructure/messaging/outbox/outbox-store.js';
import { MikroOrmTransactionManager } from '../../../src/infrastructure/persistence/mikro-orm/mikro-orm-transaction-manager.js';
import { OutboxEventRow } from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { SystemClock } from '../../../src/infrastructure/time/system-clock.js';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import type { PublisherUnderTest } from '../contracts/global-event-publisher-contract.js';
import { RecordingLogger } from '../fakes/recording-logger.js';
import { openTestDatabase } from '../test-database.js';
import { createTestTopic, readRecords, testKafka } from './kafka-test-kit.js';
import { kafkaBrokers } from './real-servers.js';

/** The broker has no such topic (and creates none on its own), so it refuses every send to it. */
const REFUSED_TOPIC = 'test.topic-that-does-not-exist';

/** The real broker, a topic of the test's own, and a Kafka client for the adapter as the app builds it. */
async function connectToKafka(logger: RecordingLogger) {
  const kafka = testKafka();
  const admin = kafka.admin();
  const client = new KafkaClient(
    {
      brokers: kafkaBrokers().split(','),
      clientId: 'publisher-contract',
      replicationFactor: 1,
      sessionTimeoutMs: 30_000,
    },
    logger,
  );
  await Promise.all([admin.connect(), client.connect()]);
  const topic = await createTestTopic(admin, 'publisher-contract');
  return {
    topic,
    client,
    kafkaPublisher: new KafkaGlobalEventPublisher(client, logger),
    delivered: (count: number) => readRecords(kafka, topic, count),
    disconnect: () => Promise.all([admin.disconnect(), client.disconnect()]).then(() => undefined),
  };
}

/** `KafkaGlobalEventPublisher`, or an adapter that sends through it (`sync`), on the real broker. */
export async function kafkaPublisherUnderTest(
  adapterOver: (kafka: KafkaGlobalEventPublisher) => GlobalEventPublisher,
): Promise<PublisherUnderTest> {
  const { topic, client, kafkaPublisher, delivered, disconnect } = await connectToKafka(
    new RecordingLogger(),
  );
  const publisher = adapterOver(kafkaPublisher);
  return {
    publisher,
    topic,
    publish: (message) => publisher.publish(message),
    delivered,
    refusedTopic: REFUSED_TOPIC,
    // As KafkaMessagingRuntime.stop: the sends in flight first, then the connection.
    shutdown: async () => {
      await kafkaPublisher.drain();
      await client.disconnect();
    },
    close: disconnect,
  };
}

/**
 * `OutboxGlobalEventPublisher` on SQLite, its relay running and sending to the real broker: what reaches
 * the wire is what the relay sent. Shutdown is the runtime's: the relay finishes its cycle and stops,
 * unsent rows wait; `delivered` first relays them, as the next start's relay would.
 */
export async function outboxPublisherUnderTest(): Promise<PublisherUnderTest> {
  const logger = new RecordingLogger();
  const { topic, kafkaPublisher, delivered, disconnect } = await connectToKafka(logger);
  const { database, remove } = await openTestDatabase();
  const store = new OutboxStore(database);
  const transactions = new MikroOrmTransactionManager(database, logger);
  const clock = new SystemClock();
  const nudge = new OutboxRelayNudge();
  const publisher = new OutboxGlobalEventPublisher(store, clock, logger, transactions, nudge);
  const relay = new OutboxRelay(
    store,
    kafkaPublisher,
    transactions,
    clock,
    logger,
    {
      pollIntervalMs: 10,
      batchSize: 10,
      retryPolicy: new RetryPolicy(3, 60_000, 60_000),
      retentionMs: 60 * 60 * 1000,
    },
    nudge,
  );
  relay.start();
  const unsentEventIds = async () =>
    (
      await database
        .em()
        .fork()
        .find(OutboxEventRow, { status: { $ne: 'SENT' } })
    ).map((row) => row.eventId);
  return {
    publisher,
    topic,
    publish: (message) => transactions.run(() => publisher.publish(message)),
    delivered: async (count) => {
      while ((await relay.relayPendingOutboxRows()) > 0);
      return delivered(count);
    },
    refusedTopic: REFUSED_TOPIC,
    // The relay's failed send puts the row back to PENDING with one attempt spent.
    unsentEventIds: () =>
      waitFor('the refused send recorded', async () => {
        const rows = await database
          .em()
          .fork()
          .find(OutboxEventRow, { attempts: { $gt: 0 } });
        return rows.length > 0 && unsentEventIds();
      }),
    shutdown: () => relay.stop(),
    close: async () => {
      await relay.stop();
      await Promise.all([disconnect(), remove()]);
    },
  };
}
