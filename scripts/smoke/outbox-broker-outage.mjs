// The outbox's promise, checked as the docs tell a learner to check it: the built service with
// EVENT_PUBLISHER=outbox DB_DRIVER=mysql; the broker stopped with `npm run services:stop -- kafka`; 20 orders,
// all answered 201; the broker started again; within a minute all 20 records are on the topic, each
// consumer group applied each event once, and both groups are at lag 0. Used by CI after `npm run build`.
import { setTimeout as sleep } from 'node:timers/promises';
import { createScratchMysqlDatabase } from '../support/scratch-database.mjs';
import { recordsOn, requireServers, runSmokeTest, services, settledLags, startApp } from './harness.mjs';

const TOPIC = 'outside.order.completed.v1';
const GROUPS = ['data-platform', 'product-ranking'];
const ORDERS = 20;

console.log('-- smoke: EVENT_PUBLISHER=outbox, the broker stopped, 20 orders, nothing lost');
requireServers();
// A database of its own, migrated and seeded by the app: the learner's orders and stock stay untouched.
const database = await createScratchMysqlDatabase('orders_smoke');
const app = await startApp({
  EVENT_PUBLISHER: 'outbox',
  DB_DRIVER: 'mysql',
  DATABASE_URL: database.url,
  KAFKA_SESSION_TIMEOUT_MS: '10000',
});

await runSmokeTest(app, async (check) => {
  const recordsBefore = recordsOn(TOPIC);
  services('stop', 'kafka');
  check(true, 'npm run services:stop -- kafka: the broker is down');

  const orderIds = [];
  for (let index = 0; index < ORDERS; index++) {
    // Carol (user 3) and the mouse (product 2): the demo data affords 20 of these on a fresh database.
    const placed = await app.post('/orders', { userId: 3, items: [{ productId: 2, quantity: 1 }] });
    if (placed.status !== 201)
      throw new Error(`order ${index + 1}: ${placed.status} ${JSON.stringify(placed.body)}`);
    orderIds.push(placed.body.id);
  }
  check(orderIds.length === ORDERS, `${ORDERS} orders, ${ORDERS} times 201, with the broker down`);

  const outbox = (await app.get('/health')).body.components.outbox.details;
  const unsent = outbox.pending + outbox.sending;
  check(
    unsent === ORDERS,
    `/health: ${unsent} outbox rows unsent (${outbox.pending} pending, ${outbox.sending} sending)`,
  );

  services('start', 'kafka');
  const restarted = Date.now();
  const appliedBy = (message) =>
    new Set(
      app.lines
        .filter((line) => line.msg === message && orderIds.includes(line.orderId))
        .map((line) => line.orderId),
    );
  while (
    (appliedBy('data platform received order').size < ORDERS ||
      appliedBy('product ranking updated').size < ORDERS) &&
    Date.now() - restarted < 60_000
  ) {
    await sleep(250);
  }
  const seconds = ((Date.now() - restarted) / 1000).toFixed(1);
  check(
    appliedBy('data platform received order').size === ORDERS &&
      appliedBy('product ranking updated').size === ORDERS,
    `npm run services:start -- kafka; ${seconds} s later both groups had applied all ${ORDERS} events`,
  );
  const applications = app.lines.filter(
    (line) => line.msg === 'product ranking updated' && orderIds.includes(line.orderId),
  ).length;
  check(applications === ORDERS, `the ranking applied each event once (${applications} updates)`);
  const newRecords = recordsOn(TOPIC) - recordsBefore;
  check(newRecords === ORDERS, `kafka get-offsets: ${newRecords} new records on ${TOPIC}`);
  const lags = await settledLags(GROUPS, TOPIC);
  check(
    lags.every((lag) => lag === 0),
    `lag (log-end − committed) ${lags.join(' and ')} for ${GROUPS.join(' and ')}`,
  );
});
await database.drop();
