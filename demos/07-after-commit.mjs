// Chapter 07: the two reasons to publish after COMMIT, measured on the running order service.
// (a) A rejected order publishes nothing: the topic's log-end offsets do not move; an accepted one
//     publishes exactly one record. (b) With EVENT_PUBLISHER=kafka the response leaves before the event is
//     published; with EVENT_PUBLISHER=sync (the anti-pattern) the record is on the topic before COMMIT, and
//     the response waits for the broker. The app reaches the broker through the benchmark's latency proxy
//     (scripts/support/broker-proxy.mjs), so the demo can make the broker slow without touching it.
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { startBrokerProxy } from '../scripts/support/broker-proxy.mjs';
import { logEndOffsets } from '../scripts/support/kafka-offsets.mjs';
import { demo } from './support/demo.mjs';
import { ORDER_TOPIC, buildApp, couponOrder, skipOldOrderEvents, startOrderService } from './support/app.mjs';

/** The port the broker's PROXIED listener advertises (scripts/services/kafka.mjs): the proxy must use it. */
const PROXY_PORT = 9095;
/** Added by the proxy to every chunk in each direction: a broker round trip gains 100 ms. */
const SLOW_BROKER_MS = 50;
/** Carol buys a mouse: no coupon, so the demo data affords many of these. */
const plainOrder = { userId: 3, items: [{ productId: 2, quantity: 1 }] };
/** Orders per mode and broker speed: the summary shows their medians, one order is noisy on a busy machine. */
const ORDERS_PER_RUN = 5;

/** The log lines of one order this chapter compares, by the short name the summary uses. */
const STEP_NAMES = {
  'event published': 'published',
  'order placed and committed': 'commit',
  'request completed': 'response',
};

const suffix = randomBytes(3).toString('hex');
let requestCount = 0;

await demo({ chapter: '07', title: 'After-commit events' }, async ({ admin, step, say, table, progress }) => {
  await requirePortFree(PROXY_PORT);
  const proxy = await startBrokerProxy({ listenPort: PROXY_PORT });
  try {
    progress('npm run build');
    buildApp();
    const runs = [];

    step('EVENT_PUBLISHER=kafka: start the app (through the proxy, broker healthy)');
    let app = await startApp(admin, 'kafka', proxy, progress);
    try {
      say(`listening on ${app.baseUrl}`);
      const accepted = await placeOrder(app, couponOrder);
      expectStatus(accepted, 201);
      await published(app, accepted.requestId);
      say(
        `README order (coupon 2) → 201; its event is on the topic. Now the log-end offsets of ${ORDER_TOPIC}:`,
      );
      const before = await logEndOffsets(admin, ORDER_TOPIC);
      const partitions = Object.keys(before).map(Number);
      table(
        partitions.map((partition) => ({ partition, offset: before[partition] })),
        ['partition', 'offset'],
      );

      step('Two orders the domain rejects: they roll back');
      const rejected = [
        { what: 'the same order again: coupon 2 is used', order: couponOrder },
        { what: '11 headphones: 10 in stock', order: { userId: 2, items: [{ productId: 6, quantity: 11 }] } },
      ];
      const rejectedRows = [];
      for (const { what, order } of rejected) {
        const response = await placeOrder(app, order);
        expectStatus(response, 409);
        rejectedRows.push({
          order: what,
          status: response.status,
          code: response.body.error.code,
          requestId: response.requestId,
        });
      }
      table(rejectedRows, ['order', 'status', 'code']);

      step('One order the domain accepts');
      const next = await placeOrder(app, plainOrder);
      expectStatus(next, 201);
      const nextPublished = await published(app, next.requestId);
      const after = await logEndOffsets(admin, ORDER_TOPIC);
      table(
        partitions.map((partition) => ({
          partition,
          'before the 409s': before[partition],
          'after the 409s + 201': after[partition],
        })),
      );
      const moved = partitions.reduce((sum, partition) => sum + (after[partition] - before[partition]), 0);
      const rejectedEvents = app.lines.filter(
        (line) =>
          line.msg === 'event published' && rejectedRows.some((row) => row.requestId === line.requestId),
      );
      if (rejectedEvents.length > 0) throw new Error('a rejected order published an event');
      if (moved !== 1) throw new Error(`expected the topic to grow by exactly 1 record, it grew by ${moved}`);
      const grownPartition = partitions.find((partition) => after[partition] !== before[partition]);
      if (
        grownPartition !== nextPublished.partition ||
        after[grownPartition] - 1 !== Number(nextPublished.offset)
      ) {
        throw new Error('the one new record is not the accepted order’s event');
      }
      say(
        `✓ the 409s published nothing; the 201 published exactly 1 record (p${nextPublished.partition}@${nextPublished.offset})`,
      );

      step(
        `kafka: ${ORDERS_PER_RUN} orders with the broker healthy, then ${ORDERS_PER_RUN} with it ${SLOW_BROKER_MS} ms slower each way`,
      );
      runs.push(await timeline(app, 'kafka', 'healthy', say, table));
      say();
      await proxy.slow(SLOW_BROKER_MS);
      runs.push(await timeline(app, 'kafka', 'slow', say, table));
      await proxy.healthy();
    } finally {
      await app.stop();
    }

    step('EVENT_PUBLISHER=sync (the anti-pattern): the same orders');
    app = await startApp(admin, 'sync', proxy, progress);
    try {
      // A first order opens the producer's connection to the partition leaders: not part of the lesson.
      expectStatus(await placeOrder(app, plainOrder), 201);
      runs.push(await timeline(app, 'sync', 'healthy', say, table));
      say();
      await proxy.slow(SLOW_BROKER_MS);
      runs.push(await timeline(app, 'sync', 'slow', say, table));
      await proxy.healthy();
    } finally {
      await app.stop();
    }

    step(`Side by side (medians of ${ORDERS_PER_RUN} orders each)`);
    table(runs, ['mode', 'broker', 'response ms', 'on the topic ms', 'order of the log lines']);
    for (const run of runs) {
      const expected =
        run.mode === 'kafka' ? 'commit → response → published' : 'published → commit → response';
      if (run['order of the log lines'] !== expected) {
        throw new Error(
          `${run.mode}, broker ${run.broker}: expected ${expected}, saw ${run['order of the log lines']}`,
        );
      }
    }
    const slowKafka = runs.find((run) => run.mode === 'kafka' && run.broker === 'slow');
    const slowSync = runs.find((run) => run.mode === 'sync' && run.broker === 'slow');
    if (slowSync['response ms'] < 2 * SLOW_BROKER_MS) {
      throw new Error(
        `sync with a slow broker answered in ${slowSync['response ms']} ms: it should have waited for the broker`,
      );
    }
    if (slowKafka['response ms'] >= 2 * SLOW_BROKER_MS) {
      throw new Error(
        `kafka with a slow broker answered in ${slowKafka['response ms']} ms: did it wait for the broker?`,
      );
    }
    if (slowKafka['response ms'] >= slowSync['response ms']) {
      throw new Error('kafka with a slow broker answered no faster than sync');
    }
    say('✓ kafka: the response went out before the event was published; a slow broker did not slow it down');
    say(
      '✓ sync: the record was on the topic before COMMIT, and the slow broker’s round trip was in the response',
    );
  } finally {
    await proxy.stop();
  }
});

