import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { buildApp, startAppProcess } from '../../../scripts/support/app-process.mjs';
import { missingOrderHops, TRACED_GROUPS, type ZipkinSpan } from '../../../scripts/support/order-trace.mjs';
import { ORDER_COMPLETED_TOPIC } from '../../../src/application/order/events/order-completed-message.js';
import { testKafka, testProducer } from '../../support/servers/kafka-test-kit.js';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { completeOrderTrace, startZipkinCollector } from '../../support/zipkin-collector.js';

// The built app with OTEL_TRACES_EXPORTER=zipkin, on a real broker and MySQL: one order is one trace, from
// the HTTP request through the send (after commit, by the outbox relay in the order's own trace, or inside
// the transaction) to both consumer groups, each group's process span a child of the send that carried
// its record.
describeWithRealServers('one order, traced end to end (real broker and MySQL)', () => {
  const scratchDatabases: Array<() => Promise<void>> = [];

  beforeAll(() => buildApp());
  afterAll(async () => {
    for (const drop of scratchDatabases) await drop();
  });

  async function startTracedApp(
    eventPublisher: 'kafka' | 'outbox' | 'sync',
    environment: Record<string, string> = {},
  ) {
    const database = await createScratchDatabase();
    scratchDatabases.push(database.drop);
    const collector = await startZipkinCollector();
    const app = await startAppProcess({
      environment: {
        ...environment,
        EVENT_PUBLISHER: eventPublisher,
        KAFKA_BROKERS: kafkaBrokers(),
        DB_DRIVER: 'mysql',
        DATABASE_URL: database.url,
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
    return { app, collector };
  }

  async function traceOneOrder(eventPublisher: 'kafka' | 'outbox' | 'sync') {
    const { app, collector } = await startTracedApp(eventPublisher);
    try {
      const placed = await app.post('/orders', { userId: 1, items: [{ productId: 2, quantity: 1 }] });
      expect(placed.status).toBe(201);
      return await completeOrderTrace(collector, eventPublisher, 60_000);
    } finally {
      await app.stop();
      await collector.close();
    }
  }

  it('kafka: the HTTP request, the transaction, the send after commit and both groups, in one trace', async () => {
    expect(missingOrderHops(await traceOneOrder('kafka'), 'kafka')).toEqual([]);
  }, 120_000);

  it("outbox: the row keeps the order's trace, and the relay sends it in that trace, not its own", async () => {
    expect(missingOrderHops(await traceOneOrder('outbox'), 'outbox')).toEqual([]);
  }, 120_000);

  it('sync (the anti-pattern): the send inside the transaction, and both groups, in one trace', async () => {
    expect(missingOrderHops(await traceOneOrder('sync'), 'sync')).toEqual([]);
  }, 120_000);

  it("a poison record: each group's failed attempts on its process span, and its dead-letter send beneath it", async () => {
    const { app, collector } = await startTracedApp('kafka', {
      CONSUMER_MAX_ATTEMPTS: '2',
      CONSUMER_BACKOFF_MS: '100',
    });
    const producer = testProducer(testKafka());
    try {
      // A record from a producer that traces too: its traceparent names the trace the consumers join.
      const traceId = randomBytes(16).toString('hex');
      await producer.connect();
      await producer.send({
        topic: ORDER_COMPLETED_TOPIC,
        messages: [
          {
            key: `poison-${traceId}`,
            value: 'not an event',
            headers: { traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` },
          },
        ],
      });
      const isDeadLettered = (spans: readonly ZipkinSpan[], group: string) => {
        const processed = spans.find(
          (span) => span.name.startsWith('process') && span.tags?.['messaging.consumer.group.name'] === group,
        );
        return (
          processed !== undefined &&
          spans.some(
            (span) => span.parentId === processed.id && span.name === `send ${ORDER_COMPLETED_TOPIC}.dlq`,
          )
        );
      };
      const spans = await collector.traceOf(
        traceId,
        (received) => TRACED_GROUPS.every((group) => isDeadLettered(received, group)),
        60_000,
      );

      for (const group of TRACED_GROUPS) {
        const processed = spans.find((span) => span.tags?.['messaging.consumer.group.name'] === group)!;
        expect(processed.annotations?.map((annotation) => annotation.value)).toEqual([
          'attempt 1 failed, next in 100 ms',
          'attempt 2 failed, no attempt left',
        ]);
      }
    } finally {
      await producer.disconnect();
      await app.stop();
      await collector.close();
    }
  }, 120_000);
});
