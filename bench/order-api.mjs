import { setTimeout as sleep } from 'node:timers/promises';
import { skipOldOrderEvents } from '../scripts/support/order-topic.mjs';
import { startApp, watchRss } from './support/app.mjs';
import { serviceStartPids, watchCpu } from './support/cpu-time.mjs';
import { createBenchDatabase } from './support/bench-data.mjs';
import { placeOrders } from './support/load.mjs';
import { progress, progressDone } from './support/stats.mjs';

export const PUBLISHING_MODES = ['in-memory', 'kafka', 'outbox', 'sync'];
/** Added to every chunk in each direction by the proxy when the broker is "slow": +100 ms a round trip. */
export const SLOW_BROKER_DELAY_MS = 50;
export const CONNECTIONS = 16;

/**
 * Order API throughput and latency for each publishing mode, with the broker healthy, slow and down (the
 * proxy cuts it off; in-memory has no broker). One app per mode, on a database of its own; the broker
 * states follow each other in that app, down last, as an outage would.
 */
export async function benchOrderApi({ timing, proxy, admin }) {
  // Migrated side by side before the first run rather than one before each: a second apiece, not the runs'.
  const databases = await Promise.all(
    PUBLISHING_MODES.map((mode) => createBenchDatabase(mode.replace('-', '_'))),
  );
  try {
    const runs = [];
    for (const [index, mode] of PUBLISHING_MODES.entries()) {
      runs.push(...(await benchMode(mode, databases[index], { timing, proxy, admin })));
    }
    return runs;
  } finally {
    await Promise.all(databases.map((database) => database.drop()));
  }
}

/** One publishing mode's app, loaded with each broker state in turn. */
async function benchMode(mode, database, { timing, proxy, admin }) {
  await proxy.healthy();
  // The in-memory mode's consumers read the in-process broker: the app's Kafka groups are not theirs.
  if (mode !== 'in-memory') await skipOldOrderEvents(admin);
  const app = await startApp(mode, {
    EVENT_PUBLISHER: mode,
    DB_DRIVER: 'mysql',
    DATABASE_URL: database.url,
    KAFKA_BROKERS: proxy.address,
    // A member that had to be killed leaves its group after 6 s instead of 30: the next run starts sooner.
    KAFKA_SESSION_TIMEOUT_MS: '6000',
  });
  const runs = [];
  // MySQL's and Kafka's processes, when services:start runs them here: the orders' work is theirs too.
  const servers = serviceStartPids() ?? [];
  try {
    await sleep(1_000);
    const rssAtRestMb = app.rssMb();
    for (const broker of mode === 'in-memory' ? ['none'] : ['healthy', 'slow', 'down']) {
      if (broker === 'slow') await proxy.slow(SLOW_BROKER_DELAY_MS);
      if (broker === 'down') await proxy.down();
      progress(`order API, ${mode}, broker ${broker}: warming up ${timing.warmupSeconds} s`);
      await placeOrders(app.baseUrl, {
        connections: CONNECTIONS,
        seconds: timing.warmupSeconds,
        maxRequests: timing.maxRequests,
      });
      progress(`order API, ${mode}, broker ${broker}: measuring ${timing.measureSeconds} s`);
      const peakRss = watchRss(app.pid);
      const cpuUsed = watchCpu([app.pid, ...servers]);
      const load = await placeOrders(app.baseUrl, {
        connections: CONNECTIONS,
        seconds: timing.measureSeconds,
        maxRequests: timing.maxRequests,
      });
      const [appCpu, ...serverCpu] = cpuUsed();
      const run = {
        mode,
        broker,
        ...load,
        rssAtRestMb,
        rssUnderLoadMb: peakRss(),
        appCpuMsPerOrder: msPerOrder(appCpu, load.placed),
        serverCpuMsPerOrder: servers.length === 0 ? null : msPerOrder(sumOf(serverCpu), load.placed),
      };
      runs.push(run);
      progressDone(
        `order API, ${mode.padEnd(9)} broker ${broker.padEnd(7)} ${run.ordersPerSecond.toFixed(0).padStart(5)} orders/s ` +
          `p50 ${run.p50Ms ?? '–'} ms p99 ${run.p99Ms ?? '–'} ms, ${run.failed} failed, ${run.errors} errors`,
      );
    }
  } finally {
    await proxy.healthy(); // lets the outbox relay its backlog while the app stops
    await app.stop(10_000);
  }
  return runs;
}

/** CPU milliseconds per order placed; null when none was placed or the CPU time could not be read. */
function msPerOrder(cpuSeconds, placed) {
  return cpuSeconds === undefined || placed === 0 ? null : (1000 * cpuSeconds) / placed;
}

function sumOf(values) {
  return values.includes(undefined) ? undefined : values.reduce((total, value) => total + value, 0);
}
