import { readFileSync } from 'node:fs';
import os from 'node:os';
import { kafkaVersion } from '../../scripts/services/kafka-jars.mjs';

const fixed = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const ms = (value) => (value === null ? 'none answered' : `${value}`);
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '∞');
const verdict = (met) => (met ? 'met' : '**missed**');

/** A markdown table: aligned columns, so it reads the same in a terminal and in the rendered docs. */
export function table(header, rows) {
  const cells = [header, ...rows].map((row) => row.map(String));
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => row[column].length)));
  const line = (row) => `| ${row.map((cell, column) => cell.padEnd(widths[column])).join(' | ')} |`;
  return [
    line(cells[0]),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

export function orderApiTable(runs) {
  const inMemory = runs.find((run) => run.mode === 'in-memory');
  const healthyOf = (mode) => runs.find((run) => run.mode === mode && run.broker === 'healthy');
  return table(
    [
      'mode',
      'broker',
      'orders/s',
      'p50 ms',
      'p99 ms',
      'failed',
      'errors',
      'p99 ÷ in-memory',
      'p99 ÷ own healthy',
      'RSS rest → load MB',
    ],
    runs.map((run) => [
      run.mode,
      run.broker,
      fixed(run.ordersPerSecond),
      ms(run.p50Ms),
      ms(run.p99Ms),
      run.failed,
      run.errors,
      ratio(p99Ratio(run, inMemory)),
      run.broker === 'none' ? '' : ratio(p99Ratio(run, healthyOf(run.mode))),
      `${fixed(run.rssAtRestMb)} → ${fixed(run.rssUnderLoadMb)}`,
    ]),
  );
}

/** A run whose requests never came back has an unbounded p99. */
function p99Ratio(run, baseline) {
  return run.p99Ms === null ? Infinity : run.p99Ms / baseline.p99Ms;
}

export function targetsTable({ orderApi, publisher, relay, couponRush }) {
  const find = (mode, broker) => orderApi.find((run) => run.mode === mode && run.broker === broker);
  const inMemory = find('in-memory', 'none');
  const rows = [];
  for (const mode of ['kafka', 'outbox']) {
    const value = p99Ratio(find(mode, 'healthy'), inMemory);
    rows.push([`order API p99, ${mode} ÷ in-memory ≤ 1.2×`, ratio(value), verdict(value <= 1.2)]);
  }
  for (const mode of ['kafka', 'outbox']) {
    for (const broker of ['slow', 'down']) {
      const value = p99Ratio(find(mode, broker), find(mode, 'healthy'));
      rows.push([
        `order API p99, ${mode}, broker ${broker} ÷ healthy ≤ 1.2×`,
        ratio(value),
        verdict(value <= 1.2),
      ]);
    }
  }
  for (const broker of ['slow', 'down']) {
    const healthy = find('sync', 'healthy');
    const run = find('sync', broker);
    const throughput = run.ordersPerSecond / healthy.ordersPerSecond - 1;
    rows.push([
      `sync degrades, broker ${broker} (shown, not a target)`,
      `p99 ${ratio(p99Ratio(run, healthy))}, orders/s ${fixed(100 * throughput)} %`,
      'shown',
    ]);
  }
  const share = publisher.publishAll / publisher.perfTest;
  rows.push([
    'Kafka adapter ≥ 50 % of kafka-producer-perf-test',
    `${fixed(100 * share)} %`,
    verdict(share >= 0.5),
  ]);
  rows.push([
    'outbox relay ≥ 5,000 events/s',
    fixed(relay.eventsPerSecond),
    verdict(relay.eventsPerSecond >= 5_000),
  ]);
  const delayLimit = relay.pollIntervalMs + 50;
  rows.push([
    `outbox commit → consumer p99 ≤ ${delayLimit} ms`,
    `${relay.p99Ms} ms`,
    verdict(relay.p99Ms <= delayLimit),
  ]);
  const queued = couponRush.filter((run) => run.design === 'queue');
  const queueFailures = failureRate(queued);
  rows.push([
    "coupon rush, queue: failed or timed out ≤ 0.1 % (the original system's figure)",
    `${queueFailures.failed} of ${queueFailures.requests}`,
    verdict(queueFailures.failed / queueFailures.requests <= 0.001),
  ]);
  rows.push([
    'coupon rush: exactly the quantity issued, to distinct users, in queue order (the bench stops otherwise)',
    `${[...new Set(couponRush.map((run) => run.issued))].join(', ')} in each of ${couponRush.length} rushes, 0 out of order`,
    'met',
  ]);
  const peakRss = Math.max(...orderApi.map((run) => run.rssUnderLoadMb));
  rows.push([
    'app RSS under load < 250 MB (highest of all runs)',
    `${fixed(peakRss)} MB`,
    verdict(peakRss < 250),
  ]);
  return table(['target', 'measured', 'verdict'], rows);
}

export function publisherTable(publisher) {
  return table(
    ['sender', 'records/s', '÷ perf-test'],
    [
      ['kafka-producer-perf-test (Java)', fixed(publisher.perfTest), '1.00×'],
      [
        'KafkaGlobalEventPublisher.publishAll (the relay)',
        fixed(publisher.publishAll),
        ratio(publisher.publishAll / publisher.perfTest),
      ],
      [
        `KafkaGlobalEventPublisher.publish ×${publisher.concurrentPublishes} (after commit)`,
        fixed(publisher.publish),
        ratio(publisher.publish / publisher.perfTest),
      ],
    ],
  );
}

export function relayTable(relay) {
  return table(
    ['poll interval', 'batch', 'backlog', 'events/s', 'paced orders/s', 'commit → consumer p50', 'p99'],
    [
      [
        `${relay.pollIntervalMs} ms`,
        relay.batchSize,
        relay.backlog,
        fixed(relay.eventsPerSecond),
        relay.ratePerSecond,
        `${relay.p50Ms} ms`,
        `${relay.p99Ms} ms`,
      ],
    ],
  );
}

export function consumersTable(runs) {
  return table(
    ['handler', 'commit', 'records', 'records/s'],
    runs.map((run) => [run.handler, run.commit, run.records, fixed(run.recordsPerSecond)]),
  );
}

/** Where the figures came from: machine, versions, settings. */
export async function environmentLines({ database, redisVersion, quick, timing }) {
  const packages = JSON.parse(readFileSync('package.json', 'utf8'));
  const [{ version: mysqlVersion }] = await database
    .em()
    .getConnection()
    .execute('select version() as version');
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; Kafka ${kafkaVersion} (one KRaft node); MySQL-compatible server ${mysqlVersion}; Redis ${redisVersion}`,
    `- kafkajs ${packages.dependencies.kafkajs}, MikroORM ${packages.dependencies['@mikro-orm/core']}, autocannon ${packages.devDependencies.autocannon}`,
    `- Run: \`npm run bench${quick ? ' -- --quick' : ''}\`: order API ${timing.warmupSeconds} s warm-up + ${timing.measureSeconds} s measured per row, at most ${timing.maxRequests} orders; coupon rush ${timing.rushRounds}× per design`,
    '- Everything on the same machine: the app, MySQL, Kafka and the load generator share its cores.',
  ];
}

