// Chapter 04: producers. With kafkajs: a thousand records sent one send() each, all at once, and in one
// send(), counting produce requests; the latency of acks 0, 1 and all; the bytes gzip saves on JSON
// records. With Kafka's Java producer (kafka-producer-perf-test): what linger.ms and compression.type do
// to requests, latency and bytes.
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import kafkajs from 'kafkajs';
import { logEndOffsets } from '../scripts/support/kafka-offsets.mjs';
import { waitFor, WaitTimedOut } from '../scripts/support/wait-for.mjs';
import { demo } from './support/demo.mjs';

const { Kafka, Partitioners, CompressionTypes, logLevel } = kafkajs;

const RECORDS = 1_000;
const ACKS_SENDS = 200;
const PERF = { records: 3_000, recordSize: 512, perSecond: 1_000 };
const PERF_RUNS = [
  { linger: 0, compression: 'none' },
  { linger: 5, compression: 'none' },
  { linger: 20, compression: 'none' },
  { linger: 5, compression: 'lz4' },
  { linger: 5, compression: 'gzip' },
  { linger: 5, compression: 'zstd' },
];

// A plain producer: not idempotent, so acks 0 and 1 are allowed and requests are not serialized.
const PLAIN = { createPartitioner: Partitioners.DefaultPartitioner };

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Topics, records arriving per partition';

await demo({ chapter: '04', title: 'Producers', lab }, async (context) => {
  const writer = context.producer(PLAIN);
  await writer.connect();
  await sendsAndRequests(context, writer);
  await acksLatency(context, writer);
  await compressionInKafkajs(context);
  await javaProducerRuns(context);
});

async function sendsAndRequests({ admin, scratchTopic, step, say, table }, writer) {
  step(`${RECORDS} records with kafkajs: how many produce requests?`);
  const topic = await scratchTopic('sends', 3);
  const records = Array.from({ length: RECORDS }, (_, index) => orderRecord(index));
  const requests = produceRequestCounter(writer);
  await writer.send({ topic, messages: [orderRecord(-1)] }); // connection and metadata, not measured
  const rows = [
    await measure('send() each, awaited in turn', requests, async () => {
      for (const record of records) await writer.send({ topic, messages: [record] });
    }),
    await measure('send() each, all at once', requests, () =>
      Promise.all(records.map((record) => writer.send({ topic, messages: [record] }))),
    ),
    await measure('one send() with all of them', requests, () => writer.send({ topic, messages: records })),
  ];
  table(rows, ['how', 'records', 'produce requests', 'ms', 'records/s']);

  const brokers = (await admin.describeCluster()).brokers.length;
  const [serial, concurrent, batched] = rows.map((row) => row['produce requests']);
  if (serial !== RECORDS || concurrent !== RECORDS) {
    throw new Error(`expected one produce request per send(), counted ${serial} and ${concurrent}`);
  }
  if (batched > brokers) throw new Error(`one send() took ${batched} requests for ${brokers} broker(s)`);
  await expectRecords(admin, topic, 3 * RECORDS + 1);
  say(`→ kafkajs turns every send() into its own request, even ${RECORDS} at once: it has no linger.ms`);
  say(
    `→ one send() of ${RECORDS} records: one request per broker (${brokers} here), one batch per partition`,
  );
}

async function acksLatency({ admin, scratchTopic, step, say, table }, writer) {
  step(`acks: ${ACKS_SENDS} sends of one record each, awaited in turn`);
  const topic = await scratchTopic('acks', 3);
  await writer.send({ topic, messages: [orderRecord(-1)] });
  const waitsFor = { 0: 'nothing (fire and forget)', 1: 'the leader’s write', [-1]: 'every in-sync replica' };
  const rows = [];
  let expected = 1;
  let lostWithAcks0 = 0;
  for (const acks of [0, 1, -1]) {
    const latencies = [];
    for (let index = 0; index < ACKS_SENDS; index++) {
      const started = performance.now();
      await writer.send({ topic, acks, messages: [orderRecord(index)] });
      latencies.push(performance.now() - started);
    }
    expected += ACKS_SENDS;
    if (acks === 0) {
      // Nobody told the sender whether these arrived: count what the partitions hold instead.
      const arrived = await recordsArriving(admin, topic, expected);
      lostWithAcks0 = expected - arrived;
      expected = arrived;
    } else {
      await expectRecords(admin, topic, expected);
    }
    rows.push({
      acks: acks === -1 ? 'all (-1)' : String(acks),
      'the send waits for': waitsFor[acks],
      'p50 ms': percentile(latencies, 50),
      'p99 ms': percentile(latencies, 99),
    });
  }
  table(rows);
  const [none, , all] = rows;
  if (none['p50 ms'] >= all['p50 ms']) throw new Error('acks=0 was not faster than acks=all');
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  const replicas = topics[0].partitions[0].replicas.length;
  if (lostWithAcks0 === 0) {
    say(`→ all ${3 * ACKS_SENDS} records arrived, acks=0 ones included (this time: nothing went wrong)`);
  } else {
    say(`→ ${lostWithAcks0} of the ${ACKS_SENDS} acks=0 records never arrived, and no send() said so:`);
    say('  that is what acks=0 allows. Every acks=1 and acks=all record arrived');
  }
  say(`→ this topic has ${replicas} replica(s) per partition: with no followers, acks=all waits for the`);
  say('  leader alone, like acks=1. The difference needs a cluster (chapter 02)');
}

