// The README's Kafka path, checked as a learner would walk it: with the servers of `npm run services:start`
// (KAFKA_BROKERS, DATABASE_URL), start the built service with EVENT_PUBLISHER=kafka DB_DRIVER=mysql, place
// an order, find its record with Kafka's own console consumer, see both consumer groups handle it, and
// `kafka-consumer-groups --describe` report lag 0. Used by CI after `npm run build`.
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { postOrder, runSmokeTest, startApp } from './harness.mjs';

const TOPIC = 'outside.order.completed.v1';
const GROUPS = ['data-platform', 'product-ranking'];

for (const variable of ['KAFKA_BROKERS', 'DATABASE_URL']) {
  if (!process.env[variable]) {
    console.error(`${variable} is not set: run eval "$(npm run -s services:start)" first`);
    process.exit(1);
  }
}

/** `npm run kafka -- <tool> …`, as the docs show it. */
function kafkaTool(...args) {
  return execFileSync(process.execPath, ['scripts/services/kafka-tools.mjs', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** The LAG column of `consumer-groups --describe`, summed over the topic's partitions (NaN: no rows yet). */
function lagOf(group) {
  const output = kafkaTool('consumer-groups', '--describe', '--group', group);
  const rows = output
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .filter((columns) => columns[0] === group && columns[1] === TOPIC);
  // LAG is "-" for a partition the group never committed on; then every record in it is still to read
  // (none, in a partition that never received one).
  const lagOfRow = ([, , , , logEndOffset, lag]) => Number(lag === '-' ? logEndOffset : lag);
  const lag = rows.length === 0 ? Number.NaN : rows.reduce((sum, row) => sum + lagOfRow(row), 0);
  return { lag, output };
}

const app = startApp({ EVENT_PUBLISHER: 'kafka', DB_DRIVER: 'mysql' });

await runSmokeTest(app, async (check) => {
  const placed = await postOrder(app, { userId: 1, items: [{ productId: 3, quantity: 1 }] });
  const order = await placed.json();
  check(placed.status === 201, `POST /orders answered ${placed.status} (order ${order.id})`);

  const published = await app.waitForLog(
    'the event to be published',
    (line) => line.msg === 'event published' && line.key === order.id,
  );
  check(
    [0, 1, 2].includes(published.partition),
    `the event went to ${TOPIC}, partition ${published.partition} of 3, offset ${published.offset}`,
  );

  const record = kafkaTool(
    'console-consumer',
    ...['--topic', TOPIC, '--partition', String(published.partition), '--offset', published.offset],
    ...['--max-messages', '1', '--formatter-property', 'print.key=true'],
  );
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

  // Each group commits right after its handler returns, and a group that is still settling (a member
  // joining) has no rows to show for a moment: ask again for up to 30 s.
  const deadline = Date.now() + 30_000;
  let described = GROUPS.map(lagOf);
  while (described.some(({ lag }) => lag !== 0) && Date.now() < deadline) {
    await sleep(500);
    described = GROUPS.map(lagOf);
  }
  const lags = described.map(({ lag }) => lag);
  if (lags.some((lag) => lag !== 0)) console.error(described.map(({ output }) => output).join('\n'));
  check(
    lags.every((lag) => lag === 0),
    `consumer-groups --describe: lag ${lags.join(' and ')} for ${GROUPS.join(' and ')}`,
  );
});
