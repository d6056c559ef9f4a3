// Chapter 01: one order through the hexagon. The order service runs on Kafka (EVENT_PUBLISHER=kafka) and
// a scratch SQLite file; the README's order goes in with a request id of our own, and the app's log lines
// for that request id become a timeline, each step next to the file that did it. Then a consumer of our
// own reads the record the app published, from the partition and offset the app logged.
import { randomBytes } from 'node:crypto';
import { demo } from './support/demo.mjs';
import {
  APP_GROUPS,
  ORDER_TOPIC,
  buildApp,
  couponOrder,
  skipOldOrderEvents,
  startOrderService,
} from './support/app.mjs';

/** Which file (under src/) logs which line. The path names the layer. */
const FILES = {
  'order placed and committed': 'application/order/place-order/place-order.ts',
  'request completed': 'interfaces/http/request-tracking.ts',
  'event published': 'infrastructure/messaging/kafka/kafka-global-event-publisher.ts',
  'data platform received order': 'interfaces/messaging/consumers/data-platform-interlock.ts',
  'product ranking updated': 'interfaces/messaging/consumers/product-ranking-updater.ts',
};

await demo(
  { chapter: '01', title: 'Tour of the hexagon' },
  async ({ admin, brokers, consumer, scratchGroup, step, say, table, progress }) => {
    step('Build the app and start it: EVENT_PUBLISHER=kafka, a scratch SQLite database');
    progress('npm run build');
    buildApp();
    await skipOldOrderEvents(admin);
    progress('starting the order service');
    const app = await startOrderService('01-tour', { EVENT_PUBLISHER: 'kafka', KAFKA_BROKERS: brokers });
    try {
      say(
        `listening on ${app.baseUrl}; consumer groups ${APP_GROUPS.join(', ')} subscribed to ${ORDER_TOPIC}`,
      );

      step("POST /orders with the README's order and an x-request-id of our own");
      const requestId = `tour-${randomBytes(3).toString('hex')}`;
      const sentAt = Date.now();
      const placed = await app.post('/orders', couponOrder, { 'x-request-id': requestId });
      if (placed.status !== 201)
        throw new Error(`expected 201, got ${placed.status}: ${JSON.stringify(placed.body)}`);
      const orderId = placed.body.id;
      say(`x-request-id: ${requestId}`);
      say(`body:         ${JSON.stringify(couponOrder)}`);
      say(`→ ${placed.status}, order ${orderId}, paid ${placed.body.paidAmount}`);

      step(`The story of request ${requestId}, from the app's own log lines`);
      const ofThisRequest = (msg) => (line) => line.msg === msg && line.requestId === requestId;
      const published = await app.waitForLog('"event published"', ofThisRequest('event published'));
      await app.waitForLog('"data platform received order"', ofThisRequest('data platform received order'));
      await app.waitForLog('"product ranking updated"', ofThisRequest('product ranking updated'));
      const story = app.lines.filter((line) => line.requestId === requestId && FILES[line.msg]);
      table(
        [
          {
            '+ms': 0,
            'file (src/…)': 'interfaces/http/http-app.ts → orders/orders-router.ts',
            what: 'POST /orders sent by this demo',
          },
          ...story.map((line) => ({
            '+ms': line.time - sentAt,
            'file (src/…)': FILES[line.msg],
            what: describe(line),
          })),
        ],
        ['+ms', 'file (src/…)', 'what'],
      );

      step(
        `Read the record back: a consumer of our own, partition ${published.partition} at offset ${published.offset}`,
      );
      const record = await readRecord(consumer, scratchGroup('tour'), published.partition, published.offset);
      say(`key:     ${record.key}`);
      say('headers:');
      table(
        Object.entries(record.headers).map(([name, value]) => ({ name, value })),
        ['name', 'value'],
      );
      say('value:');
      say(prettyJson(JSON.parse(record.value)));

      step('Check');
      const checks = [
        [record.key === orderId, `the record's key is the order id (${orderId})`],
        [
          record.headers['event-id'] === published.eventId,
          `its event-id header is the event id the app logged`,
        ],
        [record.headers['request-id'] === requestId, `its request-id header is ours (${requestId})`],
        [
          story.some((line) => line.msg === 'data platform received order' && line.orderId === orderId),
          'group data-platform logged receipt',
        ],
        [
          story.some((line) => line.msg === 'product ranking updated' && line.orderId === orderId),
          'group product-ranking logged receipt',
        ],
        [
          orderOf(story, 'request completed') < orderOf(story, 'event published'),
          'the response was logged before the event was published',
        ],
      ];
      for (const [ok, claim] of checks) {
        if (!ok) throw new Error(`not so: ${claim}`);
        say(`✓ ${claim}`);
      }
    } finally {
      await app.stop();
    }
  },
);

/** What one log line of the order's story says, in the tour's words. */
function describe(line) {
  switch (line.msg) {
    case 'order placed and committed':
      return `COMMIT; order ${short(line.orderId)} placed`;
    case 'request completed':
      return `response ${line.status} sent (${line.durationMs} ms in the app)`;
    case 'event published':
      return `event published: ${line.topic} p${line.partition}@${line.offset}, key ${short(line.key)}`;
    case 'data platform received order':
      return `group data-platform received p${line.partition}@${line.offset}`;
    default:
      return `group product-ranking counted products ${line.products.join(', ')}`;
  }
}

/** JSON with two levels indented and anything deeper on one line: an order's items stay one per line. */
function prettyJson(value, depth = 0) {
  if (value === null || typeof value !== 'object' || depth > 2) return JSON.stringify(value);
  const indent = '  '.repeat(depth + 1);
  const entries = Array.isArray(value)
    ? value.map((each) => `${indent}${prettyJson(each, depth + 1)}`)
    : Object.entries(value).map(
        ([key, each]) => `${indent}${JSON.stringify(key)}: ${prettyJson(each, depth + 1)}`,
      );
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return `${open}\n${entries.join(',\n')}\n${'  '.repeat(depth)}${close}`;
}

function short(id) {
  return `${id.slice(0, 8)}…`;
}

function orderOf(lines, msg) {
  return lines.findIndex((line) => line.msg === msg);
}

/** Reads one record at partition/offset with a consumer in a scratch group. */
async function readRecord(makeConsumer, groupId, partition, offset) {
  const reader = makeConsumer({ groupId });
  await reader.connect();
  await reader.subscribe({ topics: [ORDER_TOPIC] });
  let resolve;
  const received = new Promise((settle) => (resolve = settle));
  await reader.run({
    autoCommit: false,
    eachMessage: async ({ partition: p, message }) => {
      if (p === partition && message.offset === offset) resolve(message);
    },
  });
  reader.seek({ topic: ORDER_TOPIC, partition, offset });
  const timeout = setTimeout(() => resolve(undefined), 30_000);
  const message = await received;
  clearTimeout(timeout);
  await reader.disconnect();
  if (!message)
    throw new Error(`no record at ${ORDER_TOPIC} partition ${partition} offset ${offset} within 30 s`);
  return {
    key: message.key?.toString(),
    value: message.value.toString(),
    headers: Object.fromEntries(
      Object.entries(message.headers).map(([name, value]) => [name, value.toString()]),
    ),
  };
}