/** Each rush: what the users got, how fast, and what the campaign issued. */
export function couponRushTable(runs, { clientTimeoutMs }) {
  return table(
    [
      'design',
      'rush',
      'answered',
      'failed',
      `timed out (> ${clientTimeoutMs / 1000} s)`,
      'p50 ms',
      'p99 ms',
      'last coupon issued',
      'every user knows',
      'coupons issued',
      'out of queue order',
    ],
    runs.map((run) => [
      run.design,
      run.round,
      `${run.answered} (${answerCounts(run.answers)})`,
      run.failed - run.timedOut,
      run.timedOut,
      rushMs(run.p50Ms, clientTimeoutMs),
      rushMs(run.p99Ms, clientTimeoutMs),
      seconds(run.lastCouponMs),
      seconds(run.settledMs),
      run.issued,
      run.outOfOrder ?? 'n/a (no queue)',
    ]),
  );
}

/** Per design, over every rush: the failure rate, and the spread of the figures between rushes. */
export function couponRushSpreadTable(runs, designs, { clientTimeoutMs }) {
  return table(
    ['design', 'rushes', 'failed or timed out', 'p99 ms (min – max)', 'last coupon issued (min – max)'],
    designs.map(({ design, label }) => {
      const mine = runs.filter((run) => run.design === design);
      const { failed, requests } = failureRate(mine);
      const range = (values, format) => `${format(Math.min(...values))} – ${format(Math.max(...values))}`;
      return [
        label,
        mine.length,
        `${failed} of ${requests} (${percent(failed / requests)})`,
        range(
          mine.map((run) => run.p99Ms),
          (value) => rushMs(value, clientTimeoutMs),
        ),
        range(
          mine.map((run) => run.lastCouponMs),
          seconds,
        ),
      ];
    }),
  );
}

