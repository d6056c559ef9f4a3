// Chapter 08: the transactional outbox. The order service runs with EVENT_PUBLISHER=outbox on a scratch
// SQLite file and reaches the broker through the benchmark's TCP proxy (scripts/support/broker-proxy.mjs),
// so the demo can cut the broker off from the app without stopping it for anyone else. Orders placed
// meanwhile are answered at once; their events wait as outbox rows, fail a send, and reach the topic
// once the broker is back. The demo reads the rows straight from the SQLite file to show their statuses.
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { startBrokerProxy } from '../scripts/support/broker-proxy.mjs';
import { logEndOffsets } from '../scripts/support/kafka-offsets.mjs';
import { demo, waitFor } from './support/demo.mjs';
import { readRecords } from './support/records.mjs';
import {
  APP_GROUPS,
  ORDER_TOPIC,
  buildApp,
  scratchDatabaseFile,
  skipOldOrderEvents,
  startOrderService,
} from './support/app.mjs';

const repoRoot = join(import.meta.dirname, '..');
const DATABASE_NAME = '08-outbox';
const SQLITE_FILE = scratchDatabaseFile(DATABASE_NAME);
/** The port the broker's PROXIED listener advertises (scripts/services/kafka.mjs): the proxy must use it. */
const PROXY_PORT = 9095;
const ORDERS_WHILE_UP = 2;
const ORDERS_WHILE_DOWN = 5;
/** Carol buys a mouse: no coupon, so the demo data affords many of these. */
const plainOrder = { userId: 3, items: [{ productId: 2, quantity: 1 }] };

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Records and Service, the backlog and its drain';

await demo({ chapter: '08', title: 'The transactional outbox', lab }, async (context) => {
  const { admin, progress } = context;
  await requirePortFree(PROXY_PORT);
  progress('npm run build');
  buildApp();
  await skipOldOrderEvents(admin);
  const proxy = await startBrokerProxy({ listenPort: PROXY_PORT });
  try {
    progress('starting the order service');
    const app = await startOrderService(DATABASE_NAME, {
      EVENT_PUBLISHER: 'outbox',
      KAFKA_BROKERS: proxy.address,
    });
    try {
      await runDemo(context, app, proxy);
    } finally {
      await app.stop();
    }
  } finally {
    await proxy.stop();
  }
});

