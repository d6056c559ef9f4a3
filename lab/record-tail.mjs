// The Records panel's live tail: a kafkajs consumer on the chosen topic. kafkajs consumes only in a group,
// so the tail has one of its own, named `kafka-lab-tail-<pid>-<n>` (hidden from the Consumer groups panel,
// deleted when the tail moves to another topic and when the lab stops). Its group starts a few
// records back in each partition, so the panel opens on the latest records rather than empty.
import { setTimeout as sleep } from 'node:timers/promises';
import { LAB_GROUP_PREFIX } from './broker-watch.mjs';

const RECORDS_KEPT = 100;
const RECORDS_BACK_PER_PARTITION = 5;
const VALUE_CHARS_SHOWN = 2_000;

/** `admin()`: the watch's admin client of the moment (it may replace it). */
export function createRecordTail({ kafka, admin, log }) {
  let tail; // { topic, groupId, consumer, status }
  let records = [];
  let tails = 0;

  async function follow(topic) {
    if (tail?.topic === topic) return;
    await stop().catch((error) => log(`Records: ${error.message}`));
    records = [];
    if (!topic) return;
    tails += 1;
    const groupId = `${LAB_GROUP_PREFIX}tail-${process.pid}-${tails}`;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
    const current = { topic, groupId, consumer, status: 'joining the group' };
    tail = current;
    consumer.on(consumer.events.GROUP_JOIN, () => (current.status = 'reading'));
    try {
      await startAFewRecordsBack(admin(), groupId, topic);
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: false });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (tail !== current) return;
          records = [recordOf(partition, message), ...records].slice(0, RECORDS_KEPT);
        },
      });
    } catch (error) {
      current.status = `cannot read it: ${error.message}`;
      log(`Records: cannot tail ${topic}: ${error.message}`);
    }
  }

  /** Stops the tail and deletes its group. Resolves to the group's id once deleted (undefined: no tail). */
  async function stop() {
    const stopping = tail;
    tail = undefined;
    if (!stopping) return undefined;
    await stopping.consumer.disconnect().catch(() => undefined);
    await deleteGroup(admin(), stopping.groupId);
    return stopping.groupId;
  }

  return {
    follow,
    stop,
    get topic() {
      return tail?.topic;
    },
    view: () => ({ topic: tail?.topic, groupId: tail?.groupId, status: tail?.status, records }),
  };
}

/** Deletes the tail's group; the broker refuses while its member's leaving is still being processed. */
async function deleteGroup(admin, groupId) {
  await admin.connect();
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.deleteGroups([groupId]);
      return;
    } catch (error) {
      if (attempt === 5)
        throw new Error(`could not delete consumer group ${groupId}: ${error.message}`, { cause: error });
      await sleep(500);
    }
  }
}

/** The new group's starting point: its commits, set while it has no member yet (as skipOldRecords does). */
async function startAFewRecordsBack(admin, groupId, topic) {
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.setOffsets({
    groupId,
    topic,
    partitions: ends.map(({ partition, low, high }) => ({
      partition,
      offset: String(Math.max(Number(low), Number(high) - RECORDS_BACK_PER_PARTITION)),
    })),
  });
}

function recordOf(partition, { offset, key, headers, value, timestamp }) {
  const headerText = Object.fromEntries(
    Object.entries(headers ?? {}).map(([name, header]) => [name, header?.toString() ?? '']),
  );
  const text = value?.toString() ?? '';
  return {
    partition,
    offset,
    timestamp: Number(timestamp),
    key: key?.toString() ?? null,
    headers: headerText,
    traceId: traceIdOf(headerText.traceparent),
    value: text.length > VALUE_CHARS_SHOWN ? `${text.slice(0, VALUE_CHARS_SHOWN)}…` : text,
  };
}

/** The trace id of a W3C traceparent header (`00-<32 hex>-<16 hex>-<2 hex>`), or undefined. */
export function traceIdOf(traceparent) {
  return /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/.exec(traceparent ?? '')?.[1];
}
