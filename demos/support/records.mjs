// Reading back what is really on a topic, from outside the app (chapters 08 and 09).
import { waitFor } from '../../scripts/support/wait-for.mjs';

let reads = 0;

/**
 * Reads `count` records of `topic` from the offsets `from` on ({ partition: offset }: only the partitions
 * it names), with a consumer of its own in a scratch group (one per read, so each read can start where it
 * likes). Keys, values and headers come back as strings, in partition and offset order.
 */
export async function readRecords({ consumer, scratchGroup }, topic, from, count) {
  reads += 1;
  const reader = consumer({ groupId: scratchGroup(`reader-${reads}`), maxWaitTimeInMs: 250 });
  const records = [];
  await reader.connect();
  await reader.subscribe({ topics: [topic] });
  await reader.run({
    autoCommit: false,
    eachMessage: async ({ partition, message }) => {
      const start = from[partition];
      if (start === undefined || Number(message.offset) < Number(start)) return;
      records.push({
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value?.toString() ?? '',
        headers: Object.fromEntries(
          Object.entries(message.headers ?? {}).map(([name, value]) => [name, value.toString()]),
        ),
      });
    },
  });
  for (const [partition, offset] of Object.entries(from)) {
    reader.seek({ topic, partition: Number(partition), offset: String(offset) });
  }
  await waitFor(`${count} records on ${topic}`, () => (records.length >= count ? true : undefined));
  await reader.disconnect();
  return records.sort((a, b) => a.partition - b.partition || Number(a.offset) - Number(b.offset));
}
