import { readFileSync } from 'node:fs';
import os from 'node:os';
import { kafkaVersion } from '../../scripts/services/kafka-jars.mjs';
import { perRun } from './stats.mjs';

export const fixed = (value, digits = 0) =>
  value === null || value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits);
const ms = (value) => (value === null ? 'none answered' : fixed(value));
const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : '∞');
const percent = (value) => `${fixed(100 * value)} %`;
const twoDigits = (value) => fixed(value, 2);
const verdict = (met) => (met ? 'met' : '**missed**');

/**
 * A figure of stats.mjs's `figure` as a cell: its median, and where the runs differ (as shown) their
 * lowest and highest, `513 (490 – 530)`. The verdicts judge the median.
 */
export function shown(figure, format = fixed) {
  const [median, min, max] = [figure.median, figure.min, figure.max].map((value) => format(value));
  return min === max ? median : `${median} (${min} – ${max})`;
}

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
      'CPU ms/order: app',
      'MySQL + Kafka',
    ],
    runs.map((run) => [
      run.mode,
      run.broker,
      shown(run.ordersPerSecond),
      shown(run.p50Ms, ms),
      shown(run.p99Ms, ms),
      shown(run.failed),
      shown(run.errors),
      shown(p99Ratio(run, inMemory), ratio),
      run.broker === 'none' ? '' : shown(p99Ratio(run, healthyOf(run.mode)), ratio),
      `${shown(run.rssAtRestMb)} → ${shown(run.rssUnderLoadMb)}`,
      shown(run.appCpuMsPerOrder, twoDigits),
      shown(run.serverCpuMsPerOrder, twoDigits),
    ]),
  );
}

/** The p99 ratio within each run. A run whose requests never came back has an unbounded p99. */
function p99Ratio(run, baseline) {
  return perRun([run.p99Ms, baseline.p99Ms], (p99, base) => (p99 === null ? Infinity : p99 / base));
}

/** The targets of the whole bench; `moreRows` are other parts' own (the coupon rush's). */
export function targetsTable({ orderApi, publisher, relay, consumers }, moreRows = []) {
  const find = (mode, broker) => orderApi.find((run) => run.mode === mode && run.broker === broker);
  const inMemory = find('in-memory', 'none');
  const rows = [];
  for (const mode of ['kafka', 'outbox']) {
    const value = p99Ratio(find(mode, 'healthy'), inMemory);
    rows.push([
      `order API p99, ${mode} ÷ in-memory ≤ 1.2×`,
      shown(value, ratio),
      verdict(value.median <= 1.2),
    ]);
  }
  for (const mode of ['kafka', 'outbox']) {
    for (const broker of ['slow', 'down']) {
      const value = p99Ratio(find(mode, broker), find(mode, 'healthy'));
      rows.push([
        `order API p99, ${mode}, broker ${broker} ÷ healthy ≤ 1.2×`,
        shown(value, ratio),
        verdict(value.median <= 1.2),
      ]);
    }
  }
  for (const broker of ['slow', 'down']) {
    const healthy = find('sync', 'healthy');
    const run = find('sync', broker);
    const throughput = perRun(
      [run.ordersPerSecond, healthy.ordersPerSecond],
      (orders, healthyOrders) => orders / healthyOrders - 1,
    );
    rows.push([
      `sync degrades, broker ${broker} (shown, not a target)`,
      `p99 ${shown(p99Ratio(run, healthy), ratio)}, orders/s ${shown(throughput, percent)}`,
      'shown',
    ]);
  }
  const relayShare = perTest(publisher, publisher.publishAll);
  rows.push([
    'relay publishAll ≥ 80 % of kafka-producer-perf-test',
    shown(relayShare, percent),
    verdict(relayShare.median >= 0.8),
  ]);
  const burstShare = perTest(publisher, publisher.burst);
  rows.push([
    `publish() in bursts of ${publisher.burstPublishes} ≥ 50 % of kafka-producer-perf-test`,
    shown(burstShare, percent),
    verdict(burstShare.median >= 0.5),
  ]);
  rows.push([
    `publish() ×${publisher.concurrentPublishes} closed loop (shown: bounded by the round trip)`,
    `${shown(perTest(publisher, publisher.publish), percent)}, round trip ${shown(publisher.publishRoundTripMs, twoDigits)} ms`,
    'shown',
  ]);
  rows.push([
    'outbox relay ≥ 10,000 events/s',
    shown(relay.eventsPerSecond),
    verdict(relay.eventsPerSecond.median >= 10_000),
  ]);
  const delayLimit = relay.pollIntervalMs + 50;
  rows.push([
    `outbox commit → consumer p99 ≤ ${delayLimit} ms`,
    `${shown(relay.p99Ms)} ms`,
    verdict(relay.p99Ms.median <= delayLimit),
  ]);
  const consumer = (handler, consumerName, commit) =>
    consumers.find(
      (run) => run.handler === handler && run.consumer === consumerName && run.commit === commit,
    );
  const noOp = 'nothing (commits only)';
  const containerShare = consumerRatio(
    consumer(noOp, 'KafkaListenerContainer, handle', 'AckMode.BATCH'),
    consumer(noOp, 'bare kafkajs eachBatch loop (the ceiling)', 'per batch'),
  );
  rows.push([
    'listener container, AckMode.BATCH, ≥ 50 % of the bare per-batch loop',
    shown(containerShare, percent),
    verdict(containerShare.median >= 0.5),
  ]);
  const ranking = 'product ranking (MySQL)';
  const speedUp = consumerRatio(
    consumer(ranking, 'KafkaListenerContainer, handleBatch', 'AckMode.BATCH'),
    consumer(ranking, 'KafkaListenerContainer, handle', 'AckMode.BATCH'),
  );
  rows.push([
    'product ranking on MySQL, handleBatch ≥ 3× handle',
    shown(speedUp, ratio),
    verdict(speedUp.median >= 3),
  ]);
  // In each run the highest of all its rows; then the median of those, as for every other figure.
  const peakRss = perRun(
    orderApi.map((run) => run.rssUnderLoadMb),
    (...rssOfEachRow) => Math.max(...rssOfEachRow),
  );
  rows.push([
    'app RSS under load < 250 MB (highest of all rows)',
    `${shown(peakRss)} MB`,
    verdict(peakRss.median < 250),
  ]);
  return table(['target', 'measured', 'verdict'], [...rows, ...moreRows]);
}

