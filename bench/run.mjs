// `npm run bench`: the full pass, every part 3 times, written to docs/benchmarks.md: each figure is the
// median of the runs, with their lowest and highest. `npm run bench -- --quick`: the same tables from
// one run of smaller parts (run in CI), written to var/bench/benchmarks-quick.md. `--runs=N`: N runs
// instead (N rushes per design for the coupon rush). `--only=coupon-rush`: the coupon rush alone, which
// rewrites only its own part of the page. Finds Kafka, MySQL and Redis as the demos do
// (support/services.mjs). Not a test: it measures and prints. The one thing it checks is the coupon rush's
// outcome (exactly the campaign's quantity, in queue order): a rush that issues wrongly must not be
// reported as fast.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildApp } from '../scripts/support/app-process.mjs';
import { startBrokerProxy } from '../scripts/support/broker-proxy.mjs';
import { findServices, servicesMissingMessage } from './support/services.mjs';
import { elapsedMs, mergeRuns } from './support/stats.mjs';

const startedAt = performance.now();
const quick = process.argv.includes('--quick');
const onlyCouponRush = process.argv.includes('--only=coupon-rush');
const runsFlag = process.argv.find((argument) => argument.startsWith('--runs='));
const runs = runsFlag === undefined ? (quick ? 1 : 3) : Number(runsFlag.slice('--runs='.length));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`${runsFlag}: --runs=N takes a whole number of runs, 1 or more.`);
  process.exit(1);
}
// The full pass's parts are smaller than one run alone would make them, so that its 3 runs take about
// 14 minutes: the median of 3 runs steadies a figure more than one run 3 times as long.
const sizes = quick
  ? {
      warmupSeconds: 2,
      measureSeconds: 4,
      maxRequests: 20_000,
      // Fewer and perf-test would still be warming up its JVM when it ends, and a do-nothing consumer
      // would finish in a few milliseconds: both ratios would measure the start, not the pace.
      publisherRecords: 50_000,
      relayBacklog: 10_000,
      delaySeconds: 4,
      consumerRecords: 5_000,
    }
  : {
      warmupSeconds: 3,
      measureSeconds: 12,
      maxRequests: 100_000,
      publisherRecords: 100_000,
      relayBacklog: 50_000,
      delaySeconds: 15,
      consumerRecords: 10_000,
    };
const DELAY_ORDERS_PER_SECOND = 50;
/** Seconds each part took, all its runs together, printed at the end (the quick pass should stay under 3 minutes). */
const partSeconds = {};

const servers = await findServices();
if (servers.some((server) => server.failure)) {
  console.error(servicesMissingMessage(servers));
  process.exit(1);
}
console.log('== services');
for (const { name, address, source } of servers) console.log(`  ${name.padEnd(7)}${address} (${source})`);

console.log(`== build (the bench runs the compiled service, as npm start does)`);
await timed('build', buildApp);
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
let results;
try {
  results = onlyCouponRush ? {} : await benchOrderFlowRuns();
  console.log(
    `== coupon rush: ${RUSH_USERS} users at once for ${RUSH_COUPONS} coupons, direct vs queue, ${runs}× each`,
  );
  // The coupon rush repeats itself: one rush per design and run, each shown, and their spread.
  results.couponRush = await timed('coupon rush', () => benchCouponRush({ admin, rounds: runs }));
} finally {
  await admin.disconnect();
}

/**
 * The order flow's parts `runs` times, their rows merged into one per identity (mode and broker; handler
 * and commit), each figure the runs' median with their lowest and highest (support/stats.mjs). Each run
 * goes through every part before the next run begins, so a spell of load from elsewhere on the machine
 * falls on one run of several parts, not on every run of one part.
 */
async function benchOrderFlowRuns() {
  const eachRun = [];
  for (let run = 1; run <= runs; run++) {
    if (runs > 1) console.log(`== run ${run} of ${runs}`);
    eachRun.push(await benchOrderFlow());
  }
  const rowsOf = (part) => eachRun.map((run) => run[part]);
  const oneRowOf = (part) => eachRun.map((run) => [run[part]]);
  const publisherSettings = ['records', 'recordBytes', 'concurrentPublishes', 'burstPublishes'];
  const relaySettings = ['backlog', 'pollIntervalMs', 'batchSize', 'ratePerSecond'];
  return {
    orderApi: mergeRuns(rowsOf('orderApi')),
    publisher: mergeRuns(oneRowOf('publisher'), { settings: publisherSettings })[0],
    relay: mergeRuns(oneRowOf('relay'), { settings: relaySettings })[0],
    consumers: mergeRuns(rowsOf('consumers'), { settings: ['records'] }),
  };
}

