// The README's first command, checked: the built service on its embedded default (SQLite, in-memory bus)
// takes an order over real HTTP, the data-platform consumer logs it, bad input is refused, and SIGTERM
// ends it cleanly. Used by CI after `npm run build`.
import { scratchSqliteFile } from '../support/scratch-database.mjs';
import { runSmokeTest, startApp } from './harness.mjs';

console.log("-- smoke: the README's first command, on the embedded SQLite and in-memory bus");
const app = await startApp({
  EVENT_PUBLISHER: 'in-memory',
  DB_DRIVER: 'sqlite',
  SQLITE_FILE: scratchSqliteFile('smoke-embedded'),
});

await runSmokeTest(app, async (check) => {
  const placed = await app.post('/orders', { userId: 1, items: [{ productId: 1, quantity: 1 }] });
  const order = placed.body;
  check(placed.status === 201, `POST /orders answered ${placed.status} (order ${order.id})`);
  const received = await app.waitForLog(
    'the consumer line',
    (line) => line.msg === 'data platform received order' && line.orderId === order.id,
  );
  check(
    received.requestId === placed.headers.get('x-request-id'),
    'the data-platform consumer logged the order with its request id',
  );

  const malformed = await app.post('/orders', '{');
  check(malformed.status === 400, `malformed JSON answered ${malformed.status}`);
  const unknown = await app.post('/orders', { userId: 1, items: [{ productId: 999, quantity: 1 }] });
  check(unknown.status === 404, `an unknown product answered ${unknown.status}`);
});