export function publisherTable(publisher) {
  return table(
    ['sender', 'records/s', '÷ perf-test'],
    [
      ['kafka-producer-perf-test (Java)', shown(publisher.perfTest), '1.00×'],
      [
        'KafkaGlobalEventPublisher.publishAll (the relay)',
        shown(publisher.publishAll),
        shown(perTest(publisher, publisher.publishAll), ratio),
      ],
      [
        `KafkaGlobalEventPublisher.publish, bursts of ${publisher.burstPublishes} outstanding`,
        shown(publisher.burst),
        shown(perTest(publisher, publisher.burst), ratio),
      ],
      [
        `KafkaGlobalEventPublisher.publish ×${publisher.concurrentPublishes} closed loop (round trip ${shown(publisher.publishRoundTripMs, twoDigits)} ms)`,
        shown(publisher.publish),
        shown(perTest(publisher, publisher.publish), ratio),
      ],
    ],
  );
}

/** A sender's records/s as a share of kafka-producer-perf-test's in the same run. */
function perTest(publisher, recordsPerSecond) {
  return perRun([recordsPerSecond, publisher.perfTest], (sender, perfTest) => sender / perfTest);
}

export function relayTable(relay) {
  return table(
    ['poll interval', 'batch', 'backlog', 'events/s', 'paced orders/s', 'commit → consumer p50', 'p99'],
    [
      [
        `${relay.pollIntervalMs} ms`,
        relay.batchSize,
        relay.backlog,
        shown(relay.eventsPerSecond),
        relay.ratePerSecond,
        `${shown(relay.p50Ms)} ms`,
        `${shown(relay.p99Ms)} ms`,
      ],
    ],
  );
}

/** Each run against the first of its handler: the bare loop for the no-op handler, `handle` for the ranking. */
export function consumersTable(runs) {
  const firstOf = (handler) => runs.find((run) => run.handler === handler);
  return table(
    ['handler', 'consumer', 'commit', 'records', 'records/s', "÷ the handler's first row"],
    runs.map((run) => [
      run.handler,
      run.consumer,
      run.commit,
      run.records,
      shown(run.recordsPerSecond),
      shown(consumerRatio(run, firstOf(run.handler)), ratio),
    ]),
  );
}

/** One consumer's records/s against another's, within each run. */
function consumerRatio(run, baseline) {
  return perRun([run.recordsPerSecond, baseline.recordsPerSecond], (records, base) => records / base);
}

/** Where the figures came from: machine and versions. */
export async function environmentLines({ database, redisVersion }) {
  const packages = JSON.parse(readFileSync('package.json', 'utf8'));
  const [{ version: mysqlVersion }] = await database
    .em()
    .getConnection()
    .execute('select version() as version');
  const cpus = os.cpus();
  return [
    `- Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fixed(os.totalmem() / 2 ** 30)} GiB RAM, ${os.type()} ${os.release()}`,
    `- Node ${process.version}; Kafka ${kafkaVersion} (one KRaft node); MySQL-compatible server ${mysqlVersion}; Redis ${redisVersion}`,
    `- kafkajs ${packages.dependencies.kafkajs}, MikroORM ${packages.dependencies['@mikro-orm/core']}, @redis/client ${packages.dependencies['@redis/client']}, autocannon ${packages.devDependencies.autocannon}`,
  ];
}

export const SHARED_MACHINE =
  '- Everything on the same machine: the app, MySQL, Kafka, Redis and the load generator share its cores.';
