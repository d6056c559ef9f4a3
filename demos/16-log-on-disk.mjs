// Chapter 16: the log on disk. A partition is a directory of segment files on the broker. The demo rolls a
// new segment every second, reads one with Kafka's DumpLogSegments, lets size retention delete the oldest
// segments whole, then watches the log cleaner compact a topic to the latest value per key and, after
// delete.retention.ms, drop a tombstone.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import '../scripts/support/silence-kafkajs-timeout-warning.mjs';
import { demo, waitFor } from './support/demo.mjs';

const { ConfigResourceTypes } = kafkajs;

// A segment rolls when a record arrives and the segment's first record is older than segment.ms.
const SEGMENT_MS = 1000;
const BATCHES = 3;
const RECORDS_PER_BATCH = 5;

// The log cleaner sleeps log.cleaner.backoff.ms (15 s by default) whenever it finds nothing to do.
const CLEANER_TIMEOUT_MS = 40_000;

const ORDER_STATUSES = [
  ['order-1', 'PLACED'],
  ['order-2', 'PLACED'],
  ['order-1', 'PAID'],
  ['order-3', 'PLACED'],
  ['order-1', 'SHIPPED'],
  ['order-2', null], // a tombstone: order-2 is gone
];
const LATE_RECORD = ['order-4', 'PLACED'];
const LATER_RECORD = ['order-5', 'PLACED'];

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Topics: the log-start offset of demo.segments.<suffix> jumping from 0 to 10 at step [3]';