/**
 * The sentence the original system reported ("coupon failures fell from 15 % to 0.1 %"), from this run's
 * figures. Where the direct design failed nothing, it says so, and what the direct design cost instead.
 */
export function couponRushVerdict(runs, { clientTimeoutMs }) {
  const direct = runs.filter((run) => run.design === 'direct');
  const queue = runs.filter((run) => run.design === 'queue');
  const before = failureRate(direct);
  const after = failureRate(queue);
  const rushes = `${direct.length} rush${direct.length === 1 ? '' : 'es'} per design`;
  const worst = (mine, key) => Math.max(...mine.map((run) => run[key]));
  const costs =
    `the worst p99 of the answer was ${rushMs(worst(direct, 'p99Ms'), clientTimeoutMs)} ms direct ` +
    `against ${rushMs(worst(queue, 'p99Ms'), clientTimeoutMs)} ms with the queue, and the last coupon was issued after ` +
    `${seconds(worst(direct, 'lastCouponMs'))} against ${seconds(worst(queue, 'lastCouponMs'))}`;
  if (before.failed === 0 && after.failed === 0) {
    return (
      `**No request failed in either design on this machine** (0 of ${before.requests} direct, 0 of ` +
      `${after.requests} queued, ${rushes}), so this run cannot repeat "failures fell from 15 % to 0.1 %". ` +
      `What the direct design cost instead: ${costs}.`
    );
  }
  const verb = after.failed / after.requests < before.failed / before.requests ? 'fell' : 'did not fall';
  return (
    `**Coupon failures ${verb} from ${percent(before.failed / before.requests)} to ` +
    `${percent(after.failed / after.requests)}** (failed or timed out: ${before.failed} of ` +
    `${before.requests} requests direct, ${after.failed} of ${after.requests} with the queue; ${rushes}). ` +
    `Besides, ${costs}.`
  );
}

function failureRate(runs) {
  return {
    failed: runs.reduce((sum, run) => sum + run.failed, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
  };
}

const percent = (share) => `${(100 * share).toFixed(share > 0 && share < 0.01 ? 2 : 1)} %`;
const seconds = (milliseconds) => `${fixed(milliseconds / 1000, 1)} s`;
const answerCounts = (answers) =>
  Object.entries(answers)
    .map(([status, count]) => `${count}× ${status}`)
    .join(', ');

/** A latency that landed on a request the client gave up on is only known to exceed the timeout. */
function rushMs(value, clientTimeoutMs) {
  return Number.isFinite(value) ? fixed(value) : `> ${clientTimeoutMs}`;
}
