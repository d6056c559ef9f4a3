// Chapter 03: topics, partitions and keys. Three records per key go to a three-partition topic through
// kafkajs; every key stays in one partition and its records stay in order there, while keys interleave.
// Kafka's Java console producer sends the same keys to a second topic and picks the same partitions.
// Growing the topic to six partitions moves some keys. With keys on the command line
// (`npm run demo:partitions -- user-1 user-2`) it only shows where those keys land.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { kafkaTool } from '../scripts/support/kafka-tool.mjs';
import { ORDER_TOPIC } from '../scripts/support/order-topic.mjs';
import { demo, waitFor } from './support/demo.mjs';

const { Partitioners } = kafkajs;

const KEYS = ['order-1', 'order-2', 'order-3', 'order-4', 'order-5', 'order-6', 'user-7', 'user-42'];
const RECORDS_PER_KEY = 3;
const PARTITIONS = 3;

// As the app's producer (kafka-client.ts): Java's partitioner, murmur2 of the key modulo the partitions.
const PRODUCER_CONFIG = { createPartitioner: Partitioners.DefaultPartitioner };

const learnerKeys = process.argv.slice(2);

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Topics and Records, each key in its partition';

await demo({ chapter: '03', title: 'Topics, partitions and keys', lab }, async (context) =>
  learnerKeys.length > 0 ? whereDoTheseKeysLand(context, learnerKeys) : tour(context),
);

async function tour(context) {
  const { scratchTopic, scratchGroup, consumer, producer, step, say, table, progress } = context;

  step(
    `Two topics with ${PARTITIONS} partitions each; ${KEYS.length} keys, ${RECORDS_PER_KEY} records per key`,
  );
  const viaKafkajs = await scratchTopic('keys', PARTITIONS);
  const viaJava = await scratchTopic('keys-java', PARTITIONS);
  const sequence = recordSequence();
  say(`${viaKafkajs}  ← kafkajs (DefaultPartitioner)`);
  say(`${viaJava}  ← Kafka's Java console producer`);
  say(`sent in rounds: ${KEYS[0]} #1, ${KEYS[1]} #1, … ${KEYS.at(-1)} #1, then every key’s #2, then #3`);

  const received = { [viaKafkajs]: [], [viaJava]: [] };
  const reader = consumer({ groupId: scratchGroup('reader'), maxWaitTimeInMs: 500 });
  await reader.connect();
  await reader.subscribe({ topics: [viaKafkajs, viaJava], fromBeginning: true });
  await reader.run({
    eachMessage: async ({ topic, partition, message }) => {
      received[topic].push({
        partition,
        offset: Number(message.offset),
        key: message.key.toString(),
        value: message.value.toString(),
      });
    },
  });

  step('Send them one by one with kafkajs: the partition each send reports');
  const writer = producer(PRODUCER_CONFIG);
  await writer.connect();
  const sent = [];
  for (const record of sequence) {
    const [written] = await writer.send({ topic: viaKafkajs, messages: [record] });
    sent.push({ ...record, partition: written.partition, offset: Number(written.baseOffset) });
  }
  const kafkajsPartitions = partitionPerKey(sent);
  table(
    KEYS.map((key) => {
      const ofKey = sent.filter((record) => record.key === key);
      return {
        key,
        partition: kafkajsPartitions.get(key),
        offsets: ofKey.map(({ offset }) => offset).join(', '),
      };
    }),
    ['key', 'partition', 'offsets'],
  );
  const used = new Set(kafkajsPartitions.values());
  say(`→ every key got one partition; ${KEYS.length} keys share ${used.size} partitions`);

  step('Read the topic back: each partition in offset order');
  progress(`reading ${sent.length} records`);
  const readBack = await readAll(received, viaKafkajs, sent.length);
  table(readBack, ['partition', 'offset', 'key', 'value']);
  expectSamePartitions(readBack, kafkajsPartitions, 'the consumer');
  expectPerKeyOrder(readBack);
  say('→ inside a partition, each key’s #1, #2, #3 come in the order sent; keys interleave between them');
  say(acrossPartitions(received[viaKafkajs], sequence));

  step('Partitioner lab: the same keys through Kafka’s Java console producer');
  say(`npm run kafka -- console-producer --topic ${viaJava} \\`);
  say('    --reader-property parse.key=true --reader-property key.separator=:   (stdin: "key:value" lines)');
  progress('running the Java console producer');
  consoleProduce(context.brokers, viaJava, sequence);
  const javaPartitions = partitionPerKey(await readAll(received, viaJava, sequence.length));
  const comparison = KEYS.map((key) => ({
    key,
    'kafkajs partition': kafkajsPartitions.get(key),
    'Java partition': javaPartitions.get(key),
    'same?': kafkajsPartitions.get(key) === javaPartitions.get(key) ? 'yes' : 'NO',
  }));
  table(comparison);
  const differing = comparison.filter((row) => row['same?'] !== 'yes');
  if (differing.length > 0) {
    throw new Error(`kafkajs and Java disagree on ${differing.map(({ key }) => key).join(', ')}`);
  }
  say('→ both clients compute murmur2(key), made positive, modulo 3: a Java service would agree with ours');

  step(`Grow a topic from ${PARTITIONS} to ${PARTITIONS * 2} partitions: some keys move`);
  const growing = await scratchTopic('grow', PARTITIONS);
  const before = await sendOnce(writer, growing, KEYS);
  await context.admin.createPartitions({ topicPartitions: [{ topic: growing, count: PARTITIONS * 2 }] });
  await waitFor(`${growing} to have ${PARTITIONS * 2} partitions with leaders`, () =>
    partitionsWithLeaders(context.admin, growing).then((count) =>
      count === PARTITIONS * 2 ? count : undefined,
    ),
  );
  // A fresh producer reads the new partition count; the first one keeps its cached metadata for minutes.
  const afterGrowth = producer(PRODUCER_CONFIG);
  await afterGrowth.connect();
  const after = await sendOnce(afterGrowth, growing, KEYS);
  const moves = KEYS.map((key) => ({
    key,
    [`${PARTITIONS} partitions`]: before.get(key),
    [`${PARTITIONS * 2} partitions`]: after.get(key),
    moved: before.get(key) === after.get(key) ? 'stays' : 'moved',
  }));
  table(moves);
  const moved = moves.filter((row) => row.moved === 'moved');
  if (moved.length === 0) throw new Error('no key moved after the partition count changed');
  say(
    `→ ${moved.length} of ${KEYS.length} keys now land in another partition: their old records stay behind,`,
  );
  say('  so a consumer can see a key’s new records before its old ones');
}

