// The README's Kafka path, checked as a learner would walk it: with the servers of `npm run services:start`
// (KAFKA_BROKERS, DATABASE_URL), start the built service with EVENT_PUBLISHER=kafka DB_DRIVER=mysql, place
// an order, find its record with Kafka's own console consumer, see both consumer groups handle it, and
// both groups reach lag 0. Used by CI after `npm run build`.
import { createScratchMysqlDatabase } from '../support/scratch-database.mjs';
import { APP_GROUPS, ORDER_TOPIC } from '../support/order-topic.mjs';
import { kafkaTool } from '../support/kafka-tool.mjs';
import { requireServers, runSmokeTest, settledTotalLags, startApp } from './harness.mjs';

console.log("-- smoke: EVENT_PUBLISHER=kafka DB_DRIVER=mysql, checked with Kafka's own CLI tools");
requireServers();

// A database of its own, migrated and seeded by the app: the learner's orders and stock stay untouched.
const database = await createScratchMysqlDatabase('orders_smoke');
const app = await startApp({ EVENT_PUBLISHER: 'kafka', DB_DRIVER: 'mysql', DATABASE_URL: database.url });

await runSmokeTest(app, async (check) => {
  const placed = await app.post('/orders', { userId: 1, items: [{ productId: 3, quantity: 1 }] });
  const order = placed.body;
  check(placed.status === 201, `POST /orders answered ${placed.status} (order ${order.id})`);

  const published = await app.waitForLog(
    'the event to be published',
    (line) => line.msg === 'event published' && line.key === order.id,
  );
  check(
    [0, 1, 2].includes(published.partition),
    `the event went to ${ORDER_TOPIC}, partition ${published.partition} of 3, offset ${published.offset}`,
  );

  const record = kafkaTool([
    'console-consumer',
    ...['--topic', ORDER_TOPIC, '--partition', String(published.partition), '--offset', published.offset],
    ...['--max-messages', '1', '--formatter-property', 'print.key=true'],
  ]);
  check(
    record.startsWith(`${order.id}\t{`),
    "Kafka's console consumer read the record, keyed by the order id",
  );

  const requestId = placed.headers.get('x-request-id');
  const handled = await Promise.all([
    app.waitForLog(
      'data-platform',
      (line) => line.msg === 'data platform received order' && line.orderId === order.id,
    ),
    app.waitForLog(
      'product-ranking',
      (line) => line.msg === 'product ranking updated' && line.orderId === order.id,
    ),
  ]);
  check(
    handled.every((line) => line.requestId === requestId),
    'both consumer groups (data-platform, product-ranking) handled the event, under its request id',
  );

  const lags = await settledTotalLags(APP_GROUPS, ORDER_TOPIC);
  check(
    lags.every((lag) => lag === 0),
    `lag (log-end − committed) ${lags.join(' and ')} for ${APP_GROUPS.join(' and ')}`,
  );
});
await database.drop();
