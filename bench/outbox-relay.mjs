import { skipOldOrderEvents } from '../scripts/support/order-topic.mjs';
import { startApp } from './support/app.mjs';
import { createBenchDatabase } from './support/bench-data.mjs';
import { loadConfig, ORDER_COMPLETED_TOPIC, OutboxEventRow } from './support/built-service.mjs';
import { benchConsumer, createBenchTopic } from './support/kafka.mjs';
import { placeOrders } from './support/load.mjs';
import { elapsedMs, progress, progressDone, quantile } from './support/stats.mjs';
import { benchMessage } from './publisher-throughput.mjs';

/**
 * The outbox relay at its defaults (OUTBOX_POLL_INTERVAL_MS, OUTBOX_BATCH_SIZE), in the running app:
 * - throughput: a backlog of `backlog` committed rows appears at once (one INSERT transaction, to a topic
 *   of the bench's own that no consumer reads); how fast does the relay empty it?
 * - delay: orders at a steady `ratePerSecond`; how long from an order's commit until a consumer has its
 *   event? (Measured from the event's occurredAt, which is set just before COMMIT: a few ms on the long side.)
 */
export async function benchOutboxRelay({ admin, backlog, delaySeconds, ratePerSecond }) {
  const database = await createBenchDatabase('outbox');
  const topic = await createBenchTopic(admin, 'bench.outbox-relay');
  await skipOldOrderEvents(admin);
  const app = await startApp('outbox-relay', {
    EVENT_PUBLISHER: 'outbox',
    DB_DRIVER: 'mysql',
    DATABASE_URL: database.url,
  });
  try {
    const { pollIntervalMs, batchSize } = loadConfig({}).outbox; // the defaults, which the app runs with
    progress(`outbox relay: writing a backlog of ${backlog} rows`);
    await writeBacklog(database.database, topic.name, backlog);
    const start = performance.now();
    let unsent = backlog;
    while (unsent > 0) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      unsent = await database.database
        .em()
        .count(OutboxEventRow, { status: { $in: ['PENDING', 'SENDING'] } });
      progress(`outbox relay: ${backlog - unsent}/${backlog} rows relayed`, {
        fraction: (backlog - unsent) / backlog,
      });
    }
    const eventsPerSecond = backlog / (elapsedMs(start) / 1000);
    progressDone(
      `outbox relay: ${eventsPerSecond.toFixed(0)} events/s (batch ${batchSize}, poll ${pollIntervalMs} ms)`,
    );

    progress(`outbox relay: ${ratePerSecond} orders/s for ${delaySeconds} s, timing commit → consumer`);
    const delays = await commitToConsumerDelays(app, { seconds: delaySeconds, ratePerSecond });
    const delay = { p50Ms: quantile(delays, 0.5), p99Ms: quantile(delays, 0.99), events: delays.length };
    progressDone(
      `outbox relay: commit → consumer p50 ${delay.p50Ms} ms, p99 ${delay.p99Ms} ms (${delay.events} events)`,
    );
    return { backlog, eventsPerSecond, pollIntervalMs, batchSize, ratePerSecond, ...delay };
  } finally {
    await app.stop();
    await topic.drop();
    await database.drop();
  }
}

async function writeBacklog(database, topic, count) {
  const now = new Date();
  const rows = Array.from({ length: count }, () => {
    const message = benchMessage(topic);
    return {
      eventId: message.eventId,
      aggregateType: 'bench',
      aggregateId: message.key,
      topic,
      messageKey: message.key,
      payload: JSON.stringify(message.payload),
      headers: JSON.stringify(message.headers),
      traceContext: '', // written outside any trace, as with tracing off
      status: 'PENDING',
      attempts: 0,
      lastError: '',
      createdAt: now,
      nextAttemptAt: now,
    };
  });
  // One transaction: the relay sees the whole backlog at the same moment, as after a long broker outage.
  await database.em().transactional(async (em) => {
    for (let first = 0; first < rows.length; first += 1_000) {
      await em.insertMany(OutboxEventRow, rows.slice(first, first + 1_000));
    }
  });
}

/** Milliseconds from each paced order's occurredAt until a consumer of its own received the event. */
async function commitToConsumerDelays(app, { seconds, ratePerSecond }) {
  const { consumer, close } = benchConsumer('delay');
  const delays = [];
  let since = Infinity;
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [ORDER_COMPLETED_TOPIC], fromBeginning: false });
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const receivedAt = Date.now();
        const occurredAt = Date.parse(JSON.parse(message.value.toString()).occurredAt);
        if (occurredAt >= since) delays.push(receivedAt - occurredAt);
      },
    });
    await joined;
    since = Date.now();
    const { placed } = await placeOrders(app.baseUrl, {
      connections: 4,
      seconds,
      maxRequests: seconds * ratePerSecond,
      ratePerSecond,
    });
    const deadline = Date.now() + 10_000;
    while (delays.length < placed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return delays;
  } finally {
    await close();
  }
}
