import { afterEach, expect, it } from '@jest/globals';
import type { Admin, Kafka } from 'kafkajs';
import request from 'supertest';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { Database } from '../../../src/infrastructure/persistence/mikro-orm/database.js';
import {
  countDeliveries,
  prepareReliabilityDatabase,
  reportDeliveries,
  type ReliabilityScenario,
} from '../../support/servers/delivery-report.js';
import { logEndOffsets, type PartitionOffsets } from '../../../scripts/support/kafka-offsets.mjs';
import { testKafka } from '../../support/servers/kafka-test-kit.js';
import {
  brokerIsOurs,
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
  services,
} from '../../support/servers/real-servers.js';
import { startTestService, type TestService } from '../../support/test-service.js';

// Stops the real broker while the service takes orders. Only a broker that `npm run services:start` runs
// can be stopped and started again from here; CI runs that one, so there this test never skips.
const itWithOurBroker = brokerIsOurs() ? it : it.skip;
if (!brokerIsOurs() && process.env['CI'] === 'true') {
  throw new Error('CI=true: the broker-outage test needs the broker of `npm run services:start`');
}

const ORDERS = 200;

describeWithRealServers(
  'a broker outage while 200 orders are placed (real broker, stopped and started)',
  () => {
    let shop: TestService | undefined;
    let kafka: Kafka | undefined;
    let admin: Admin | undefined;
    let dropDatabase: (() => Promise<void>) | undefined;
    let scenario: ReliabilityScenario;

    afterEach(async () => {
      services('start', 'kafka'); // says "already running" when the test got that far
      await shop?.stop();
      await admin?.disconnect();
      await dropDatabase?.();
    });

    async function startShop(eventPublisher: 'kafka' | 'outbox') {
      const database = await createScratchDatabase();
      dropDatabase = database.drop;
      scenario = await prepareReliabilityDatabase(database.url);
      shop = await startTestService({
        EVENT_PUBLISHER: eventPublisher,
        KAFKA_BROKERS: kafkaBrokers(),
        DB_DRIVER: 'mysql',
        DATABASE_URL: database.url,
        // A restarted broker waits this long for the members it remembers before the group moves on.
        KAFKA_SESSION_TIMEOUT_MS: '10000',
      });
      kafka = testKafka();
      admin = kafka.admin();
      await admin.connect();
      return shop;
    }

    /** Places `count` one-unit orders, ten at a time; resolves how many got each answer, and the slowest. */
    async function placeOrders(count: number) {
      const answers: Record<string, number> = {};
      let slowestMs = 0;
      for (let first = 0; first < count; first += 10) {
        await Promise.all(
          Array.from({ length: Math.min(10, count - first) }, async (_, index) => {
            const started = performance.now();
            const response = await request(shop!.http)
              .post('/orders')
              .send(scenario.order(first + index));
            slowestMs = Math.max(slowestMs, performance.now() - started);
            const answer = [response.status, response.body?.error?.code].filter(Boolean).join(' ');
            answers[answer] = (answers[answer] ?? 0) + 1;
          }),
        );
      }
      return { answers, slowestMs };
    }

    /** Counts what became of the scenario's orders since `before`, and prints the counts. */
    async function countAndReport(title: string, mode: string, before: PartitionOffsets) {
      const database = shop!.service.container.get(Database);
      const counts = await countDeliveries(database, kafka!, admin!, before, scenario);
      reportDeliveries(title, mode, counts);
      return counts;
    }

    /**
     * Stops the broker, places the 200 orders, and checks that each was answered 201 without waiting for
     * the broker (well under the 8 s a send takes to give up). Resolves the topic's offsets from before.
     */
    async function placeOrdersWithTheBrokerDown() {
      const before = await logEndOffsets(admin!, ORDER_COMPLETED_TOPIC);
      services('stop', 'kafka');
      const { answers, slowestMs } = await placeOrders(ORDERS);
      expect(answers).toEqual({ 201: ORDERS });
      expect(slowestMs).toBeLessThan(2_000);
      return before;
    }

    itWithOurBroker(
      'EVENT_PUBLISHER=kafka: every order answers 201, and every event sent during the outage is lost',
      async () => {
        const shop = await startShop('kafka');

        const before = await placeOrdersWithTheBrokerDown();

        const lostSends = () => shop.logs.filter((line) => line.msg.startsWith('event NOT published'));
        await waitFor('every send to give up', () => lostSends().length === ORDERS, { timeoutMs: 90_000 });
        expect(lostSends()[0]).toMatchObject({ eventId: expect.any(String), key: expect.any(String) });
        const health = await request(shop.http).get('/health').expect(503);
        expect(health.body.components.publisher).toMatchObject({
          status: 'DOWN',
          details: { failedSends: ORDERS },
        });

        // Back up: the producer reconnects and the groups rejoin, without restarting the service.
        services('start', 'kafka');
        await waitFor(
          'the service to see the broker again',
          async () => (await request(shop.http).get('/health')).status === 200,
          { timeoutMs: 60_000 },
        );
        await placeOrders(1);
        await shop.service.drainEvents();

        const counts = await countAndReport('broker stopped, 200 orders (+1 after)', 'kafka', before);
        expect(counts).toMatchObject({ committed: ORDERS + 1, delivered: 1, lost: ORDERS, appliedTwice: 0 });
      },
      240_000,
    );

    itWithOurBroker(
      'EVENT_PUBLISHER=outbox: every order answers 201, and all 200 events arrive once the broker is back',
      async () => {
        const shop = await startShop('outbox');

        const before = await placeOrdersWithTheBrokerDown();
        const { body: waiting } = await request(shop.http).get('/health');
        expect(waiting.components.outbox.details.pending + waiting.components.outbox.details.sending).toBe(
          ORDERS,
        );
        await waitFor(
          'the relay to try and fail',
          () => shop.logs.some((line) => line.msg.startsWith('outbox batch not sent')),
          { timeoutMs: 60_000 },
        );

        services('start', 'kafka');
        const restarted = Date.now();
        await shop.service.drainEvents(); // the outbox is empty, and both groups are at lag 0
        const catchUpMs = Date.now() - restarted;

        const counts = await countAndReport('broker stopped, 200 orders', 'outbox', before);
        process.stdout.write(`  reliability | outbox caught up ${catchUpMs} ms after the broker restarted\n`);
        expect(counts).toMatchObject({
          committed: ORDERS,
          delivered: ORDERS,
          appliedByDataPlatform: ORDERS,
          unitsRanked: ORDERS,
          appliedTwice: 0,
          lost: 0,
        });
        expect(catchUpMs).toBeLessThan(60_000);
      },
      240_000,
    );
  },
);
