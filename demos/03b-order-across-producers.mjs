// Chapter 03, order across producers: two producers write the same key, so the same partition, each
// numbering its own records. A consumer reads each producer's records in that producer's order, but the two
// streams interleave: the demo counts how often.
import '../scripts/support/silence-kafkajs-timeout-warning.mjs';
import { demo } from './support/demo.mjs';
import { readRecords } from './support/records.mjs';

const KEY = 'campaign-1';
const RECORDS_PER_PRODUCER = 1000;
const RECORDS_PER_SEND = 10;

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Records: demo.order.<suffix>, the letters A and B alternating in runs';

await demo({ chapter: '03b', title: 'Order across producers', lab }, async (context) => {
  const { scratchTopic, step, say, table } = context;
  const topic = await scratchTopic('order', 1);

  step(`One producer (A), ${RECORDS_PER_PRODUCER} records with key ${KEY}, numbered 1, 2, 3…`);
  await sendNumbered(context, topic, ['A']);
  const alone = numbered(await readRecords(context, topic, { 0: 0 }, RECORDS_PER_PRODUCER));
  const aloneStats = interleaving(alone);
  if (!aloneStats.inOrder.A) throw new Error('one producer’s records came back out of order');
  say(`→ read back in the order sent: ${aloneStats.switches} switches, one run of ${alone.length}`);

  step(
    `Two producers at once, ${RECORDS_PER_PRODUCER} records each, same key, ${RECORDS_PER_SEND} per send()`,
  );
  await sendNumbered(context, topic, ['A', 'B']);
  const both = numbered(
    await readRecords(context, topic, { 0: RECORDS_PER_PRODUCER }, 2 * RECORDS_PER_PRODUCER),
  );
  say(
    `first 40 records as the consumer reads them: ${both
      .slice(0, 40)
      .map(({ producer }) => producer)
      .join('')}`,
  );
  const stats = interleaving(both);
  table(
    [
      { producers: 'one (A)', records: alone.length, ...summary(aloneStats, alone.length) },
      { producers: 'two (A, B)', records: both.length, ...summary(stats, both.length) },
    ],
    ['producers', 'records', 'eachInOrder', 'runs', 'longestRun', 'switchesPer1000'],
  );
  if (!stats.inOrder.A || !stats.inOrder.B)
    throw new Error('a producer’s own records came back out of order');
  if (stats.switches === 0) throw new Error('the two producers did not interleave at all this time');
  say(
    '→ each producer’s numbers still climb 1, 2, 3…; across the two, the order is whoever’s batch came first',
  );
});

/** Each producer sends its own numbers 1…RECORDS_PER_PRODUCER, all producers at the same time. */
async function sendNumbered(context, topic, names) {
  await Promise.all(
    names.map(async (name) => {
      const producer = context.producer({ idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      for (let first = 1; first <= RECORDS_PER_PRODUCER; first += RECORDS_PER_SEND) {
        const messages = Array.from({ length: RECORDS_PER_SEND }, (_, index) => ({
          key: KEY,
          value: `${name} ${first + index}`,
        }));
        await producer.send({ topic, messages });
      }
    }),
  );
}

/** "A 17" → { producer: 'A', number: 17 }: who wrote each record, and its place in that producer's count. */
function numbered(records) {
  return records.map(({ value }) => {
    const [producer, number] = value.split(' ');
    return { producer, number: Number(number) };
  });
}

/** Runs of one producer's records, switches between producers, and whether each producer's numbers climb. */
function interleaving(records) {
  const inOrder = {};
  const last = {};
  let runs = 0;
  let longestRun = 0;
  let run = 0;
  records.forEach(({ producer, number }, index) => {
    inOrder[producer] = (inOrder[producer] ?? true) && number === (last[producer] ?? 0) + 1;
    last[producer] = number;
    if (index > 0 && records[index - 1].producer === producer) {
      run += 1;
    } else {
      runs += 1;
      run = 1;
    }
    longestRun = Math.max(longestRun, run);
  });
  return { inOrder, runs, longestRun, switches: runs - 1 };
}

function summary({ inOrder, runs, longestRun, switches }, count) {
  return {
    eachInOrder: Object.values(inOrder).every(Boolean) ? 'yes' : 'no',
    runs,
    longestRun,
    switchesPer1000: Math.round((switches * 1000) / count),
  };
}
