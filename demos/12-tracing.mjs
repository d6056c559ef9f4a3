// Chapter 12: one order, traced end to end. The order service runs with EVENT_PUBLISHER=outbox and
// OTEL_TRACES_EXPORTER=zipkin on a scratch SQLite file; the demo places the README's order, takes the trace
// id from the app's own log line, reads the trace back from Zipkin's API and prints it as a tree, then
// checks every hop is there under its parent: the HTTP request, the transaction, the outbox row, the relay's
// send (in the order's trace, not the relay's) and both consumer groups.
import { missingOrderHops, traceTree } from '../scripts/support/order-trace.mjs';
import { zipkinUrl } from '../scripts/support/services-env.mjs';
import { demo, waitFor } from './support/demo.mjs';
import { buildApp, couponOrder, skipOldOrderEvents, startOrderService } from './support/app.mjs';

const zipkin = zipkinUrl();
// `npm run demo:tracing -- --screenshot docs/images/one-order-trace.png` also saves Zipkin's page of the trace.
const screenshotAt = process.argv.indexOf('--screenshot');
const screenshotFile = screenshotAt === -1 ? undefined : process.argv[screenshotAt + 1];

await demo({ chapter: '12', title: 'One order, traced end to end' }, async (context) => {
  const { admin, brokers, progress, step, say } = context;
  await requireZipkin();
  progress('npm run build');
  buildApp();
  await skipOldOrderEvents(admin);
  progress('starting the order service');
  const app = await startOrderService('12-tracing', {
    EVENT_PUBLISHER: 'outbox',
    KAFKA_BROKERS: brokers,
    OTEL_TRACES_EXPORTER: 'zipkin',
    OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${zipkin}/api/v2/spans`,
    // The exporter sends spans in batches every 5 s by default; sooner here, so the demo waits less.
    OTEL_BSP_SCHEDULE_DELAY: '500',
  });
  try {
    step('EVENT_PUBLISHER=outbox OTEL_TRACES_EXPORTER=zipkin npm start; then POST /orders');
    const placed = await app.post('/orders', couponOrder);
    if (placed.status !== 201)
      throw new Error(`POST /orders answered ${placed.status}: ${JSON.stringify(placed.body)}`);
    const committed = await app.waitForLog(
      'the order committed',
      (line) => line.msg === 'order placed and committed',
    );
    say(`order ${placed.body.id}: its log line "${committed.msg}" carries traceId ${committed.traceId}`);

    step(`The trace, read back from Zipkin: GET ${zipkin}/api/v2/trace/${committed.traceId}`);
    const spans = await waitForCompleteTrace(committed.traceId);
    say('   started       took  span  (service)                    timings vary from run to run');
    for (const line of traceTree(spans)) say(line);
    say();
    const page = `${zipkin}/zipkin/traces/${committed.traceId}`;
    say(`Open it in Zipkin's UI: ${page}`);
    if (screenshotFile) await screenshot(page, screenshotFile);
  } finally {
    await app.stop();
  }
});

/** Polls Zipkin until the trace holds every hop; fails with what is missing. */
async function waitForCompleteTrace(traceId) {
  let spans = [];
  try {
    return await waitFor(
      'every hop of the trace in Zipkin',
      async () => {
        const response = await fetch(`${zipkin}/api/v2/trace/${traceId}`);
        spans = response.ok ? await response.json() : [];
        return missingOrderHops(spans, 'outbox').length === 0 && spans;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
  } catch {
    throw new Error(
      `the trace in Zipkin misses hops:\n  ${missingOrderHops(spans, 'outbox').join('\n  ')}\n` +
        `what it holds:\n  ${traceTree(spans).join('\n  ')}`,
    );
  }
}

/** Zipkin's page of the trace, as Debian's Chromium renders it (playwright-core downloads no browser). */
async function screenshot(page, file) {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
  try {
    const tab = await browser.newPage({ viewport: { width: 1200, height: 660 } });
    await tab.goto(page);
    await tab.getByText('outbox write').first().waitFor();
    await tab.screenshot({ path: file });
  } finally {
    await browser.close();
  }
}

async function requireZipkin() {
  const health = await fetch(`${zipkin}/health`).catch(() => undefined);
  if (health?.ok) return;
  console.error(
    `\nNo Zipkin answers at ${zipkin}: start it with \`npm run services:start -- zipkin\` ` +
      '(or `docker compose up -d zipkin`).',
  );
  process.exit(1);
}
