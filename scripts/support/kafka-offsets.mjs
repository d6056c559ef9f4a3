// Offsets as the tools read them from outside the app: what a group committed, where a topic ends, and
// the lag between the two. Plain objects keyed by partition, offsets as numbers.
import { setTimeout as sleep } from 'node:timers/promises';
import { waitFor, WaitTimedOut } from './wait-for.mjs';

/**
 * Each partition's log-end offset, where its next record will be written ({} while the topic does not
 * exist). Asks again for up to 30 s: a broker that has just been restarted answers "does not host this
 * topic-partition" until it has loaded its partitions.
 */
export async function logEndOffsets(admin, topic) {
  if (!(await admin.listTopics()).includes(topic)) return {};
  const offsets = await askFor30s(() => admin.fetchTopicOffsets(topic));
  return Object.fromEntries(offsets.map(({ partition, high }) => [partition, Number(high)]));
}

/**
 * The group's committed offset per partition of `topic` (-1: nothing committed there yet). Asks again for
 * up to 30 s while the broker's answer is one to retry: a broker that has just started answers "not the
 * correct coordinator for this group" until it has loaded the offsets topic.
 */
export async function committedOffsets(admin, groupId, topic) {
  const [result] = await askFor30s(
    () => admin.fetchOffsets({ groupId, topics: [topic] }),
    (error) => error.retriable === true,
  );
  return Object.fromEntries(
    (result?.partitions ?? []).map(({ partition, offset }) => [partition, Number(offset)]),
  );
}

/**
 * How far `groupId` is behind on `topic`, per partition and in total. The formula of `kafka-consumer-groups
 * --describe` (and of the app's /health, src/infrastructure/messaging/kafka/consumer-lag.ts): log-end offset
 * minus the committed offset; a partition without a commit counts from its oldest retained record.
 */
export async function consumerLag(admin, groupId, topic) {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    committedOffsets(admin, groupId, topic),
  ]);
  const partitions = ends
    .map(({ partition, low, high }) => {
      const offsets = { logStart: Number(low), committed: committed[partition] ?? -1, logEnd: Number(high) };
      return { partition, ...offsets, lag: partitionLag(offsets) };
    })
    .sort((a, b) => a.partition - b.partition);
  return { total: partitions.reduce((sum, { lag }) => sum + lag, 0), partitions };
}

/** One partition's lag: log-end minus committed, or minus log-start while nothing is committed (-1). */
export function partitionLag({ logStart, committed, logEnd }) {
  return logEnd - (committed < 0 ? logStart : committed);
}

/**
 * Each group's `consumerLag` on `topic`, once every group is at 0, or as it stands after `timeoutMs`: a
 * group commits a moment after its handler returns, so a tool that has just seen the handling waits here.
 */
export async function settledLags(admin, groups, topic, { timeoutMs = 30_000 } = {}) {
  let lags;
  const readLags = async () => {
    lags = await Promise.all(
      groups.map(async (group) => ({ group, ...(await consumerLag(admin, group, topic)) })),
    );
    return lags.every(({ total }) => total === 0) ? lags : undefined;
  };
  try {
    return await waitFor(`lag 0 for ${groups.join(' and ')}`, readLags, { timeoutMs, intervalMs: 500 });
  } catch (error) {
    if (error instanceof WaitTimedOut) return lags;
    throw error;
  }
}

/** `ask()`, asked again every 250 ms for up to 30 s while it throws an error `worthAskingAgain` accepts. */
async function askFor30s(ask, worthAskingAgain = () => true) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await ask();
    } catch (error) {
      if (!worthAskingAgain(error) || Date.now() > deadline) throw error;
      await sleep(250);
    }
  }
}