await demo({ chapter: '16', title: 'The log on disk', lab }, async (context) => {
  const { admin, scratchTopic, producer, step, say, table, kafkaTool } = context;
  const writer = producer();
  await writer.connect();
  const logDir = await brokerLogDir(admin);

  step(
    `A topic with segment.ms=${SEGMENT_MS}: ${BATCHES} batches of ${RECORDS_PER_BATCH} records, 1.2 s apart`,
  );
  // compact,delete: retention is then enforced by the log cleaner's thread, which looks every 15 s, instead
  // of by the broker's retention check, which runs every 5 minutes. A compaction lag of an hour keeps the
  // cleaner from compacting these records while the demo runs.
  const segments = await scratchTopic('segments', 1);
  await setTopicConfig(context, segments, {
    'segment.ms': SEGMENT_MS,
    'cleanup.policy': 'compact,delete',
    'min.compaction.lag.ms': 3_600_000,
  });
  for (let batch = 0; batch < BATCHES; batch += 1) {
    if (batch > 0) await sleep(SEGMENT_MS + 200);
    const messages = Array.from({ length: RECORDS_PER_BATCH }, (_, index) => {
      const offset = batch * RECORDS_PER_BATCH + index;
      return { key: `key-${String(offset).padStart(2, '0')}`, value: `record ${offset}` };
    });
    await writer.send({ topic: segments, messages });
  }
  const partitionDir = join(logDir, `${segments}-0`);
  say(`${partitionDir}/`);
  const files = listFiles(partitionDir);
  table(files, ['file', 'bytes']);
  const logFiles = segmentFiles(files);
  const expectedBases = Array.from({ length: BATCHES }, (_, batch) => batch * RECORDS_PER_BATCH);
  if (logFiles.map(({ base }) => base).join() !== expectedBases.join()) {
    throw new Error(
      `expected segments starting at ${expectedBases}, found ${logFiles.map(({ file }) => file)}`,
    );
  }
  say(`→ ${BATCHES} segments, each named after its first offset; the last one is the active segment`);

  step('Read the first segment file with DumpLogSegments (kafka-dump-log)');
  const firstSegment = join(partitionDir, logFiles[0].file);
  const dumped = dumpLog(context, firstSegment);
  const dumpedOffsets = dumped.records.map(({ offset }) => offset);
  if (dumpedOffsets.join() !== '0,1,2,3,4') throw new Error(`expected offsets 0–4, dumped ${dumpedOffsets}`);
  say(`→ one batch, offsets 0–${RECORDS_PER_BATCH - 1}: the segment holds exactly the first send()`);

  step('Size retention: keep about one segment’s worth of bytes (retention.bytes)');
  const retentionBytes = logFiles.at(-1).bytes;
  const totalBytes = logFiles.reduce((sum, { bytes }) => sum + bytes, 0);
  say(
    `${segments}: retention.bytes=${retentionBytes} (the active segment's size; the partition holds ${totalBytes})`,
  );
  say(
    kafkaTool(
      'configs',
      '--alter',
      '--entity-type',
      'topics',
      '--entity-name',
      segments,
      '--add-config',
      `retention.bytes=${retentionBytes}`,
    ).trim(),
  );
  const before = await logStartAndEnd(admin, segments);
  context.progress('waiting for the log cleaner thread to apply retention (up to 15 s)');
  const after = await waitFor(
    'retention to delete segments',
    async () => {
      const offsets = await logStartAndEnd(admin, segments);
      return offsets.logStart > 0 ? offsets : undefined;
    },
    { timeoutMs: CLEANER_TIMEOUT_MS, intervalMs: 500 },
  );
  table(
    [
      { moment: 'before', ...before },
      { moment: 'after retention', ...after },
    ],
    ['moment', 'logStart', 'logEnd'],
  );
  const newestBase = logFiles.at(-1).base;
  if (after.logStart !== newestBase || after.logEnd !== before.logEnd) {
    throw new Error(
      `expected log-start ${newestBase} and log-end ${before.logEnd}, got ${JSON.stringify(after)}`,
    );
  }
  const remaining = listFiles(partitionDir);
  table(remaining, ['file', 'bytes']);
  const live = segmentFiles(remaining).map(({ base }) => base);
  if (live.join() !== String(newestBase))
    throw new Error(`expected only segment ${newestBase}, found ${live}`);
  say(
    `→ log-start jumped from 0 to ${newestBase}: two whole segments went, renamed .deleted first; ` +
      'the active one stayed',
  );

  step('A compacted topic of order statuses: six records, then one more a second later');
  const statuses = await scratchTopic('statuses', 1);
  await setTopicConfig(context, statuses, {
    'cleanup.policy': 'compact',
    'segment.ms': SEGMENT_MS,
    'min.cleanable.dirty.ratio': 0.01,
    'delete.retention.ms': 1000,
  });
  await writer.send({ topic: statuses, messages: ORDER_STATUSES.map(([key, value]) => ({ key, value })) });
  await sleep(SEGMENT_MS + 200);
  // This record rolls the segment: the cleaner never touches the active segment.
  await writer.send({ topic: statuses, messages: [{ key: LATE_RECORD[0], value: LATE_RECORD[1] }] });
  const statusesDir = join(logDir, `${statuses}-0`);
  const written = await readAll(context, statuses, 'reader-before');
  table(written, ['offset', 'key', 'value']);
  const segmentsBefore = segmentFiles(listFiles(statusesDir));

  step('The log cleaner compacts the closed segment: the latest value per key, and the tombstone');
  context.progress('waiting for the log cleaner (it looks every 15 s)');
  const segmentsCompacted = await segmentsRewritten(statusesDir, segmentsBefore);
  const compacted = await readAll(context, statuses, 'reader-compacted');
  table(compacted, ['offset', 'key', 'value']);
  expectRecords(compacted, [
    [3, 'order-3', 'PLACED'],
    [4, 'order-1', 'SHIPPED'],
    [5, 'order-2', null],
    [6, ...LATE_RECORD],
  ]);
  say(
    `→ segment 0 went from ${segmentsBefore[0].bytes} to ${segmentsCompacted[0].bytes} bytes; ` +
      'offsets keep their numbers, with gaps',
  );

  step('Past delete.retention.ms (1 s here), the next cleaning also drops the tombstone');
  await sleep(1000);
  // The cleaner only comes back for a log with new dirty records: one more record rolls the segment again.
  await writer.send({ topic: statuses, messages: [{ key: LATER_RECORD[0], value: LATER_RECORD[1] }] });
  context.progress('waiting for the log cleaner’s next pass (up to 15 s)');
  await segmentsRewritten(statusesDir, segmentFiles(listFiles(statusesDir)));
  const final = await readAll(context, statuses, 'reader-final');
  table(final, ['offset', 'key', 'value']);
  expectRecords(final, [
    [3, 'order-3', 'PLACED'],
    [4, 'order-1', 'SHIPPED'],
    [6, ...LATE_RECORD],
    [7, ...LATER_RECORD],
  ]);
  const offsets = await logStartAndEnd(admin, statuses);
  say(
    `→ order-2 is gone for good; log-start ${offsets.logStart}, log-end ${offsets.logEnd}: ` +
      'compaction moves neither',
  );
  dumpLog(context, join(statusesDir, segmentFiles(listFiles(statusesDir))[0].file));
});

/** The directory the broker keeps its partitions in (its `log.dirs`, one directory in both setups). */
async function brokerLogDir(admin) {
  const { brokers } = await admin.describeCluster();
  const { resources } = await admin.describeConfigs({
    resources: [
      { type: ConfigResourceTypes.BROKER, name: String(brokers[0].nodeId), configNames: ['log.dirs'] },
    ],
    includeSynonyms: false,
  });
  return resources[0].configEntries[0].configValue.split(',')[0];
}