async function runDemo(context, app, proxy) {
  const { admin, step, say, table } = context;
  step('EVENT_PUBLISHER=outbox on SQLite; the app reaches the broker through the proxy on :9095');
  say(`app on ${app.baseUrl}, rows in ${SQLITE_FILE.slice(repoRoot.length + 1)}`);
  const topicBefore = await logEndOffsets(admin, ORDER_TOPIC);

  step(`Broker healthy: ${ORDERS_WHILE_UP} orders. The row commits with the order; the relay sends it`);
  const placed = [];
  for (let index = 0; index < ORDERS_WHILE_UP; index++) placed.push(await placeOrder(app, 'up'));
  await waitForRows('the first rows SENT', (rows) => rows.length === ORDERS_WHILE_UP && rows.every(isSent));
  const first = placed[0];
  const firstRelayed = app.lines.find(
    (line) => line.msg === 'events published' && line.eventIds.includes(first.eventId),
  );
  const ofFirst = app.lines.filter(
    (line) =>
      line.requestId === first.requestId &&
      [
        'event written to the outbox, inside the transaction',
        'order placed and committed',
        'request completed',
      ].includes(line.msg),
  );
  table(
    [...ofFirst, firstRelayed].map((line) => ({
      '+ms': line.time - first.sentAt,
      'log line': line.msg,
      detail:
        line.msg === 'events published'
          ? `by the relay: ${line.count} event(s) → ${line.partitions.map(partitionAt).join(' ')}`
          : line.msg === 'request completed'
            ? `status ${line.status}`
            : '',
    })),
    ['+ms', 'log line', 'detail'],
  );
  say('outbox_events:');
  showRows(table, outboxRows());

  step(`The proxy cuts the broker off; ${ORDERS_WHILE_DOWN} more orders`);
  await proxy.down();
  const downAt = Date.now();
  // The first order alone, so that its row is claimed alone: the relay sends one batch at a time.
  const duringOutage = [await placeOrder(app, 'down')];
  const isFirstDown = (row) => row.message_key === duringOutage[0].id;
  const firstDownRow = (
    await waitForRows('the relay to claim the first row', (rows) =>
      rows.some((row) => isFirstDown(row) && row.status === 'SENDING'),
    )
  ).find(isFirstDown);
  for (let index = 1; index < ORDERS_WHILE_DOWN; index++) duringOutage.push(await placeOrder(app, 'down'));
  placed.push(...duringOutage);
  table(
    duringOutage.map((order) => ({
      order: short(order.id),
      status: order.status,
      'answered in ms': order.answeredInMs,
    })),
  );
  const later = (row) => row.id > firstDownRow.id;
  const waiting = await waitForRows(
    'the later rows to be written',
    (rows) => rows.filter(later).length === ORDERS_WHILE_DOWN - 1,
  );
  say(
    `${secondsSince(downAt)} s into the outage: row ${firstDownRow.id} is claimed and its send is retrying; the rest wait`,
  );
  showRows(table, waiting);
  say('$ node dist/outbox-cli.js status        (what npm run outbox -- status runs, after a build)');
  say(outboxStatus());

  step('Still down: the send gives up. That row waits out a backoff; the relay claims the others');
  const notSent = await app.waitForLog(
    '"outbox batch not sent"',
    (line) => line.msg?.startsWith('outbox batch not sent'),
    40_000,
  );
  say(`+${((notSent.time - downAt) / 1000).toFixed(1)} s: ${notSent.msg}`);
  say(`  count ${notSent.count}, attempt ${notSent.attempt}, reason: ${notSent.reason}`);
  const afterFailure = await waitForRows('the failed row PENDING again and the others claimed', (rows) => {
    const failed = rows.find((row) => row.id === firstDownRow.id);
    const claimedNext = rows.filter(later).every((row) => row.status === 'SENDING');
    return failed.status === 'PENDING' && failed.attempts === 1 && failed.last_error !== '' && claimedNext;
  });
  showRows(table, afterFailure);

  step('The broker is back: the relay drains the backlog');
  await proxy.healthy();
  const upAt = Date.now();
  const drained = await waitForRows(
    'every row SENT',
    (rows) => rows.length === placed.length && rows.every(isSent),
    60_000,
  );
  say(
    `all ${drained.length} rows SENT ${Date.now() - upAt} ms after the broker came back (outage: ${((upAt - downAt) / 1000).toFixed(1)} s)`,
  );
  showRows(table, drained);
  say('$ node dist/outbox-cli.js status');
  say(outboxStatus());

  step(`Every order's event on ${ORDER_TOPIC}, read back from the offsets before the demo`);
  const records = await readRecords(context, ORDER_TOPIC, topicBefore, placed.length);
  const rowByKey = new Map(drained.map((row) => [row.message_key, row]));
  table(
    placed.map((order, index) => {
      const copies = records.filter((record) => record.key === order.id);
      return {
        order: `${index + 1}. ${short(order.id)}`,
        broker: order.broker,
        'row id': rowByKey.get(order.id).id,
        attempts: rowByKey.get(order.id).attempts,
        records: copies.length,
        'partition@offset': copies.map(({ partition, offset }) => `${partition}@${offset}`).join(' '),
      };
    }),
  );
  checkExactlyOnce(placed, records);
  const overtaken = overtakenRows(drained);
  if (overtaken.length !== 1 || overtaken[0].message_key !== firstOrderDuringOutage(placed)) {
    throw new Error(
      `expected only the first row of the outage to be SENT after later rows, saw ${overtaken.map((row) => row.id)}`,
    );
  }
  await bothGroupsAppliedOnce(app, placed);
  say(
    `✓ ${placed.length} orders, ${placed.length} records: none lost, none duplicated in this run (the promise is at least once)`,
  );
  say(
    `✓ rows ${overtakers(drained, overtaken).join(', ')} were SENT before row ${overtaken[0].id}, written earlier: ` +
      'a failed row holds back only its own key',
  );
  say(`✓ ${APP_GROUPS.join(' and ')} each applied every event once`);
}