async function compressionInKafkajs({ brokers, admin, scratchTopic, step, say, table }) {
  step(`Compression with kafkajs: ${RECORDS} JSON order events in one send(), bytes written to the broker`);
  const topic = await scratchTopic('compression', 3);
  const records = Array.from({ length: RECORDS }, (_, index) => orderRecord(index));
  const counting = bytesCountingKafka(brokers);
  const writer = counting.kafka.producer(PLAIN);
  try {
    await writer.connect();
    await writer.send({ topic, messages: [orderRecord(-1)] });
    const rows = [];
    for (const [name, compression] of [
      ['none', CompressionTypes.None],
      ['gzip', CompressionTypes.GZIP],
    ]) {
      const before = counting.bytesWritten();
      await writer.send({ topic, compression, messages: records });
      const bytes = counting.bytesWritten() - before;
      rows.push({
        compression: name,
        records: RECORDS,
        'bytes sent': bytes,
        'bytes/record': bytes / RECORDS,
      });
    }
    for (const row of rows) row['÷ none'] = (row['bytes sent'] / rows[0]['bytes sent']).toFixed(2);
    table(rows);
    if (rows[1]['bytes sent'] >= rows[0]['bytes sent'])
      throw new Error('gzip did not make the request smaller');
    await expectRecords(admin, topic, 2 * RECORDS + 1);

    const refused = await writer
      .send({ topic, compression: CompressionTypes.Snappy, messages: records.slice(0, 1) })
      .then(
        () => undefined,
        (error) => error,
      );
    if (refused?.name !== 'KafkaJSNotImplemented') throw new Error('kafkajs sent Snappy without a codec');
    say(`→ Snappy: ${refused.name}: "${refused.message}". kafkajs ships gzip only;`);
    say('  snappy, lz4 and zstd need a codec package registered in CompressionCodecs');
  } finally {
    await writer.disconnect();
  }
}

async function javaProducerRuns({ scratchTopic, kafkaTool, step, say, table, progress }) {
  const { records, recordSize, perSecond } = PERF;
  step(
    `Kafka's Java producer: ${records} records of ${recordSize} B at ${perSecond}/s, acks=all, once per setting`,
  );
  const topic = await scratchTopic('perf', 3);
  say(`npm run kafka -- producer-perf-test --topic ${topic} --num-records ${records} \\`);
  say(`    --record-size ${recordSize} --throughput ${perSecond} --print-metrics \\`);
  say('    --command-property acks=all linger.ms=<n> compression.type=<codec>');
  const rows = PERF_RUNS.map(({ linger, compression }, index) => {
    progress(`run ${index + 1}/${PERF_RUNS.length}: linger.ms=${linger} compression.type=${compression}`);
    const output = kafkaTool(
      'producer-perf-test',
      ...['--topic', topic, '--num-records', String(records), '--record-size', String(recordSize)],
      ...['--throughput', String(perSecond), '--print-metrics', '--command-property', 'acks=all'],
      ...[`linger.ms=${linger}`, `compression.type=${compression}`],
    );
    return { 'linger.ms': linger, compression, ...perfResult(output, records) };
  });
  table(rows);

  const [linger0, , linger20] = rows;
  if (linger20.requests >= linger0.requests) throw new Error('linger.ms=20 did not send fewer requests');
  const gzip = rows.find((row) => row.compression === 'gzip');
  if (gzip['kB sent'] >= linger0['kB sent']) throw new Error('gzip did not send fewer bytes');
  say(
    `→ linger.ms=20 sent ${(linger0.requests / linger20.requests).toFixed(1)}× fewer requests than ` +
      `linger.ms=0 (${linger0['records/request']} → ${linger20['records/request']} records each)`,
  );
  say(
    `→ gzip sent ${gzip['kB sent']} kB instead of ${linger0['kB sent']}: the payload is random letters A–Z;`,
  );
  say('  JSON events compress far better (step 3)');
}