/** Sets topic configs with Kafka's CLI (kafkajs's alterConfigs would reset every config it is not given). */
async function setTopicConfig({ kafkaTool, say }, topic, configs) {
  const pairs = Object.entries(configs).map(([name, value]) => `${name}=${value}`);
  say(`${topic}: ${pairs.join(', ')}`);
  // Brackets keep the comma in compact,delete inside one value.
  const list = pairs.map((pair) => (pair.includes(',') ? pair.replace('=', '=[') + ']' : pair)).join(',');
  kafkaTool('configs', '--alter', '--entity-type', 'topics', '--entity-name', topic, '--add-config', list);
}

/**
 * The files of a partition directory with their sizes. With docker compose's broker the directory is inside
 * its container, so the demo asks the container.
 */
function listFiles(dir) {
  if (existsSync(dir)) {
    return readdirSync(dir)
      .sort()
      .flatMap((file) => {
        try {
          return [{ file, bytes: statSync(join(dir, file)).size }];
        } catch {
          return []; // removed between the listing and the stat
        }
      });
  }
  const listing = execFileSync(
    'docker',
    [
      'compose',
      'exec',
      '-T',
      'kafka',
      'sh',
      '-c',
      `cd '${dir}' && for f in *; do echo "$f $(wc -c < "$f")"; done`,
    ],
    { encoding: 'utf8' },
  );
  return listing
    .trim()
    .split('\n')
    .map((line) => {
      const [file, bytes] = line.trim().split(/\s+/);
      return { file, bytes: Number(bytes) };
    });
}

/** The live segments (`<first offset>.log`, not `.deleted`), oldest first. */
function segmentFiles(files) {
  return files
    .filter(({ file }) => file.endsWith('.log'))
    .map(({ file, bytes }) => ({ file, bytes, base: Number(file.slice(0, -'.log'.length)) }));
}

/** Runs kafka-dump-log on a segment and prints its batch and record lines, trimmed to the telling fields. */
function dumpLog({ kafkaTool, say, progress }, file) {
  say(`$ npm run kafka -- dump-log --print-data-log --files ${file}`);
  progress('running kafka-dump-log');
  const output = kafkaTool('dump-log', '--print-data-log', '--files', file);
  const records = [];
  for (const line of output.split('\n')) {
    const batch = line.match(/^baseOffset: (\d+) lastOffset: (\d+) count: (\d+)/);
    const record = line.match(/^\| offset: (\d+) .* key: (\S+) payload: ?(.*)$/);
    if (batch) say(`baseOffset: ${batch[1]} lastOffset: ${batch[2]} count: ${batch[3]} …`);
    if (record) {
      say(`| offset: ${record[1]} … key: ${record[2]} payload: ${record[3]}`);
      records.push({ offset: Number(record[1]), key: record[2], payload: record[3] });
    }
  }
  return { records };
}

async function logStartAndEnd(admin, topic) {
  const [{ low, high }] = await admin.fetchTopicOffsets(topic);
  return { logStart: Number(low), logEnd: Number(high) };
}

/**
 * Waits until the log cleaner has rewritten the partition's closed segments (their files or sizes differ
 * from `before`); resolves to the segments after.
 */
function segmentsRewritten(dir, before) {
  const shape = (segments) => segments.map(({ file, bytes }) => `${file}:${bytes}`).join();
  return waitFor(
    'the log cleaner',
    () => {
      const now = segmentFiles(listFiles(dir));
      return shape(now) !== shape(before) ? now : undefined;
    },
    { timeoutMs: CLEANER_TIMEOUT_MS, intervalMs: 250 },
  );
}

/** Reads a topic from the beginning up to its log-end offset with a consumer of a new group, `reader`. */
async function readAll(context, topic, reader) {
  const { logEnd } = await logStartAndEnd(context.admin, topic);
  const group = context.scratchGroup(reader);
  const consumer = context.consumer({ groupId: group, maxWaitTimeInMs: 200 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const records = [];
  await consumer.run({
    eachMessage: async ({ message }) => {
      const value = message.value === null ? '(tombstone)' : message.value.toString();
      records.push({ offset: Number(message.offset), key: message.key.toString(), value });
    },
  });
  context.progress(`consumer in ${group} joined; reading ${topic} from the beginning`);
  await waitFor(`${topic} read to offset ${logEnd - 1}`, () => records.at(-1)?.offset >= logEnd - 1, {
    timeoutMs: 30_000,
  });
  await consumer.disconnect();
  return records;
}

function expectRecords(actual, expected) {
  const shown = actual.map(({ offset, key, value }) => `${offset} ${key}=${value}`).join(', ');
  const wanted = expected
    .map(([offset, key, value]) => `${offset} ${key}=${value ?? '(tombstone)'}`)
    .join(', ');
  if (shown !== wanted) throw new Error(`expected records ${wanted}, read ${shown}`);
}
