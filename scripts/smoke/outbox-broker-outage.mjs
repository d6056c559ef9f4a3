// The outbox's promise, checked as the docs tell a learner to check it: the built service with
// EVENT_PUBLISHER=outbox DB_DRIVER=mysql; the broker stopped with `npm run services:stop -- kafka`; 20 orders,
// all answered 201; the broker started again; within a minute all 20 records are on the topic, each
// consumer group applied each event once, and both groups are at lag 0. Used by CI after `npm run build`.
import { createScratchMysqlDatabase } from '../support/scratch-database.mjs';
import { APP_GROUPS, ORDER_TOPIC } from '../support/order-topic.mjs';
import { waitFor, WaitTimedOut } from '../support/wait-for.mjs';
import { recordsOn, requireServers, runSmokeTest, services, settledTotalLags, startApp } from './harness.mjs';

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
  const recordsBefore = recordsOn(ORDER_TOPIC);
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
  const appliedByBoth = () =>
    appliedBy('data platform received order').size === ORDERS &&
    appliedBy('product ranking updated').size === ORDERS;
  // Not all of them after a minute is the check's to report, with the time it waited.
  await waitFor('both groups to apply every event', appliedByBoth, { timeoutMs: 60_000 }).catch((error) => {
    if (!(error instanceof WaitTimedOut)) throw error;
  });
  const seconds = ((Date.now() - restarted) / 1000).toFixed(1);
  check(
    appliedByBoth(),
    `npm run services:start -- kafka; ${seconds} s later both groups had applied all ${ORDERS} events`,
  );
  const applications = app.lines.filter(
    (line) => line.msg === 'product ranking updated' && orderIds.includes(line.orderId),
  ).length;
  check(applications === ORDERS, `the ranking applied each event once (${applications} updates)`);
  const newRecords = recordsOn(ORDER_TOPIC) - recordsBefore;
  check(newRecords === ORDERS, `kafka get-offsets: ${newRecords} new records on ${ORDER_TOPIC}`);
  const lags = await settledTotalLags(APP_GROUPS, ORDER_TOPIC);
  check(
    lags.every((lag) => lag === 0),
    `lag (log-end − committed) ${lags.join(' and ')} for ${APP_GROUPS.join(' and ')}`,
  );
});
await database.drop();
