// Chapter 15: transactions and exactly-once. A transactional producer commits one transaction and aborts
// another: a read_committed consumer sees only the first, a read_uncommitted one both. Kafka's
// kafka-transactions tool describes the open transaction. A second producer with the same transactional id
// fences the first (a zombie). Then a consume-transform-produce processor (support/copy-processor.mjs) is
// killed between its produce and its commit and restarted: with a plain producer and a separate commit
// the output gets a duplicate; with the offsets committed in the transaction, read_committed readers see
// every record exactly once.
import { demo, waitFor } from './support/demo.mjs';
import { runCopyProcessor } from './support/run-copy-processor.mjs';
const ORDERS = ['order 1', 'order 2', 'order 3', 'order 4', 'order 5'];
const CRASH_AT = 2; // the offset of 'order 3'

const lab = 'Topics, the log-end offsets counting the transaction markers';

async function runDemo(context) {
  const { step, say, table, scratchTopic, scratchGroup, producer } = context;

  step('A transactional producer commits one transaction (3 records) and aborts another (2 records)');
  const payments = await scratchTopic('payments', 1);
  const suffix = payments.split('.').at(-1);
  const transactionalId = `demo.payer.${suffix}`;
  const payer = producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await payer.connect();
  const committed = await payer.transaction();
  await committed.send({ topic: payments, messages: ['paid 1', 'paid 2', 'paid 3'].map(asRecord) });
  await committed.commit();
  const aborted = await payer.transaction();
  await aborted.send({ topic: payments, messages: ['paid 4', 'paid 5'].map(asRecord) });
  say(`${payments}: 3 records committed, 2 sent in a transaction that is still open`);
  say();
  runTool(context, 'transactions', 'describe', '--transactional-id', transactionalId);
  await aborted.abort();
  say();
  const [readCommitted, readUncommitted] = [
    await readAll(context, payments, { readUncommitted: false }),
    await readAll(context, payments, { readUncommitted: true }),
  ];
  const logEnd = await logEndOffset(context, payments);
  table(
    [
      {
        reader: 'read_committed (kafkajs default)',
        records: readCommitted.length,
        values: readCommitted.join(', '),
      },
      { reader: 'read_uncommitted', records: readUncommitted.length, values: readUncommitted.join(', ') },
    ],
    ['reader', 'records', 'values'],
  );
  expectCount('read_committed', readCommitted, 3);
  expectCount('read_uncommitted', readUncommitted, 5);
  if (logEnd !== 7)
    throw new Error(`expected log-end offset 7 (5 records + 2 markers), the broker says ${logEnd}`);
  say(`→ log-end offset ${logEnd}: 5 records and 2 transaction markers (one commit, one abort)`);

  step('A second producer with the same transactional id fences the first (a zombie)');
  const zombie = producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await zombie.connect();
  const zombieTransaction = await zombie.transaction();
  await zombieTransaction.send({ topic: payments, messages: [asRecord('paid 6 (zombie)')] });
  say('zombie: began a transaction and sent "paid 6 (zombie)"');
  const successor = producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await successor.connect();
  // kafkajs asks for the producer id and epoch (InitProducerId) when the first transaction begins.
  const successorTransaction = await successor.transaction();
  say(
    'successor: began a transaction with the same transactional id: a higher epoch; the open one is aborted',
  );
  const fenced = await zombieTransaction.commit().then(
    () => undefined,
    (error) => error,
  );
  if (!fenced) throw new Error("the zombie's commit succeeded: it was not fenced");
  say(`zombie: commit refused: ${fenced.type ?? fenced.name} (${fenced.message})`);
  await successorTransaction.send({ topic: payments, messages: [asRecord('paid 6')] });
  await successorTransaction.commit();
  const afterFencing = await readAll(context, payments, { readUncommitted: false });
  say(`read_committed now reads: ${afterFencing.join(', ')}`);
  expectCount('read_committed', afterFencing, 4);
  if (afterFencing.at(-1) !== 'paid 6') throw new Error(`expected "paid 6" last, got ${afterFencing.at(-1)}`);

  for (const mode of ['plain', 'transactional']) {
    step(
      mode === 'plain'
        ? 'Consume-transform-produce with a plain producer, then a separate commit; killed in between'
        : 'The same processor with the input offsets committed in the transaction; killed in between',
    );
    const orders = await scratchTopic(`orders-${mode}`, 1);
    const invoices = await scratchTopic(`invoices-${mode}`, 1);
    const group = scratchGroup(`invoicing-${mode}`);
    const writer = producer();
    await writer.connect();
    await writer.send({ topic: orders, messages: ORDERS.map(asRecord) });
    say(`${orders} → processor (group ${group}) → ${invoices}`);
    const runs = [];
    runs.push(await runProcessor(context, { orders, invoices, group, mode, crashAt: CRASH_AT }));
    runs.push(await runProcessor(context, { orders, invoices, group, mode }));
    table(runs, ['run', 'produced', 'outcome']);
    const readers = [
      { reader: 'read_committed', values: await readAll(context, invoices, { readUncommitted: false }) },
      { reader: 'read_uncommitted', values: await readAll(context, invoices, { readUncommitted: true }) },
    ];
    table(
      readers.map(({ reader, values }) => ({
        reader,
        records: values.length,
        duplicates: duplicatesIn(values),
      })),
      ['reader', 'records', 'duplicates'],
    );
    const [{ values: committedInvoices }, { values: allInvoices }] = readers;
    if (mode === 'plain') {
      expectCount('read_committed', committedInvoices, ORDERS.length + 1);
      say(`→ "invoice for ${ORDERS[CRASH_AT]}" is there twice: at least once, not exactly once`);
    } else {
      expectCount('read_committed', committedInvoices, ORDERS.length);
      expectCount('read_uncommitted', allInvoices, ORDERS.length + 1);
      if (duplicatesIn(committedInvoices) !== '-') throw new Error('read_committed saw a duplicate');
      say(
        `→ the killed run's copy was aborted when the restart fenced it: read_committed readers see each once`,
      );
    }
  }

  step('The transactional ids this demo used, as the broker lists them');
  const listed = context.kafkaTool('transactions', 'list').replace(/\t/g, ' ').replace(/ +$/gm, '');
  const [heading, ...rows] = listed.trim().split('\n');
  say('$ npm run kafka -- transactions list');
  say([heading, ...rows.filter((row) => row.includes(suffix))].join('\n'));
  say('(filtered to this run; ids are kept until transactional.id.expiration.ms, 7 days, passes idle)');
}

