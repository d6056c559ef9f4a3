import { afterAll, beforeAll, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { buildApp, startAppProcess } from '../../../scripts/support/app-process.mjs';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import { OutboxRelay } from '../../../src/infrastructure/messaging/outbox/outbox-relay.js';
import {
  OutboxEventRow,
  ProcessedEventRow,
} from '../../../src/infrastructure/persistence/mikro-orm/schema.js';
import { declaredTopics } from '../../../src/infrastructure/messaging/declared-topics.js';
import { createMissingTopics } from '../../../src/infrastructure/messaging/kafka/create-missing-topics.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';
import {
  countDeliveries,
  prepareReliabilityDatabase,
  reportDeliveries,
} from '../../support/servers/delivery-report.js';
import { logEndOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { testKafka } from '../../support/servers/kafka-test-kit.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { startTestService } from '../../support/test-service.js';

// Kills the real service (SIGKILL: no shutdown, no drain) at the worst moments, through the test-only
// TEST_FAULT_INJECTION hooks, and counts what each publishing mode lost, on a real broker and MySQL.
describeWithRealServers('crashes and concurrent relays (real broker and MySQL)', () => {
  let kafka: Kafka;
  let admin: Admin;
  const scratchDatabases: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    buildApp();
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    // The first scenario reads the topic's offsets before any service has started and created it.
    await createMissingTopics(admin, declaredTopics(1), new RecordingLogger());
  });
  afterAll(async () => {
    await admin.disconnect();
    for (const drop of scratchDatabases) await drop();
  });

  /** The built service in a process of its own: a SIGKILL ends a process, not a Jest worker. */
  function startApp(environment: Record<string, string>) {
    return startAppProcess({ environment: { NODE_ENV: 'production', ...environment } });
  }

  async function scratchEnvironment(eventPublisher: 'kafka' | 'outbox') {
    const database = await createScratchDatabase();
    scratchDatabases.push(database.drop);
    const scenario = await prepareReliabilityDatabase(database.url);
    return {
      scenario,
      environment: {
        EVENT_PUBLISHER: eventPublisher,
        KAFKA_BROKERS: kafkaBrokers(),
        DB_DRIVER: 'mysql',
        DATABASE_URL: database.url,
        // The killed instance's consumers stay in their groups until this runs out.
        KAFKA_SESSION_TIMEOUT_MS: '6000',
      },
    };
  }

  async function openDatabase(url: string) {
    return (await Database.open({ driver: 'mysql', url })).database;
  }

  /** Waits until both groups applied every event in the scenario's outbox (the outbox knows its ids). */
  async function waitForOutboxEventsApplied(database: Database, count: number) {
    const applied = async (consumerGroup: string) => {
      const eventIds = (await database.em().find(OutboxEventRow, {})).map((row) => row.eventId);
      return database.em().count(ProcessedEventRow, { consumerGroup, eventId: { $in: eventIds } });
    };
    await waitFor(
      `both groups to apply all ${count} events`,
      async () => (await applied('product-ranking')) === count && (await applied('data-platform')) === count,
      { timeoutMs: 90_000 },
    );
  }

  it.each(['kafka', 'outbox'] as const)(
    'EVENT_PUBLISHER=%s: the process is SIGKILLed right after the commit, before the event is sent',
    async (mode) => {
      const { scenario, environment } = await scratchEnvironment(mode);
      const before = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);
      const doomed = await startApp({ ...environment, TEST_FAULT_INJECTION: 'crash-after-commit' });

      const answer = await doomed.post('/orders', scenario.order(0)).then(
        (response) => String(response.status),
        () => 'no answer',
      );
      expect(await doomed.exited).toMatchObject({ signal: 'SIGKILL' });
      expect(doomed.lines.at(-1)?.msg).toBe(
        'fault injection: SIGKILL after the commit, before the event left',
      );

      const restarted = await startApp(environment);
      const next = (await restarted.post('/orders', scenario.order(1))).body as { id: string };
      const ranked = (orderId: string) =>
        restarted.lines.some((line) => line.msg === 'product ranking updated' && line['orderId'] === orderId);
      await waitFor('the restarted service to handle its own order', () => ranked(next.id), {
        timeoutMs: 60_000,
      });
      const database = await openDatabase(environment.DATABASE_URL);
      if (mode === 'outbox') await waitForOutboxEventsApplied(database, 2);
      await restarted.stop();

      const counts = await countDeliveries(database, kafka, admin, before, scenario);
      await database.close();
      reportDeliveries(`SIGKILL after commit (the client got: ${answer})`, mode, counts);
      expect(counts).toMatchObject(
        mode === 'kafka'
          ? { committed: 2, delivered: 1, lost: 1, appliedTwice: 0 }
          : { committed: 2, delivered: 2, lost: 0, unitsRanked: 2, appliedTwice: 0 },
      );
    },
    120_000,
  );

  it('a consumer SIGKILLed mid-batch, after its effect and before its offset commit: redelivered, applied once', async () => {
    const { scenario, environment } = await scratchEnvironment('outbox');
    const before = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);
    // Ten orders committed while no relay runs (this instance's is stopped at once): the doomed instance's
    // relay then sends them as one batch, and its consumer fetches them as one. Placed on the doomed
    // instance itself, each commit would nudge its relay, and the first events could kill it mid-request.
    const writer = await startTestService(environment);
    await writer.service.container.get(OutboxRelay).stop();
    for (let index = 0; index < 10; index++) {
      await request(writer.http).post('/orders').send(scenario.order(index)).expect(201);
    }
    await writer.stop();
    // Its relay sends them as soon as it starts: it may kill itself before it answers /health, or after.
    const doomedExit = await startApp({
      ...environment,
      TEST_FAULT_INJECTION: 'crash-after-handling:product-ranking',
    }).then(
      (doomed) => doomed.exited,
      (error: Error) => ({ signal: /exited at start-up \((\w+)\)/.exec(error.message)?.[1] }),
    );
    expect(doomedExit).toMatchObject({ signal: 'SIGKILL' });

    const restarted = await startApp(environment);
    const database = await openDatabase(environment.DATABASE_URL);
    await waitForOutboxEventsApplied(database, 10);
    await restarted.stop();

    const counts = await countDeliveries(database, kafka, admin, before, scenario);
    await database.close();
    const skipped = restarted.lines.filter(
      (line) =>
        line.msg === 'duplicate delivery skipped: event already applied' &&
        line['consumerGroup'] === 'product-ranking',
    );
    reportDeliveries(
      `consumer SIGKILLed mid-batch (redeliveries skipped: ${skipped.length})`,
      'outbox',
      counts,
    );
    expect(skipped.length).toBeGreaterThanOrEqual(1);
    expect(counts).toMatchObject({ committed: 10, delivered: 10, unitsRanked: 10, appliedTwice: 0, lost: 0 });
  }, 150_000);

  it('two instances relaying one outbox: every event sent, none sent twice', async () => {
    const { scenario, environment: outboxEnvironment } = await scratchEnvironment('outbox');
    const environment = { ...outboxEnvironment, OUTBOX_BATCH_SIZE: '5' };
    const before = await logEndOffsets(admin, ORDER_COMPLETED_TOPIC);
    const first = await startTestService(environment);
    const second = await startTestService({ ...environment, SEED_DEMO_DATA: 'false' });
    try {
      const instances = [first, second];
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 10 }, (_, index) =>
            request(instances[index % 2]!.http)
              .post('/orders')
              .send(scenario.order(index))
              .expect(201),
          ),
        );
      }
      await first.service.drainEvents();
      await second.service.drainEvents();

      const database = first.service.container.get(Database);
      const rows = await database.em().find(OutboxEventRow, {});
      const relayedBy = instances.map((instance) => instance.service.container.get(OutboxRelay).relayed);
      const counts = await countDeliveries(database, kafka, admin, before, scenario);
      reportDeliveries(`two relays, 100 orders (relayed: ${relayedBy.join(' + ')})`, 'outbox', counts);
      expect(rows.every((row) => row.status === 'SENT' && row.attempts === 1)).toBe(true);
      expect(relayedBy.every((relayed) => relayed > 0)).toBe(true);
      expect(relayedBy[0]! + relayedBy[1]!).toBe(100);
      expect(counts).toMatchObject({ committed: 100, delivered: 100, duplicatedOnWire: 0, lost: 0 });
    } finally {
      await second.stop();
      await first.stop();
    }
  }, 120_000);
});
