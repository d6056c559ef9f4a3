import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildApp, startAppProcess, type AppProcess } from '../../scripts/support/app-process.mjs';
import { missingOrderHops, type ZipkinSpan } from '../../scripts/support/order-trace.mjs';
import { temporaryFolder, type TemporaryFolder } from '../support/test-database.js';
import {
  completeOrderTrace,
  startZipkinCollector,
  type ZipkinCollector,
} from '../support/zipkin-collector.js';

// The built app, started as `npm start` starts it, with OTEL_TRACES_EXPORTER=zipkin pointed at a collector
// of the test's own: the embedded path (SQLite, the in-process broker) traces one order end to end.
describe('one order, traced end to end (in-memory publishing, the built app)', () => {
  let collector: ZipkinCollector;
  let folder: TemporaryFolder;
  let app: AppProcess;
  let trace: ZipkinSpan[];

  beforeAll(async () => {
    buildApp();
    collector = await startZipkinCollector();
    folder = temporaryFolder();
    app = await startAppProcess({
      environment: {
        EVENT_PUBLISHER: 'in-memory',
        DB_DRIVER: 'sqlite',
        SQLITE_FILE: folder.path('shop.sqlite'),
        OTEL_TRACES_EXPORTER: 'zipkin',
        OTEL_EXPORTER_ZIPKIN_ENDPOINT: collector.endpoint,
        // Spans wait in the exporter's batch until the app stops: its shutdown must send them.
        OTEL_BSP_SCHEDULE_DELAY: '600000',
      },
    });
    const placed = await app.post('/orders', { userId: 1, items: [{ productId: 2, quantity: 1 }] });
    expect(placed.status).toBe(201);
    expect(collector.spans).toEqual([]);
    // The graceful stop lets both groups handle the order first, then flushes the exporter.
    expect(await app.stop()).toEqual({ code: 0, signal: null });
    trace = await completeOrderTrace(collector, 'in-memory');
  }, 90_000);
  afterAll(async () => {
    await app?.stop();
    await collector?.close();
    folder?.remove();
  });

  it('holds the HTTP request, the transaction, the after-commit send and both consumer groups, sent at shutdown', () => {
    expect(missingOrderHops(trace, 'in-memory')).toEqual([]);
  });

  it("writes the trace id on the order's log lines, the way from a line to its trace", () => {
    const [traceId] = trace.map((span) => span.traceId);
    // From the publisher's to the data platform's (whose start-up line is in no trace).
    const linesOfOrder = app.lines.filter(
      (line) =>
        line.msg === 'event published' ||
        (line.groupId === 'data-platform' && line.msg !== 'consumer subscribed'),
    );
    expect(linesOfOrder.length).toBeGreaterThanOrEqual(2);
    expect(linesOfOrder.every((line) => line.traceId === traceId)).toBe(true);
  });
});
