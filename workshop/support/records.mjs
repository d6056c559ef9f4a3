// Reading what is really on a topic: the checkers trust the broker, not the app's log.
import { randomBytes } from 'node:crypto';
import { waitFor, WaitTimedOut } from '../../scripts/support/wait-for.mjs';

/**
 * The records of `topic` written after `from` (log-end offsets taken earlier), read with a throwaway
 * consumer group, until `enough(records)` holds or `timeoutMs` passes. Headers come back as strings.
 */
export async function recordsAfter(
  kafka,
  admin,
  topic,
  from,
  { enough = () => false, timeoutMs = 15_000 } = {},
) {
  const groupId = `workshop-checker-${randomBytes(4).toString('hex')}`;
  const consumer = kafka.consumer({ groupId, sessionTimeout: 6_000, maxWaitTimeInMs: 250 });
  const records = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (Number(message.offset) < (from[partition] ?? 0)) return;
        records.push({
          partition,
          offset: Number(message.offset),
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [name, value?.toString()]),
          ),
        });
      },
    });
    for (const [partition, offset] of Object.entries(from))
      consumer.seek({ topic, partition: Number(partition), offset: String(offset) });
    // Not enough by then is the checker's to judge (it says what is missing): the records so far.
    await waitFor(`records on ${topic}`, () => enough(records), { timeoutMs, intervalMs: 200 }).catch(
      (error) => {
        if (!(error instanceof WaitTimedOut)) throw error;
      },
    );
    return records;
  } finally {
    await consumer.disconnect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
}