async function placeOrder(app, broker) {
  const sentAt = Date.now();
  const { status, body } = await app.post('/orders', plainOrder);
  const answeredInMs = Date.now() - sentAt;
  if (status !== 201) throw new Error(`POST /orders answered ${status}: ${JSON.stringify(body)}`);
  const written = await app.waitForLog(
    '"event written to the outbox"',
    (line) => line.msg?.startsWith('event written to the outbox') && line.key === body.id,
  );
  return {
    id: body.id,
    status,
    sentAt,
    answeredInMs,
    broker,
    requestId: written.requestId,
    eventId: written.eventId,
  };
}

/** The outbox table, read straight from the app's SQLite file (read-only, a few rows). */
function outboxRows() {
  const database = new DatabaseSync(SQLITE_FILE, { readOnly: true, timeout: 5_000 });
  try {
    return database
      .prepare(
        'SELECT id, message_key, status, attempts, last_error, created_at, sent_at FROM outbox_events ORDER BY id',
      )
      .all();
  } finally {
    database.close();
  }
}

function waitForRows(what, accept, timeoutMs = 30_000) {
  return waitFor(
    what,
    () => {
      const rows = outboxRows();
      return accept(rows) ? rows : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

function isSent(row) {
  return row.status === 'SENT';
}

function showRows(table, rows) {
  table(
    rows.map((row) => ({
      id: row.id,
      message_key: short(row.message_key),
      status: row.status,
      attempts: row.attempts,
      last_error: row.last_error === '' ? "''" : `${row.last_error.slice(0, 42)}…`,
      'sent after ms': row.sent_at === null ? undefined : row.sent_at - row.created_at,
    })),
    ['id', 'message_key', 'status', 'attempts', 'last_error', 'sent after ms'],
  );
}

/** `npm run outbox -- status` without its build step: the demo has just built the app. */
function outboxStatus() {
  return execFileSync(process.execPath, ['dist/outbox-cli.js', 'status'], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, DB_DRIVER: 'sqlite', SQLITE_FILE },
  }).trimEnd();
}

function checkExactlyOnce(placed, records) {
  for (const order of placed) {
    const copies = records.filter((record) => record.key === order.id).length;
    if (copies !== 1) throw new Error(`order ${order.id} has ${copies} records on the topic`);
  }
  if (records.length !== placed.length)
    throw new Error(`${records.length} records for ${placed.length} orders`);
}

/** Rows sent after a row written later than them: what a failed send does across keys. */
function overtakenRows(rows) {
  return rows.filter((row) => rows.some((later) => later.id > row.id && later.sent_at < row.sent_at));
}

/** The order placed first while the broker was down. */
function firstOrderDuringOutage(placed) {
  return placed.find((order) => order.broker === 'down').id;
}

function overtakers(rows, overtaken) {
  return rows
    .filter((row) => overtaken.some((earlier) => row.id > earlier.id && row.sent_at < earlier.sent_at))
    .map((row) => row.id);
}

async function bothGroupsAppliedOnce(app, placed) {
  const ids = new Set(placed.map((order) => order.id));
  const applied = (msg) => app.lines.filter((line) => line.msg === msg && ids.has(line.orderId));
  await waitFor('both groups to apply every event', () =>
    applied('data platform received order').length >= placed.length &&
    applied('product ranking updated').length >= placed.length
      ? true
      : undefined,
  );
  for (const msg of ['data platform received order', 'product ranking updated']) {
    const orderIds = applied(msg).map((line) => line.orderId);
    if (orderIds.length !== placed.length || new Set(orderIds).size !== placed.length) {
      throw new Error(`"${msg}" logged ${orderIds.length} times for ${placed.length} orders`);
    }
  }
}

/** `outside.order.completed.v1/2@51361` → `p2@51361` */
function partitionAt(written) {
  const [, at] = written.split('/');
  return `p${at}`;
}

function short(id) {
  return `${id.slice(0, 8)}…`;
}

function secondsSince(start) {
  return ((Date.now() - start) / 1000).toFixed(1);
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