/** The summary line and a few metrics of `kafka-producer-perf-test --print-metrics`. */
function perfResult(output, records) {
  const summary = output.match(/(\d+) records sent, .*?, (\d+) ms 50th, \d+ ms 95th, (\d+) ms 99th/);
  if (!summary || Number(summary[1]) !== records) {
    throw new Error(`kafka-producer-perf-test did not report ${records} records sent:\n${output}`);
  }
  const metric = (name) => {
    const line = output.match(
      new RegExp(`^producer-metrics:${name}:\\{client-id=[^}]*\\}\\s*:\\s*([\\d.]+)`, 'm'),
    );
    if (!line) throw new Error(`kafka-producer-perf-test printed no ${name}`);
    return Number(line[1]);
  };
  return {
    'p50 ms': Number(summary[2]),
    'p99 ms': Number(summary[3]),
    requests: metric('request-total'),
    'records/request': Math.round(metric('records-per-request-avg')),
    'kB sent': Math.round(metric('outgoing-byte-total') / 1000),
    'compression rate': metric('compression-rate-avg').toFixed(2),
  };
}

/** A JSON event shaped like the app's order.completed envelope, with its own ids. */
function orderRecord(index) {
  const orderId = randomUUID();
  const event = {
    eventId: randomUUID(),
    type: 'order.completed',
    version: 1,
    occurredAt: new Date(Date.UTC(2026, 0, 1, 12, 0, index % 60)).toISOString(),
    payload: {
      orderId,
      userId: 1 + (index % 7),
      items: [{ productId: 1 + (index % 5), productName: 'USB-C Hub', quantity: 1, unitPrice: 45000 }],
      totalPrice: 45000,
    },
  };
  return { key: orderId, value: JSON.stringify(event) };
}

function produceRequestCounter(producer) {
  const counter = { count: 0 };
  producer.on(producer.events.REQUEST, ({ payload }) => {
    if (payload.apiName === 'Produce') counter.count += 1;
  });
  return counter;
}

async function measure(how, requests, send) {
  const before = requests.count;
  const started = performance.now();
  await send();
  const ms = performance.now() - started;
  return {
    how,
    records: RECORDS,
    'produce requests': requests.count - before,
    ms: Math.round(ms),
    'records/s': Math.round(RECORDS / (ms / 1000)),
  };
}

function percentile(values, p) {
  const sorted = values.toSorted((a, b) => a - b);
  return Number(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)].toFixed(2));
}

/**
 * The records the topic holds once `expected` have arrived, or once 10 s have passed without them: an
 * acks=0 record the broker never wrote is not coming.
 */
async function recordsArriving(admin, topic, expected) {
  return expectRecords(admin, topic, expected, { timeoutMs: 10_000 }).catch(async (error) => {
    if (!(error instanceof WaitTimedOut)) throw error;
    return recordsIn(admin, topic);
  });
}

/** Waits until the topic's partitions hold `count` records in all. */
async function expectRecords(admin, topic, count, { timeoutMs } = {}) {
  return waitFor(
    `${count} records in ${topic}`,
    async () => ((await recordsIn(admin, topic)) === count ? count : undefined),
    { timeoutMs },
  );
}

async function recordsIn(admin, topic) {
  return Object.values(await logEndOffsets(admin, topic)).reduce((sum, end) => sum + end, 0);
}

/** A kafkajs client whose sockets can tell how many bytes they wrote: the size of what was sent. */
function bytesCountingKafka(brokers) {
  const sockets = [];
  const kafka = new Kafka({
    clientId: 'demo-04-bytes',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    socketFactory: ({ host, port, onConnect }) => {
      const socket = connect({ host, port }, onConnect);
      sockets.push(socket);
      return socket;
    },
  });
  return { kafka, bytesWritten: () => sockets.reduce((sum, socket) => sum + socket.bytesWritten, 0) };
}
