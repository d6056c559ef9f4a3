// Chapter 08: the transactional outbox. Orders keep being accepted while the broker is unreachable; their
// events wait as rows in the order's own database and reach the topic once the broker is back.
// The app reaches the broker through the benchmark's TCP proxy (bench/support/broker-proxy.mjs), so the
// demo can cut the broker off from the app without stopping it for anyone else.
import { startBrokerProxy } from '../bench/support/broker-proxy.mjs';
import { buildApp, ORDER_TOPIC, skipOldOrderEvents, startOrderService } from './support/app.mjs';
import { demo, waitFor } from './support/demo.mjs';

const ORDERS_DURING_OUTAGE = 5;
const OUTAGE_SECONDS = 5;

await demo(
  { chapter: '08', title: 'The transactional outbox' },
  async ({ admin, kafka, step, say, table, progress }) => {
    step('Build the app; start it with EVENT_PUBLISHER=outbox, reaching the broker through a proxy');
    buildApp();
    await skipOldOrderEvents(admin);
    const proxy = await startBrokerProxy();
    const app = await startOrderService('demo-08', {
      EVENT_PUBLISHER: 'outbox',
      KAFKA_BROKERS: proxy.address,
    });
    try {
      const outbox = async () => (await app.get('/health')).body.components.outbox.details;
      const ends = await admin.fetchTopicOffsets(ORDER_TOPIC);
      const before = Object.fromEntries(ends.map(({ partition, high }) => [partition, Number(high)]));
      say(`app on ${app.baseUrl}, broker at ${proxy.address} (proxy) → the broker's PROXIED listener`);

      step('One order, broker healthy: the row is written in the order transaction, the relay sends it');
      const first = await placeOrder(app, 1);
      const relayed = await app.waitForLog('"events published"', (line) => line.msg === 'events published');
      const written = app.lines.find(
        (line) => line.msg?.startsWith('event written to the outbox') && line.key === first.id,
      );
      table([
        {
          when: `+${written.time - first.sentAt} ms`,
          what: 'outbox row written, in the order transaction',
          where: 'OutboxGlobalEventPublisher',
        },
        {
          when: `+${first.answeredAt - first.sentAt} ms`,
          what: `201 Created (order ${first.id.slice(0, 8)}…)`,
          where: 'orders-router',
        },
        {
          when: `+${relayed.time - first.sentAt} ms`,
          what: `sent to ${relayed.partitions.join(' ')}`,
          where: 'OutboxRelay (polls every 100 ms)',
        },
      ]);

      step(`The broker becomes unreachable; ${ORDERS_DURING_OUTAGE} more orders`);
      await proxy.down();
      const duringOutage = [];
      for (let index = 0; index < ORDERS_DURING_OUTAGE; index++)
        duringOutage.push(await placeOrder(app, 1 + (index % 3)));
      table(
        duringOutage.map(({ id, status, answeredAt, sentAt }) => ({
          order: `${id.slice(0, 8)}…`,
          status,
          'answered in': `${answeredAt - sentAt} ms`,
        })),
      );
      const downSince = Date.now();
      const secondsDown = () => ((Date.now() - downSince) / 1000).toFixed(1);
      while (Date.now() - downSince < OUTAGE_SECONDS * 1000) {
        const { pending, sending } = await outbox();
        progress(`broker down for ${secondsDown()} s; outbox: ${pending} PENDING, ${sending} SENDING`);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      const waiting = await outbox();
      say(
        `after ${secondsDown()} s without a broker: ${waiting.pending} PENDING, ${waiting.sending} SENDING, ` +
          `the oldest unsent for ${waiting.oldestPendingAgeMs} ms`,
      );
      if (waiting.pending + waiting.sending !== ORDERS_DURING_OUTAGE) {
        throw new Error(
          `expected ${ORDERS_DURING_OUTAGE} unsent rows during the outage, found ${JSON.stringify(waiting)}`,
        );
      }

      step('The broker is back: the relay drains the backlog');
      const backAt = Date.now();
      await proxy.healthy();
      await waitFor(
        'the outbox backlog to drain',
        async () => {
          const { pending, sending } = await outbox();
          progress(`outbox: ${pending} PENDING, ${sending} SENDING`);
          return pending + sending === 0 ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 500 },
      );
      say(`backlog empty ${Date.now() - backAt} ms after the broker came back`);

      step(`Every order's event is on ${ORDER_TOPIC}`);
      const orders = [first, ...duringOutage];
      const records = await readRecords(kafka, admin, before, orders.length);
      table(
        orders.map(({ id }, index) => {
          const copies = records.filter((record) => record.key === id);
          return {
            order: `${index + 1}. ${id.slice(0, 8)}…`,
            placed: index === 0 ? 'broker up' : 'broker down',
            records: copies.length,
            'partition@offset': copies.map(({ partition, offset }) => `${partition}@${offset}`).join(' '),
          };
        }),
      );
      const missing = orders.filter(({ id }) => !records.some((record) => record.key === id));
      if (missing.length > 0) throw new Error(`${missing.length} orders have no record on the topic`);
      say(`→ ${orders.length} orders, ${orders.length} events: nothing was lost while the broker was away`);
    } finally {
      await app.stop();
      await proxy.stop();
    }
  },
);

async function placeOrder(app, userId) {
  const sentAt = Date.now();
  const { status, body } = await app.post('/orders', { userId, items: [{ productId: 2, quantity: 1 }] });
  if (status !== 201) throw new Error(`POST /orders answered ${status}: ${JSON.stringify(body)}`);
  return { id: body.id, status, sentAt, answeredAt: Date.now() };
}

/** The records written after `from`, read by a consumer of the demo's own. */
async function readRecords(kafka, admin, from, count) {
  const groupId = `demo.outbox-reader.${Date.now()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 250 });
  const records = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [ORDER_TOPIC], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) >= (from[partition] ?? 0)) {
          records.push({ partition, offset: Number(message.offset), key: message.key?.toString() });
        }
      },
    });
    for (const [partition, offset] of Object.entries(from)) {
      consumer.seek({ topic: ORDER_TOPIC, partition: Number(partition), offset: String(offset) });
    }
    await waitFor(`${count} records on ${ORDER_TOPIC}`, () => (records.length >= count ? true : undefined));
    return records;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
