// `npm run bench`: full runs, written to docs/benchmarks.md. `npm run bench -- --quick`: the same table
// from short runs (under 3 minutes), written to var/bench/benchmarks-quick.md. Needs the services
// (npm run services:start, or docker compose up -d). Not a test: it measures and prints. The one thing it
// checks is the coupon rush's outcome (exactly the campaign's quantity, in queue order): a rush that
// issues wrongly must not be reported as fast.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildApp } from '../scripts/support/app-process.mjs';
import { startBrokerProxy } from '../scripts/support/broker-proxy.mjs';
import { useServicesEnv } from '../scripts/support/services-env.mjs';

const quick = process.argv.includes('--quick');
const sizes = quick
  ? {
      warmupSeconds: 2,
      measureSeconds: 5,
      maxRequests: 20_000,
      publisherRecords: 50_000,
      relayBacklog: 20_000,
      delaySeconds: 5,
      consumerRecords: 2_000,
      rushRounds: 1,
    }
  : {
      warmupSeconds: 5,
      measureSeconds: 20,
      maxRequests: 100_000,
      publisherRecords: 200_000,
      relayBacklog: 100_000,
      delaySeconds: 20,
      consumerRecords: 10_000,
      rushRounds: 3,
    };
const DELAY_ORDERS_PER_SECOND = 50;

// $KAFKA_BROKERS, $DATABASE_URL and $REDIS_URL, else the servers of `npm run services:start`; the service
// processes and Kafka's perf tool the bench starts inherit them.
const missing = useServicesEnv();
if (missing.length > 0) {
  console.error(`${missing.join(' and ')} not set. Start the services first: npm run services:start
or, with Docker: docker compose up -d, then
  export KAFKA_BROKERS=localhost:9092 DATABASE_URL=mysql://orders:orders@localhost:3306/orders REDIS_URL=redis://localhost:6379`);
  process.exit(1);
}

console.log(`== build (the bench runs the compiled service, as npm start does)`);
buildApp();
// Imported after the build: they load the service's compiled adapters from dist/.
const { benchOrderApi, CONNECTIONS, SLOW_BROKER_DELAY_MS } = await import('./order-api.mjs');
const { benchPublisherThroughput } = await import('./publisher-throughput.mjs');
const { benchOutboxRelay } = await import('./outbox-relay.mjs');
const { benchConsumers } = await import('./consumers.mjs');
const { benchCouponRush, CLIENT_TIMEOUT_MS, RUSH_COUPONS, RUSH_DESIGNS, RUSH_USERS } =
  await import('./coupon-rush.mjs');
const { redisVersion } = await import('./support/redis.mjs');
const { benchKafka } = await import('./support/kafka.mjs');
const { createBenchDatabase } = await import('./support/bench-data.mjs');
const report = await import('./support/report.mjs');
const rushReport = await import('./support/coupon-rush-report.mjs');

const admin = benchKafka().admin();
await admin.connect();
const proxy = await startBrokerProxy();
let results;
try {
  console.log(
    `== order API: ${CONNECTIONS} connections, each publishing mode × broker healthy / slow / down`,
  );
  const orderApi = await benchOrderApi({ timing: sizes, proxy, admin });
  console.log('== publisher throughput');
  const publisher = await benchPublisherThroughput({ admin, records: sizes.publisherRecords });
  console.log('== outbox relay');
  const relay = await benchOutboxRelay({
    admin,
    backlog: sizes.relayBacklog,
    delaySeconds: sizes.delaySeconds,
    ratePerSecond: DELAY_ORDERS_PER_SECOND,
  });
  console.log('== consumers');
  const consumers = await benchConsumers({ admin, records: sizes.consumerRecords });
  console.log(
    `== coupon rush: ${RUSH_USERS} users at once for ${RUSH_COUPONS} coupons, direct vs queue, ${sizes.rushRounds}× each`,
  );
  const couponRush = await benchCouponRush({ admin, rounds: sizes.rushRounds });
  results = { orderApi, publisher, relay, consumers, couponRush };
} finally {
  await proxy.stop();
  await admin.disconnect();
}

const versionsDatabase = await createBenchDatabase('versions');
const environment = await report.environmentLines({
  database: versionsDatabase.database,
  redisVersion: await redisVersion(),
  quick,
  timing: sizes,
});
await versionsDatabase.drop();

const section = [
  `<!-- bench:start (written by npm run bench${quick ? ' -- --quick' : ''}; edit around it, not inside) -->`,
  ...environment,
  '',
  '### Targets',
  '',
  report.targetsTable(results, rushReport.couponRushTargets(results.couponRush)),
  '',
  `### Order API (${CONNECTIONS} connections; "slow" adds ${SLOW_BROKER_DELAY_MS} ms each way, "down" refuses connections)`,
  '',
  report.orderApiTable(results.orderApi),
  '',
  `### Publisher throughput (${results.publisher.records} records of ${results.publisher.recordBytes} B, acks=all, idempotent, 1 request in flight)`,
  '',
  report.publisherTable(results.publisher),
  '',
  '### Outbox relay (defaults)',
  '',
  report.relayTable(results.relay),
  '',
  '### Consumers',
  '',
  report.consumersTable(results.consumers),
  '',
  `### Coupon rush (${RUSH_USERS} users at once for ${RUSH_COUPONS} coupons; client timeout ${CLIENT_TIMEOUT_MS / 1000} s)`,
  '',
  rushReport.couponRushVerdict(results.couponRush, { clientTimeoutMs: CLIENT_TIMEOUT_MS }),
  '',
  rushReport.couponRushTable(results.couponRush, { clientTimeoutMs: CLIENT_TIMEOUT_MS }),
  '',
  rushReport.couponRushSpreadTable(results.couponRush, RUSH_DESIGNS, {
    clientTimeoutMs: CLIENT_TIMEOUT_MS,
  }),
  '<!-- bench:end -->',
].join('\n');

console.log(`\n${section}\n`);
mkdirSync('var/bench', { recursive: true });
writeFileSync('var/bench/results.json', JSON.stringify({ quick, sizes, results }, null, 2));
const target = quick ? 'var/bench/benchmarks-quick.md' : 'docs/benchmarks.md';
writeFileSync(
  target,
  quick || !existsSync(target) ? `${section}\n` : withSection(readFileSync(target, 'utf8'), section),
);
// Prettier lays tables out its own way; formatted here, the page passes `npm run lint` as written.
execFileSync(
  process.execPath,
  ['node_modules/prettier/bin/prettier.cjs', '--write', '--log-level=warn', target],
  {
    stdio: 'inherit',
  },
);
console.log(`written to ${target} (and var/bench/results.json)`);

/** Replaces the generated part of docs/benchmarks.md, keeping the prose around it. */
function withSection(document, generated) {
  const start = document.indexOf('<!-- bench:start');
  const end = document.indexOf('<!-- bench:end -->');
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${generated}\n`;
  return document.slice(0, start) + generated + document.slice(end + '<!-- bench:end -->'.length);
}