async function startApp(admin, mode, proxy, progress) {
  await skipOldOrderEvents(admin);
  progress(`starting the order service, EVENT_PUBLISHER=${mode}`);
  return startOrderService(`07-after-commit-${mode}`, {
    EVENT_PUBLISHER: mode,
    KAFKA_BROKERS: proxy.address,
  });
}

/**
 * Places ORDERS_PER_RUN orders one after the other and shows the last one's log lines, relative to the
 * moment it was sent. Resolves the medians and the order the lines came in (the same for every order, or
 * it throws).
 */
async function timeline(app, mode, broker, say, table) {
  const orders = [];
  for (let index = 0; index < ORDERS_PER_RUN; index++) orders.push(await followOrder(app));
  const orderings = new Set(orders.map(({ lines }) => lines.map((line) => STEP_NAMES[line.msg]).join(' → ')));
  if (orderings.size !== 1)
    throw new Error(
      `${mode}, broker ${broker}: the log lines came in different orders: ${[...orderings].join(' | ')}`,
    );
  const last = orders.at(-1);
  say(`${mode}, broker ${broker}: the last of ${ORDERS_PER_RUN} orders (request ${last.requestId})`);
  table(
    last.lines.map((line) => ({
      '+ms': line.time - last.sentAt,
      'log line': line.msg,
      detail: detailOf(line),
    })),
    ['+ms', 'log line', 'detail'],
  );
  return {
    mode,
    broker,
    'response ms': Math.round(median(orders.map(({ at }) => at('request completed').durationMs))),
    'on the topic ms': median(orders.map(({ at, sentAt }) => at('event published').time - sentAt)),
    'order of the log lines': [...orderings][0],
  };
}

async function followOrder(app) {
  const sentAt = Date.now();
  const placed = await placeOrder(app, plainOrder);
  expectStatus(placed, 201);
  await published(app, placed.requestId);
  // Logged on the response's 'finish', which can come a moment after the client has read the response.
  await app.waitForLog(
    `"request completed" for ${placed.requestId}`,
    (line) => line.msg === 'request completed' && line.requestId === placed.requestId,
  );
  const lines = app.lines.filter((line) => line.requestId === placed.requestId && STEP_NAMES[line.msg]);
  return { requestId: placed.requestId, sentAt, lines, at: (msg) => lines.find((line) => line.msg === msg) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function detailOf(line) {
  if (line.msg === 'request completed') return `status ${line.status}, ${line.durationMs} ms in the app`;
  if (line.msg === 'event published') return `p${line.partition}@${line.offset}, acknowledged by the broker`;
  return `order ${line.orderId.slice(0, 8)}…`;
}

/** POST /orders with a request id of our own, to find the order's log lines. */
async function placeOrder(app, order) {
  requestCount += 1;
  const requestId = `${suffix}-${requestCount}`;
  return { requestId, ...(await app.post('/orders', order, { 'x-request-id': requestId })) };
}

function expectStatus(response, status) {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
}

function published(app, requestId) {
  return app.waitForLog(
    `"event published" for ${requestId}`,
    (line) => line.msg === 'event published' && line.requestId === requestId,
  );
}

/** The proxy child would die on EADDRINUSE without a word: say who holds the port instead. */
function requirePortFree(port) {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', () =>
      reject(new Error(`port ${port} is taken (a benchmark running?): the broker proxy needs it`)),
    );
    probe.listen(port, 'localhost', () => probe.close(resolve));
  });
}
