// The app's topic and consumer groups, as the tooling sees them from outside, and the one move every
// tool makes before it starts the app on a fresh database: skip what earlier runs left on the topic.
import { logEndOffsets } from './kafka-offsets.mjs';
import { progressLines } from './progress.mjs';
import { waitFor, WaitTimedOut } from './wait-for.mjs';

/** The app's topic, as src/application/order/events/order-completed-message.ts names it. */
export const ORDER_TOPIC = 'outside.order.completed.v1';

/** The groups of the app's consumers (src/interfaces/messaging/consumers). */
export const APP_GROUPS = ['data-platform', 'product-ranking'];

const { progress } = progressLines('    ');

/**
 * Moves consumer groups to the end of the order topic before a run. Records already there belong to
 * other databases (tests, earlier runs): replaying them into a fresh database would tell another story.
 * Only possible while no instance of the app is in the group.
 */
export function skipOldOrderEvents(admin, groups = APP_GROUPS) {
  return skipOldRecords(admin, ORDER_TOPIC, groups);
}

/** The same move for any topic of the app and the groups that read it (the coupon rush's, say). */
export async function skipOldRecords(admin, topic, groups) {
  // No topic yet: the app creates it at start-up, and there is nothing old to skip.
  if (!(await admin.listTopics()).includes(topic)) return;
  // The real log-end offsets: admin.resetOffsets() would store "latest" as -1, which a consumer that
  // subscribes fromBeginning (as the app's do) reads as "no offset yet" and starts from the oldest record.
  const ends = await logEndOffsets(admin, topic);
  // In parallel: kafkajs's setOffsets joins the group with a consumer of its own and takes about 5 s
  // (its fetch wait, which the admin client does not let us shorten) whatever the group.
  await Promise.all(
    groups.map(async (groupId) => {
      await waitUntilEmpty(admin, groupId);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: Object.entries(ends).map(([partition, end]) => ({
          partition: Number(partition),
          offset: String(end),
        })),
      });
    }),
  );
}

/** A member of an app killed a moment ago stays in the group until its session times out (30 s). */
async function waitUntilEmpty(admin, groupId) {
  let said = false;
  try {
    await waitFor(
      `consumer group ${groupId} to empty`,
      async () => {
        const { groups: described } = await admin.describeGroups([groupId]);
        if (described[0]?.members.length === 0) return true;
        if (!said) progress(`waiting for consumer group ${groupId} to empty (an app stopped a moment ago)`);
        said = true;
        return false;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
  } catch (error) {
    if (!(error instanceof WaitTimedOut)) throw error;
    throw new Error(
      `consumer group ${groupId} still has members: stop every running order service (npm start) first`,
      { cause: error },
    );
  }
}
