// Chapter 09: retries, the dead-letter topic and idempotent consumers, on the running order service.
// A poison record is retried with exponential backoff, then dead-lettered with its original key, value and
// headers plus dlq-* headers, and its partition moves on. A copy of a valid event (same event id) is
// skipped by both groups. A replay of the dead letter with Kafka's console tools dead-letters it again.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { logEndOffsets, settledLags } from '../scripts/support/kafka-offsets.mjs';
import { demo } from './support/demo.mjs';
import { readRecords } from './support/records.mjs';
import {
  APP_GROUPS,
  ORDER_TOPIC,
  buildApp,
  couponOrder,
  skipOldOrderEvents,
  startOrderService,
} from './support/app.mjs';

const DLQ_TOPIC = `${ORDER_TOPIC}.dlq`;
const MAX_ATTEMPTS = 4;
const BACKOFF_MS = 100;
const suffix = randomBytes(3).toString('hex');

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Records, the .dlq topic';

await demo({ chapter: '09', title: 'Retries, DLQ and idempotent consumers', lab }, async (context) => {
  const { admin, brokers, producer, step, say, table, progress } = context;
  progress('npm run build');
  buildApp();
  await skipOldOrderEvents(admin);
  progress('starting the order service');
  const app = await startOrderService('09-retries-and-dlq', {
    EVENT_PUBLISHER: 'kafka',
    KAFKA_BROKERS: brokers,
    CONSUMER_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    CONSUMER_BACKOFF_MS: String(BACKOFF_MS),
  });
  const writer = producer();
  await writer.connect();
  try {
    step(`A poison record on ${ORDER_TOPIC}: an envelope cut short, not valid JSON`);
    say(`the app runs with CONSUMER_MAX_ATTEMPTS=${MAX_ATTEMPTS} CONSUMER_BACKOFF_MS=${BACKOFF_MS}`);
    const dlqBefore = await logEndOffsets(admin, DLQ_TOPIC);
    const poison = {
      key: `poison-${suffix}`,
      value: `{"eventId":"poison-${suffix}","type":"order.completed","version":1`,
      headers: { 'event-type': 'order.completed' },
    };
    const sentAt = Date.now();
    const [written] = await writer.send({ topic: ORDER_TOPIC, messages: [poison] });
    const poisonAt = { partition: written.partition, offset: written.baseOffset };
    say(`key ${poison.key} → partition ${poisonAt.partition}, offset ${poisonAt.offset}`);
    say(`value ${poison.value}`);

    step('Each consumer group retries it with exponential backoff, then dead-letters it');
    const deadLettered = await bothGroupsDeadLettered(app, poisonAt);
    const attempts = app.lines.filter((line) => line.msg === 'consumer failed' && isAt(line, poisonAt));
    table(
      [...attempts, ...deadLettered]
        .sort((a, b) => a.time - b.time)
        .map((line) => ({
          '+ms': line.time - sentAt,
          group: line.groupId,
          attempt: line.attempt ?? line.attempts,
          'retry in ms': line.retryInMs,
          'log line': line.msg,
        })),
      ['+ms', 'group', 'attempt', 'retry in ms', 'log line'],
    );
    checkBackoff(attempts);
    const errors = new Set(attempts.map((line) => `${line.err.type}: ${line.err.message}`));
    if (errors.size !== 1) throw new Error(`expected one error every time, saw ${[...errors].join(' | ')}`);
    say(`every attempt: ${[...errors][0]}`);

    step(`The dead letters on ${DLQ_TOPIC} (read from the log-end offsets noted before the poison)`);
    const letters = await readRecords(context, DLQ_TOPIC, dlqBefore, 2);
    const byGroup = Object.fromEntries(
      letters.map((letter) => [letter.headers['dlq-consumer-group'], letter]),
    );
    const letter = byGroup['data-platform'];
    say(
      `${letters.length} records, one per group; data-platform's, at p${letter.partition}@${letter.offset}:`,
    );
    say(`key    ${letter.key}`);
    say(`value  ${letter.value}`);
    table(
      Object.entries(letter.headers).map(([header, value]) => ({ header, value })),
      ['header', 'value'],
    );
    checkDeadLetters(byGroup, poison, poisonAt);
    say("product-ranking's copy differs only in dlq-consumer-group; both kept key, value and headers");

    step('The groups moved on: a valid order after the poison is handled, and the lags are 0');
    const placed = await app.post('/orders', couponOrder);
    if (placed.status !== 201) throw new Error(`expected 201, got ${placed.status}`);
    const orderId = placed.body.id;
    const published = await app.waitForLog(
      '"event published"',
      (line) => line.msg === 'event published' && line.key === orderId,
    );
    await bothGroupsApplied(app, orderId);
    say(
      `order ${orderId} → p${published.partition}@${published.offset}: data-platform received it, product-ranking counted it`,
    );
    const lags = await settledLagRows(admin);
    table(lags, ['group', 'partition', 'committed', 'log-end', 'lag']);
    const poisonPartition = lags.filter((row) => row.partition === poisonAt.partition);
    if (!poisonPartition.every((row) => BigInt(row.committed) > BigInt(poisonAt.offset))) {
      throw new Error(`a group has not committed past the poison on partition ${poisonAt.partition}`);
    }
    say(
      `✓ both groups committed past the poison (p${poisonAt.partition}@${poisonAt.offset}); every lag is 0`,
    );

    step(
      'Idempotence: a copy of that order’s record (same key, value, headers: same event id) goes to the topic again',
    );
    const rankingBefore = (await app.get('/products/ranking')).body;
    const [original] = await readRecords(
      context,
      ORDER_TOPIC,
      { [published.partition]: published.offset },
      1,
    );
    const eventId = original.headers['event-id'];
    const [copy] = await writer.send({
      topic: ORDER_TOPIC,
      messages: [{ key: original.key, value: original.value, headers: original.headers }],
    });
    say(
      `event ${eventId}: first at p${published.partition}@${published.offset}, the copy at p${copy.partition}@${copy.baseOffset}`,
    );
    const skipped = await Promise.all(
      APP_GROUPS.map((group) =>
        app.waitForLog(
          `"duplicate delivery skipped" by ${group}`,
          (line) =>
            line.msg.startsWith('duplicate delivery skipped') &&
            line.consumerGroup === group &&
            line.eventId === eventId,
        ),
      ),
    );
    table(
      skipped.map((line) => ({ group: line.consumerGroup, 'log line': line.msg, eventId: line.eventId })),
    );
    await settledLagRows(admin);
    const rankingAfter = (await app.get('/products/ranking')).body;
    table(
      rankingBefore.map((row) => ({
        product: row.name,
        'units before the copy': row.unitsSold,
        'units after the copy': rankingAfter.find((after) => after.productId === row.productId)?.unitsSold,
      })),
    );
    if (JSON.stringify(rankingAfter) !== JSON.stringify(rankingBefore))
      throw new Error('the copy changed the ranking');
    const applications = app.lines.filter(
      (line) => line.msg === 'product ranking updated' && line.orderId === orderId,
    );
    if (applications.length !== 1)
      throw new Error(`the ranking applied order ${orderId} ${applications.length} times`);
    say('✓ both groups skipped the copy; GET /products/ranking is unchanged');

    step(
      "Replay the dead letter with Kafka's console tools: consume it, drop the dlq-* headers, produce it back",
    );
    const replay = replayCommand(letter);
    say(replay.split(' | ').join(' |\n  '));
    const dlqBeforeReplay = await logEndOffsets(admin, DLQ_TOPIC);
    const topicBeforeReplay = await logEndOffsets(admin, ORDER_TOPIC);
    execFileSync('sh', ['-c', replay], {
      env: { ...process.env, KAFKA_BROKERS: brokers },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const [replayed] = await readRecords(context, ORDER_TOPIC, topicBeforeReplay, 1);
    say(
      `replayed to p${replayed.partition}@${replayed.offset}: key ${replayed.key}, headers ${JSON.stringify(replayed.headers)}`,
    );
    if (replayed.key !== poison.key || replayed.value !== poison.value)
      throw new Error('the replayed record is not the poison');
    const replayedAt = { partition: replayed.partition, offset: replayed.offset };
    await bothGroupsDeadLettered(app, replayedAt);
    const again = await readRecords(context, DLQ_TOPIC, dlqBeforeReplay, 2);
    table(
      again.map((each) => ({
        at: `p${each.partition}@${each.offset}`,
        'dlq-consumer-group': each.headers['dlq-consumer-group'],
        'dlq-attempts': each.headers['dlq-attempts'],
        'dlq-original-offset': each.headers['dlq-original-offset'],
        'dlq-replayed': each.headers['dlq-replayed'],
      })),
    );
    say(
      `✓ the same bytes failed the same way: both groups dead-lettered the replay after ${MAX_ATTEMPTS} attempts`,
    );
    say('  (a replay helps once the consumer is fixed, or the record is; see the chapter)');
  } finally {
    await app.stop();
  }
});

function isAt(line, { partition, offset }) {
  return line.topic === ORDER_TOPIC && line.partition === partition && line.offset === offset;
}

/** Resolves each group's "attempts spent" line for the record at partition/offset. */
function bothGroupsDeadLettered(app, at) {
  return Promise.all(
    APP_GROUPS.map((group) =>
      app.waitForLog(
        `"attempts spent" by ${group} for p${at.partition}@${at.offset}`,
        (line) =>
          line.msg === 'attempts spent: record sent to the dead-letter topic' &&
          line.groupId === group &&
          isAt(line, at),
      ),
    ),
  );
}

function bothGroupsApplied(app, orderId) {
  return Promise.all([
    app.waitForLog(
      'data-platform receiving the order',
      (line) => line.msg === 'data platform received order' && line.orderId === orderId,
    ),
    app.waitForLog(
      'product-ranking counting the order',
      (line) => line.msg === 'product ranking updated' && line.orderId === orderId,
    ),
  ]);
}

/** Every attempt of a group came at least the announced backoff after the one before, and it doubled. */
function checkBackoff(attempts) {
  for (const group of APP_GROUPS) {
    const ofGroup = attempts.filter((line) => line.groupId === group);
    const announced = ofGroup.map((line) => line.retryInMs);
    const expected = [...Array(MAX_ATTEMPTS - 1).keys()].map((index) => BACKOFF_MS * 2 ** index);
    if (
      ofGroup.length !== MAX_ATTEMPTS ||
      JSON.stringify(announced.slice(0, -1)) !== JSON.stringify(expected)
    ) {
      throw new Error(
        `${group}: expected ${MAX_ATTEMPTS} attempts with backoffs ${expected}, saw ${announced}`,
      );
    }
    for (let index = 1; index < ofGroup.length; index++) {
      if (ofGroup[index].time - ofGroup[index - 1].time < announced[index - 1]) {
        throw new Error(`${group}: attempt ${index + 1} came sooner than its backoff`);
      }
    }
  }
}

function checkDeadLetters(byGroup, poison, poisonAt) {
  for (const group of APP_GROUPS) {
    const letter = byGroup[group];
    if (!letter) throw new Error(`no dead letter from ${group}`);
    const expected = {
      key: poison.key,
      value: poison.value,
      partition: poisonAt.partition,
      'event-type': poison.headers['event-type'],
      'dlq-attempts': String(MAX_ATTEMPTS),
      'dlq-original-topic': ORDER_TOPIC,
      'dlq-original-partition': String(poisonAt.partition),
      'dlq-original-offset': poisonAt.offset,
    };
    const seen = { key: letter.key, value: letter.value, partition: letter.partition, ...letter.headers };
    for (const [name, value] of Object.entries(expected)) {
      if (seen[name] !== value)
        throw new Error(`${group}'s dead letter: ${name} is ${seen[name]}, expected ${value}`);
    }
    if (!seen['dlq-error'].startsWith('SyntaxError'))
      throw new Error(`${group}'s dead letter: dlq-error ${seen['dlq-error']}`);
  }
  const withoutGroup = ({ key, value, partition, headers }) =>
    JSON.stringify({ key, value, partition, headers: { ...headers, 'dlq-consumer-group': undefined } });
  if (withoutGroup(byGroup['data-platform']) !== withoutGroup(byGroup['product-ranking'])) {
    throw new Error('the two dead letters differ in more than dlq-consumer-group');
  }
}

/**
 * The replay as a learner types it: one record of the DLQ, printed as headers<TAB>key<TAB>value; awk drops
 * the dlq-* headers (they come last) and marks the record dlq-replayed; the console producer parses the line
 * back into headers, key and value.
 */
function replayCommand({ partition, offset }) {
  return [
    `npm run -s kafka -- console-consumer --topic ${DLQ_TOPIC} --partition ${partition} --offset ${offset} --max-messages 1 --formatter-property print.headers=true --formatter-property print.key=true`,
    `awk 'BEGIN { FS = OFS = "\\t" } { sub(/(^|,)dlq-.*/, "", $1); $1 = $1 ($1 == "" ? "" : ",") "dlq-replayed:true"; print }'`,
    `npm run -s kafka -- console-producer --topic ${ORDER_TOPIC} --reader-property parse.headers=true --reader-property parse.key=true`,
  ].join(' | ');
}

/** Waits until both app groups have committed everything on the topic, and returns the lag rows. */
async function settledLagRows(admin) {
  const lags = await settledLags(admin, APP_GROUPS, ORDER_TOPIC);
  const behind = lags.filter(({ total }) => total !== 0);
  if (behind.length > 0) {
    const groups = behind.map(({ group, total }) => `${group} (lag ${total})`).join(' and ');
    throw new Error(`${groups} did not reach lag 0 within 30 s`);
  }
  return lags.flatMap(({ group, partitions }) =>
    partitions.map(({ partition, committed, logEnd, lag }) => ({
      group,
      partition,
      committed: String(committed),
      'log-end': String(logEnd),
      lag,
    })),
  );
}