/** order-1 #1, order-2 #1, …, order-1 #2, …: rounds, so the keys interleave. */
function recordSequence() {
  const rounds = Array.from({ length: RECORDS_PER_KEY }, (_, index) => index + 1);
  return rounds.flatMap((round) => KEYS.map((key) => ({ key, value: `${key} #${round}` })));
}

/** The first record the consumer received before one that was sent earlier (always in another partition). */
function acrossPartitions(arrivals, sequence) {
  const sentAt = new Map(sequence.map(({ value }, index) => [value, index]));
  for (const [index, early] of arrivals.entries()) {
    const late = arrivals
      .slice(index + 1)
      .find((record) => sentAt.get(record.value) < sentAt.get(early.value));
    if (late) {
      return (
        `→ across partitions the send order is gone: the consumer got "${early.value}" (partition ` +
        `${early.partition})\n  before "${late.value}" (partition ${late.partition}), which was sent first`
      );
    }
  }
  return '→ this time the consumer got them in the order sent; across partitions nothing guarantees it';
}

/** Map key → partition; throws if a key showed up in two partitions. */
function partitionPerKey(records) {
  const partitions = new Map();
  for (const { key, partition } of records) {
    if (partitions.has(key) && partitions.get(key) !== partition) {
      throw new Error(`key ${key} landed in partitions ${partitions.get(key)} and ${partition}`);
    }
    partitions.set(key, partition);
  }
  return partitions;
}

async function readAll(received, topic, count) {
  await waitFor(`${count} records from ${topic}`, () => (received[topic].length >= count ? true : undefined));
  return received[topic].toSorted((a, b) => a.partition - b.partition || a.offset - b.offset);
}

function expectSamePartitions(records, expected, reader) {
  for (const { key, partition } of records) {
    if (expected.get(key) !== partition) {
      throw new Error(
        `${reader} found ${key} in partition ${partition}, the send reported ${expected.get(key)}`,
      );
    }
  }
}