/** The parts about the order flow and its publishing modes: the first generated part of the page. */
async function benchOrderFlow() {
  const proxy = await startBrokerProxy();
  try {
    console.log(
      `== order API: ${CONNECTIONS} connections, each publishing mode × broker healthy / slow / down`,
    );
    const orderApi = await timed('order API', () => benchOrderApi({ timing: sizes, proxy, admin }));
    console.log('== publisher throughput');
    const publisher = await timed('publisher throughput', () =>
      benchPublisherThroughput({ admin, records: sizes.publisherRecords }),
    );
    console.log('== outbox relay');
    const relay = await timed('outbox relay', () =>
      benchOutboxRelay({
        admin,
        backlog: sizes.relayBacklog,
        delaySeconds: sizes.delaySeconds,
        ratePerSecond: DELAY_ORDERS_PER_SECOND,
      }),
    );
    console.log('== consumers');
    const consumers = await timed('consumers', () =>
      benchConsumers({ admin, records: sizes.consumerRecords }),
    );
    return { orderApi, publisher, relay, consumers };
  } finally {
    await proxy.stop();
  }
}

const versionsDatabase = await createBenchDatabase('versions');
const environment = await report.environmentLines({
  database: versionsDatabase.database,
  redisVersion: await redisVersion(),
});
await versionsDatabase.drop();
const flags = [quick && '--quick', runsFlag, onlyCouponRush && '--only=coupon-rush'].filter(Boolean);
const command = `npm run bench${flags.length > 0 ? ` -- ${flags.join(' ')}` : ''}`;

const runsLine =
  runs === 1
    ? 'one run of each part'
    : `${runs} runs of each part, one after the other; each figure is their median, with the lowest and highest in brackets where they differ`;

// Two generated parts, each with the figures' provenance: a full run writes both, --only=coupon-rush
// rewrites the second and leaves the first as it was.
const sections = [];
if (!onlyCouponRush) {
  sections.push(
    [
      `<!-- bench:start (written by ${command}; edit around it, not inside) -->`,
      ...environment,
      `- Run: \`${command}\`: ${runsLine}; order API ${sizes.warmupSeconds} s warm-up + ${sizes.measureSeconds} s measured per row, at most ${sizes.maxRequests} orders`,
      report.SHARED_MACHINE,
      '',
      '### Targets',
      '',
      report.targetsTable(results),
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
      '<!-- bench:end -->',
    ].join('\n'),
  );
}
const rushOptions = { clientTimeoutMs: CLIENT_TIMEOUT_MS };
sections.push(
  [
    `<!-- bench-coupon-rush:start (written by ${command}; edit around it, not inside) -->`,
    ...environment,
    `- Run: \`${command}\`: ${runs} rush${runs === 1 ? '' : 'es'} per design, one after the other, of ${RUSH_USERS} users at once for ${RUSH_COUPONS} coupons; client timeout ${CLIENT_TIMEOUT_MS / 1000} s`,
    report.SHARED_MACHINE,
    '',
    rushReport.couponRushVerdict(results.couponRush, rushOptions),
    '',
    report.table(['target', 'measured', 'verdict'], rushReport.couponRushTargets(results.couponRush)),
    '',
    rushReport.couponRushTable(results.couponRush, rushOptions),
    '',
    rushReport.couponRushSpreadTable(results.couponRush, RUSH_DESIGNS, rushOptions),
    '<!-- bench-coupon-rush:end -->',
  ].join('\n'),
);
const section = sections.join('\n\n');

console.log(`\n${section}\n`);
mkdirSync('var/bench', { recursive: true });
writeFileSync('var/bench/results.json', JSON.stringify({ quick, runs, sizes, results }, null, 2));
const target = quick ? 'var/bench/benchmarks-quick.md' : 'docs/benchmarks.md';
writeFileSync(
  target,
  quick || !existsSync(target) ? `${section}\n` : sections.reduce(withSection, readFileSync(target, 'utf8')),
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
const took = Object.entries(partSeconds).map(([part, seconds]) => `${part} ${seconds} s`);
const inRuns = runs === 1 ? '' : ` (${runs} runs)`;
console.log(`took ${Math.round(elapsedMs(startedAt) / 1000)} s in all${inRuns}: ${took.join(', ')}`);

/** Runs one part of the bench and adds how many seconds it took to that part's time. */
async function timed(part, run) {
  const start = performance.now();
  try {
    return await run();
  } finally {
    partSeconds[part] = (partSeconds[part] ?? 0) + Math.round(elapsedMs(start) / 1000);
  }
}

/** Replaces the generated part its first line names (bench, bench-coupon-rush), keeping the prose around. */
function withSection(document, generated) {
  const name = /^<!-- ([\w-]+):start/.exec(generated)[1];
  const start = document.indexOf(`<!-- ${name}:start`);
  const end = document.indexOf(`<!-- ${name}:end -->`);
  if (start === -1 || end === -1) return `${document.trimEnd()}\n\n${generated}\n`;
  return document.slice(0, start) + generated + document.slice(end + `<!-- ${name}:end -->`.length);
}
