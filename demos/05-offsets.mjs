// Chapter 05: offsets and commits. Five records in a one-partition topic; a consumer commits offset + 1
// after each record it processed; the next one "crashes" after processing a record but before committing
// it, so the record is delivered again; a new group replays everything from the beginning, and Kafka's
// CLI resets the first group to the earliest offset, so it reads everything again.
import { consumerLag } from '../scripts/support/kafka-offsets.mjs';
import { demo, waitFor } from './support/demo.mjs';

const RECORDS = ['order 1', 'order 2', 'order 3', 'order 4', 'order 5'];

// Short fetch waits: an idle consumer then stops (and leaves its group) within half a second.
const CONSUMER_CONFIG = { maxWaitTimeInMs: 500 };

const OFFSET_COLUMNS = ['moment', 'logStart', 'committed', 'logEnd', 'lag'];

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Consumer groups, committed offsets and lag';

await demo({ chapter: '05', title: 'Offsets and commits', lab }, async (context) => {
  const { admin, scratchTopic, scratchGroup, producer, step, say, table } = context;

  step('A topic with one partition and five records; a group that has not read it yet');
  const topic = await scratchTopic('offsets', 1);
  const group = scratchGroup('billing');
  const writer = producer();
  await writer.connect();
  await writer.send({ topic, messages: RECORDS.map((value) => ({ value })) });
  const start = await offsetsOf(admin, topic, group);
  say(`${topic}, partition 0`);
  table([{ ...start, moment: 'before any consumer' }], OFFSET_COLUMNS);
  if (start.logEnd !== 5 || start.committed !== 'none') throw new Error('expected 5 records and no commit');

  step('A consumer (autoCommit: false) processes three records, committing offset + 1 after each');
  const firstRun = [];
  await consumeUntil(context, {
    group,
    topic,
    fromBeginning: true,
    onRecord: async ({ offset, value, commit, pause }) => {
      if (firstRun.length === 3) {
        pause(); // this run takes three records, then stops
        return;
      }
      await commit();
      firstRun.push({ ...(await offsetsOf(admin, topic, group)), moment: `processed ${offset} "${value}"` });
    },
    done: () => firstRun.length === 3,
  });
  table([{ ...start, moment: 'before any consumer' }, ...firstRun], OFFSET_COLUMNS);
  expectCommitted(firstRun.at(-1), 3);
  say('→ the committed offset is the next record to read: after offset 2, it is 3');
  say();
  runTool(context, 'consumer-groups', '--describe', '--group', group);

  step('A consumer processes offset 3 and crashes before committing: offset 3 comes again');
  const deliveries = [];
  await consumeUntil(context, {
    group,
    topic,
    onRecord: ({ offset, value, pause }) => {
      deliveries.push({ offset, value, consumer: 'second (crashed)', outcome: 'processed, NOT committed' });
      pause(); // the "crash": no commit follows, and the consumer is disconnected
    },
    done: () => deliveries.length === 1,
  });
  const afterCrash = await offsetsOf(admin, topic, group);
  say(`after the crash: committed ${afterCrash.committed}, lag ${afterCrash.lag}`);
  expectCommitted(afterCrash, 3);
  await consumeUntil(context, {
    group,
    topic,
    onRecord: async ({ offset, value, commit }) => {
      await commit();
      deliveries.push({ offset, value, consumer: 'third', outcome: `processed, committed ${offset + 1}` });
    },
    done: () => deliveries.length === 3,
  });
  table(deliveries, ['offset', 'value', 'consumer', 'outcome']);
  const timesDelivered = deliveries.filter(({ offset }) => offset === 3).length;
  if (timesDelivered !== 2) throw new Error(`offset 3 was delivered ${timesDelivered} times, expected 2`);
  const caughtUp = await offsetsOf(admin, topic, group);
  expectCommitted(caughtUp, 5);
  say(
    `→ offset 3 was delivered twice (at least once); now committed ${caughtUp.committed}, lag ${caughtUp.lag}`,
  );

  step('A new group with fromBeginning: true replays the whole partition (kafkajs autoCommit on)');
  const auditGroup = scratchGroup('audit');
  const replayed = [];
  await consumeUntil(context, {
    group: auditGroup,
    topic,
    fromBeginning: true,
    autoCommit: true,
    onRecord: ({ offset }) => void replayed.push(offset),
    done: () => replayed.length === RECORDS.length,
  });
  say(`${auditGroup} read offsets ${replayed.join(', ')}`);
  expectOffsets(replayed, [0, 1, 2, 3, 4]);
  const autoCommitted = await waitFor('the audit group’s automatic commit', async () => {
    const offsets = await offsetsOf(admin, topic, auditGroup);
    return offsets.committed === 5 ? offsets : undefined;
  });
  table(
    [
      { ...caughtUp, group },
      { ...autoCommitted, group: auditGroup },
    ],
    ['group', 'logStart', 'committed', 'logEnd', 'lag'],
  );
  say(
    '→ each group has its own committed offset; kafkajs auto-committed the audit group’s (after each batch)',
  );

  step(`Replay ${group} with Kafka's CLI: reset its offsets to the earliest`);
  // The tool refuses to reset a group that has active members: every consumer above has left.
  runTool(
    context,
    'consumer-groups',
    '--reset-offsets',
    '--to-earliest',
    '--group',
    group,
    '--topic',
    topic,
    '--execute',
  );
  expectCommitted(await offsetsOf(admin, topic, group), 0);
  const reread = [];
  await consumeUntil(context, {
    group,
    topic,
    onRecord: ({ offset }) => void reread.push(offset),
    done: () => reread.length === RECORDS.length,
  });
  say(`${group} read offsets ${reread.join(', ')} again`);
  expectOffsets(reread, [0, 1, 2, 3, 4]);
});