/** Inside each partition, one key's records must come as #1, #2, #3. */
function expectPerKeyOrder(records) {
  for (const key of KEYS) {
    const seen = records.filter((record) => record.key === key).map(({ value }) => value);
    const expected = Array.from({ length: RECORDS_PER_KEY }, (_, index) => `${key} #${index + 1}`);
    if (seen.join() !== expected.join()) {
      throw new Error(`${key} came back as ${seen.join(', ')}, expected ${expected.join(', ')}`);
    }
  }
}

/** Kafka's console producer reads stdin, so it gets `input` rather than going through context.kafkaTool. */
function consoleProduce(brokers, topic, records) {
  const input = records.map(({ key, value }) => `${key}:${value}\n`).join('');
  const args = [
    '--topic',
    topic,
    '--reader-property',
    'parse.key=true',
    '--reader-property',
    'key.separator=:',
  ];
  kafkaTool(['console-producer', ...args], { brokers, input });
}

/** One record per key; returns key → the partition the broker reported. */
async function sendOnce(writer, topic, keys) {
  const partitions = new Map();
  for (const key of keys) {
    const [written] = await writer.send({ topic, messages: [{ key, value: key }] });
    partitions.set(key, written.partition);
  }
  return partitions;
}

/** `npm run demo:partitions -- key…`: where do these keys land? Produced for real, not computed. */
async function whereDoTheseKeysLand(context, keys) {
  const { admin, scratchTopic, producer, step, say, table } = context;

  step(`Where do ${keys.join(', ')} land in a topic of ${PARTITIONS} partitions?`);
  const topic = await scratchTopic('your-keys', PARTITIONS);
  const writer = producer(PRODUCER_CONFIG);
  await writer.connect();
  const first = await sendOnce(writer, topic, keys);
  const second = await sendOnce(writer, topic, keys);
  for (const key of keys) {
    if (first.get(key) !== second.get(key)) throw new Error(`key ${key} landed in two partitions`);
  }
  table(
    keys.map((key) => ({ key, partition: first.get(key) })),
    ['key', 'partition'],
  );
  say(`→ produced to ${topic} twice per key; each key landed in the same partition both times`);

  step(`And in the app's topic, ${ORDER_TOPIC}?`);
  const declared = declaredPartitions();
  const onBroker = await partitionCountOf(admin, ORDER_TOPIC);
  const onThisBroker =
    onBroker === undefined ? 'is not on this broker yet' : `has ${onBroker} on this broker`;
  say(`declared-topics.ts declares it with ${declared} partitions; it ${onThisBroker}.`);
  const appPartitions = onBroker ?? declared;
  if (appPartitions === PARTITIONS) {
    say('→ same partition count, same partitioner: these keys land in the same partitions there');
    return;
  }
  const likeTheApp = await scratchTopic('your-keys-app', appPartitions);
  const there = await sendOnce(writer, likeTheApp, keys);
  table(
    keys.map((key) => ({
      key,
      [`${PARTITIONS} partitions`]: first.get(key),
      [`${appPartitions} partitions`]: there.get(key),
    })),
  );
  say(`→ another partition count, another mapping: produced to ${likeTheApp} to find out`);
}

/** The partition count src/infrastructure/messaging/declared-topics.ts gives the app's topic. */
function declaredPartitions() {
  const source = readFileSync(
    join(import.meta.dirname, '../src/infrastructure/messaging/declared-topics.ts'),
    'utf8',
  );
  // Read from the source a learner opens, not from dist/: the demo needs no build, and says where the number lives.
  const declared = source.match(/name: ORDER_COMPLETED_TOPIC, partitions: (\d+)/);
  if (!declared) {
    throw new Error(
      'this demo reads the partition count of the app topic from the line ' +
        '`name: ORDER_COMPLETED_TOPIC, partitions: <n>` in src/infrastructure/messaging/declared-topics.ts, ' +
        'and no line there has that shape any more: update the pattern in declaredPartitions() of demos/03-partitions.mjs',
    );
  }
  return Number(declared[1]);
}

async function partitionsWithLeaders(admin, topic) {
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0].partitions.filter(({ leader }) => leader >= 0).length;
}

async function partitionCountOf(admin, topic) {
  if (!(await admin.listTopics()).includes(topic)) return undefined;
  const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
  return topics[0].partitions.length;
}
