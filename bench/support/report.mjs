import { readFileSync } from 'node:fs';
import os from 'node:os';
import { kafkaVersion } from '../../scripts/services/kafka-jars.mjs';

export const fixed = (value, digits = 0) =>
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

/** The targets of the whole bench; `moreRows` are other parts' own (the coupon rush's). */
export function targetsTable({ orderApi, publisher, relay }, moreRows = []) {
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
  const relayShare = publisher.publishAll / publisher.perfTest;
  rows.push([
    'relay publishAll ≥ 80 % of kafka-producer-perf-test',
    `${fixed(100 * relayShare)} %`,
    verdict(relayShare >= 0.8),
  ]);
  const burstShare = publisher.burst / publisher.perfTest;
  rows.push([
    `publish() in bursts of ${publisher.burstPublishes} ≥ 50 % of kafka-producer-perf-test`,
    `${fixed(100 * burstShare)} %`,
    verdict(burstShare >= 0.5),
  ]);
  rows.push([
    `publish() ×${publisher.concurrentPublishes} closed loop (shown: bounded by the round trip)`,
    `${fixed((100 * publisher.publish) / publisher.perfTest)} %, round trip ${publisher.publishRoundTripMs.toFixed(2)} ms`,
    'shown',
  ]);
  rows.push([
    'outbox relay ≥ 10,000 events/s',
    fixed(relay.eventsPerSecond),
    verdict(relay.eventsPerSecond >= 10_000),
  ]);
  const delayLimit = relay.pollIntervalMs + 50;
  rows.push([
    `outbox commit → consumer p99 ≤ ${delayLimit} ms`,
    `${relay.p99Ms} ms`,
    verdict(relay.p99Ms <= delayLimit),
  ]);
  const peakRss = Math.max(...orderApi.map((run) => run.rssUnderLoadMb));
  rows.push([
    'app RSS under load < 250 MB (highest of all runs)',
    `${fixed(peakRss)} MB`,
    verdict(peakRss < 250),
  ]);
  return table(['target', 'measured', 'verdict'], [...rows, ...moreRows]);
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
        `KafkaGlobalEventPublisher.publish, bursts of ${publisher.burstPublishes} outstanding`,
        fixed(publisher.burst),
        ratio(publisher.burst / publisher.perfTest),
      ],
      [
        `KafkaGlobalEventPublisher.publish ×${publisher.concurrentPublishes} closed loop (round trip ${publisher.publishRoundTripMs.toFixed(2)} ms)`,
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
      fixed(run.recordsPerSecond),
      ratio(run.recordsPerSecond / firstOf(run.handler).recordsPerSecond),
    ]),
  );
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
