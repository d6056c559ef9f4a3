import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { buildApp, startAppProcess } from '../../../scripts/support/app-process.mjs';
import { missingOrderHops } from '../../../scripts/support/order-trace.mjs';
import {
  createScratchDatabase,
  describeWithRealServers,
  kafkaBrokers,
} from '../../support/servers/real-servers.js';
import { completeOrderTrace, startZipkinCollector } from '../../support/zipkin-collector.js';

// The built app with OTEL_TRACES_EXPORTER=zipkin, on a real broker and MySQL: one order is one trace, from
// the HTTP request through the send (after commit, or by the outbox relay in the order's own trace) to
// both consumer groups, each group's process span a child of the send that carried its record.
describeWithRealServers('one order, traced end to end (real broker and MySQL)', () => {
  const scratchDatabases: Array<() => Promise<void>> = [];

  beforeAll(() => buildApp());
  afterAll(async () => {
    for (const drop of scratchDatabases) await drop();
  });

  async function traceOneOrder(eventPublisher: 'kafka' | 'outbox') {
    const database = await createScratchDatabase();
    scratchDatabases.push(database.drop);
    const collector = await startZipkinCollector();
    const app = await startAppProcess({
      environment: {
        EVENT_PUBLISHER: eventPublisher,
        KAFKA_BROKERS: kafkaBrokers(),
        DB_DRIVER: 'mysql',
        DATABASE_URL: database.url,
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.endpoint,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
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
});