/** One run of the processor, as a row of the demo's table. */
async function runProcessor(context, { orders, invoices, group, mode, crashAt }) {
  context.progress(
    crashAt === undefined ? 'processor restarted; waiting for it to catch up' : 'processor running',
  );
  const { produced, crashed } = await runCopyProcessor({
    brokers: context.brokers,
    input: orders,
    output: invoices,
    group,
    mode,
    lastOffset: ORDERS.length - 1,
    crashAt,
  });
  return crashed === undefined
    ? { run: 'restarted', produced: `offsets ${produced.join(', ')}`, outcome: 'produced and committed each' }
    : {
        run: 'first',
        produced: `offsets ${produced.join(', ')}`,
        outcome: `killed (SIGKILL) after producing offset ${crashed}'s invoice, before committing it`,
      };
}

/**
 * Every value on the topic's one partition, read from the beginning by a consumer of its own with the
 * given isolation level, until no record has come for a second.
 */
async function readAll({ consumer, scratchGroup }, topic, { readUncommitted }) {
  const reader = consumer({
    groupId: scratchGroup(`reader-${++readers}`),
    readUncommitted,
    maxWaitTimeInMs: 250,
  });
  const values = [];
  let lastRecordAt = Date.now();
  await reader.connect();
  await reader.subscribe({ topics: [topic], fromBeginning: true });
  let joined = false;
  reader.on(reader.events.GROUP_JOIN, () => {
    joined = true;
    lastRecordAt = Date.now();
  });
  await reader.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      values.push(message.value.toString());
      lastRecordAt = Date.now();
    },
  });
  await waitFor(`the records of ${topic}`, () =>
    joined && Date.now() - lastRecordAt > 1_000 ? true : undefined,
  );
  await reader.disconnect();
  return values;
}
let readers = 0;

async function logEndOffset({ admin }, topic) {
  const [{ high }] = await admin.fetchTopicOffsets(topic);
  return Number(high);
}

function asRecord(value) {
  return { key: value.split(' ')[1], value };
}

function duplicatesIn(values) {
  const seen = new Set();
  const duplicates = values.filter((value) => seen.has(value) || !seen.add(value));
  return duplicates.length === 0 ? '-' : duplicates.join(', ');
}

function expectCount(reader, values, expected) {
  if (values.length !== expected) {
    throw new Error(`${reader} read ${values.length} records, expected ${expected}: ${values.join(', ')}`);
  }
}

/** Prints a Kafka CLI command and what it printed. */
function runTool({ kafkaTool, say, progress }, ...args) {
  say(`$ npm run kafka -- ${args.join(' ')}`);
  progress(`running kafka-${args[0]}`);
  // The tool pads its columns and then separates them with tabs: spaces print the same everywhere.
  say(
    kafkaTool(...args)
      .replace(/\t/g, ' ')
      .replace(/ +$/gm, '')
      .trim(),
  );
}

await demo({ chapter: '15', title: 'Transactions and exactly-once', lab }, runDemo);
