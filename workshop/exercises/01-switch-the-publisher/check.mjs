import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_TOPIC } from '../../../scripts/support/order-topic.mjs';
import { couponOrder } from '../../../scripts/support/demo-orders.mjs';

const envFile = join(import.meta.dirname, '../../../.env');

export const exercise = {
  title: 'Switch the publisher with an env flag',
  startsFrom: 'main',
  async check(t) {
    const env = readEnvFile(t);
    if (env.EVENT_PUBLISHER !== 'kafka') {
      t.fail(
        `.env sets EVENT_PUBLISHER=${env.EVENT_PUBLISHER ?? '(nothing: the default, in-memory)'}: the order's event would never leave the process`,
        'set EVENT_PUBLISHER=kafka in .env: one line, and nothing above src/infrastructure changes',
      );
    }
    t.pass('.env sets EVENT_PUBLISHER=kafka');

    t.build();
    await t.skipOldOrderEvents();
    // The checker picks the database (a scratch SQLite file), the port and the broker it reads from.
    const { DB_DRIVER, DATABASE_URL, SQLITE_FILE, PORT, KAFKA_BROKERS, ...settings } = env;
    const app = await t.startApp(settings);
    t.pass(`the app started with your .env, on a scratch SQLite file and the broker at ${t.brokers}`);

    const before = await t.logEndOffsets(ORDER_TOPIC);
    const { status, body: order } = await app.post('/orders', couponOrder);
    if (status !== 201) t.fail(`POST /orders answered ${status}: ${JSON.stringify(order)}`);
    const records = await t.recordsAfter(ORDER_TOPIC, before, {
      enough: (found) => found.some(({ key }) => key === order.id),
    });
    const record = records.find(({ key }) => key === order.id);
    if (record === undefined) {
      t.fail(`order ${order.id} was placed, but no record keyed by it reached ${ORDER_TOPIC} within 15 s`);
    }
    t.pass(`order ${order.id} → ${ORDER_TOPIC} partition ${record.partition}, offset ${record.offset}`);

    for (const [group, message] of [
      ['data-platform', 'data platform received order'],
      ['product-ranking', 'product ranking updated'],
    ]) {
      const seen = await t.waitFor(() =>
        app.lines.find((line) => line.msg === message && line.orderId === order.id),
      );
      if (seen === undefined)
        t.fail(`the ${group} consumer group did not log "${message}" for the order within 20 s`);
      t.pass(`consumer group ${group} received it from the broker`);
    }
  },
};

/** .env as `set -a; source .env; set +a` reads it: KEY=value lines, # comments, optional quotes. */
function readEnvFile(t) {
  if (!existsSync(envFile)) {
    t.fail(
      'there is no .env file: the app runs on its defaults (SQLite and the in-memory bus)',
      'copy .env.example to .env, and change the one setting that picks the event publisher',
    );
  }
  const entries = readFileSync(envFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#') && line.includes('='))
    .map((line) => line.replace(/^export\s+/, ''))
    .map((line) => [
      line.slice(0, line.indexOf('=')).trim(),
      unquote(line.slice(line.indexOf('=') + 1).trim()),
    ]);
  return Object.fromEntries(entries.filter(([, value]) => value !== ''));
}

function unquote(value) {
  return /^(['"]).*\1$/.test(value) ? value.slice(1, -1) : value;
}
