// A consume-transform-produce processor (chapter 15): it reads `order N` records from one topic and writes
// `invoice for order N` to another, committing the input offsets as it goes. Demo 15 and workshop
// exercise 10 run it as a child process (run-copy-processor.mjs), tell it to stop between the produce and
// the commit of one record, and kill it there (SIGKILL), the way a crash would.
//
//   node copy-processor.mjs <brokers> <input> <output> <group> <plain|transactional> [crash-at-offset]
//
// It reports to its parent over IPC: { crashPoint: offset } when it waits to be killed, and
// { committed: offset } after each commit. Send it 'stop' to make it leave its group and exit.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;

const [brokers, input, output, group, mode, crashAt] = process.argv.slice(2);

const kafka = new Kafka({
  clientId: 'copy-processor',
  brokers: brokers.split(','),
  logLevel: logLevel.NOTHING,
});
// The broker's minimum: the restarted processor waits this long for the killed one to leave the group.
const consumer = kafka.consumer({ groupId: group, sessionTimeout: 6_000, heartbeatInterval: 1_000 });
const producer =
  mode === 'transactional'
    ? // One transactional id per input partition (this topic has one): the next instance that takes the
      // partition over uses the same id, and so fences the one before it.
      kafka.producer({ transactionalId: `${group}.copier-0`, idempotent: true, maxInFlightRequests: 1 })
    : kafka.producer();

/** The crash point: between the produce and the commit. The demo kills the process here. */
async function beforeCommit(offset) {
  if (offset !== Number(crashAt)) return;
  process.send({ crashPoint: offset });
  await new Promise(() => {});
}

async function copyPlain({ partition, message }) {
  const offset = Number(message.offset);
  await producer.send({ topic: output, messages: [invoiceFor(message)] });
  await beforeCommit(offset);
  await consumer.commitOffsets([{ topic: input, partition, offset: String(offset + 1) }]);
}

async function copyInTransaction({ partition, message }) {
  const offset = Number(message.offset);
  const transaction = await producer.transaction();
  try {
    await transaction.send({ topic: output, messages: [invoiceFor(message)] });
    await beforeCommit(offset);
    // The input offset is committed by the transaction, together with the record it produced.
    await transaction.sendOffsets({
      consumerGroupId: group,
      topics: [{ topic: input, partitions: [{ partition, offset: String(offset + 1) }] }],
    });
    await transaction.commit();
  } catch (error) {
    await transaction.abort();
    throw error;
  }
}

function invoiceFor(message) {
  return { key: message.key, value: `invoice for ${message.value}` };
}

const copy = mode === 'transactional' ? copyInTransaction : copyPlain;
await producer.connect();
await consumer.connect();
await consumer.subscribe({ topics: [input], fromBeginning: true });
await consumer.run({
  autoCommit: false,
  eachMessage: async (payload) => {
    await copy(payload);
    process.send({ committed: Number(payload.message.offset) });
  },
});
process.on('message', async (message) => {
  if (message !== 'stop') return;
  await consumer.disconnect();
  await producer.disconnect();
  process.disconnect();
});