/**
 * Partition 0's log-start and log-end offsets, the group's committed offset ('none' if it never committed)
 * and its lag (log-end − committed; '-' without a commit, as kafka-consumer-groups prints it).
 */
async function offsetsOf(admin, topic, group) {
  const {
    partitions: [{ logStart, committed, logEnd, lag }],
  } = await consumerLag(admin, group, topic);
  return committed < 0
    ? { logStart, committed: 'none', logEnd, lag: '-' }
    : { logStart, committed, logEnd, lag };
}

/**
 * Runs one consumer in `group` until `done()` is true, then disconnects it (it leaves the group).
 * `onRecord` gets the record, `commit()` (commits offset + 1) and `pause()` (no more records). Nothing is
 * committed unless `onRecord` commits, or `autoCommit` is true.
 */
async function consumeUntil(
  context,
  { group, topic, onRecord, done, fromBeginning = false, autoCommit = false },
) {
  const consumer = context.consumer({ groupId: group, ...CONSUMER_CONFIG });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning });
  let failure;
  await consumer.run({
    autoCommit,
    eachMessage: async ({ partition, message, pause }) => {
      const offset = Number(message.offset);
      const commit = () => consumer.commitOffsets([{ topic, partition, offset: String(offset + 1) }]);
      await Promise.resolve(onRecord({ offset, value: message.value.toString(), commit, pause })).catch(
        (error) => (failure = error),
      );
    },
  });
  context.progress(`consumer in ${group} joined; waiting for its records`);
  await waitFor(`records for ${group}`, () => (failure || done() ? true : undefined), { timeoutMs: 30_000 });
  await consumer.disconnect();
  if (failure) throw failure;
}

/** Prints a Kafka CLI command and what it printed. */
function runTool({ kafkaTool, say, progress }, ...args) {
  say(`$ npm run kafka -- ${args.join(' ')}`);
  progress(`running kafka-${args[0]}`);
  say(kafkaTool(...args).trim());
}

function expectCommitted(offsets, expected) {
  if (offsets.committed !== expected) {
    throw new Error(`expected committed offset ${expected}, the broker says ${offsets.committed}`);
  }
}

function expectOffsets(actual, expected) {
  if (actual.join() !== expected.join()) throw new Error(`expected offsets ${expected}, got ${actual}`);
}
