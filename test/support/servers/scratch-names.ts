import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

// The topics and consumer groups the tests name with `uniqueName` are written down as they are named, in a
// file of this run's own, so that the run's global teardown can delete them. Otherwise every `npm test`
// leaves a few hundred scratch topics on the broker, and the Kafka Lab (`npm run lab`) would show those
// before the service's own. A file, not a variable: global setup, teardown and the test files each have a
// module registry of their own.

const FILE_VARIABLE = 'TEST_SCRATCH_NAMES_FILE';

/** Global setup: a fresh list for this run, which the test files inherit through the environment. */
export function startScratchNameList(): void {
  process.env[FILE_VARIABLE] = join(tmpdir(), `kafka-scratch-names-${process.pid}-${Date.now()}.txt`);
}

/** Writes down a topic or group name a test made up. */
export function rememberScratchName(name: string): void {
  const file = process.env[FILE_VARIABLE];
  if (file) appendFileSync(file, `${name}\n`);
}

/**
 * Global teardown: deletes this run's scratch topics (with their `.dlq`s) and groups, never another name.
 * A group that still has members is left alone, as the broker insists.
 */
export async function deleteScratchTopicsAndGroups(brokers: string): Promise<void> {
  const file = process.env[FILE_VARIABLE];
  if (!file) return;
  let names: Set<string>;
  try {
    names = new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean));
  } catch {
    return; // no test named anything
  }
  const admin = new Kafka({
    clientId: 'tests-teardown',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  }).admin();
  try {
    await admin.connect();
    const topics = (await admin.listTopics()).filter((topic) => names.has(topic.replace(/\.dlq$/, '')));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
    const { groups } = await admin.listGroups();
    const groupIds = groups.map(({ groupId }) => groupId).filter((groupId) => names.has(groupId));
    if (groupIds.length > 0) await admin.deleteGroups(groupIds).catch(() => undefined);
    console.log(
      `\nDeleted this run's ${topics.length} scratch topics and ${groupIds.length} consumer groups from the broker.`,
    );
  } catch (error) {
    console.log(`\nCould not delete this run's scratch topics and groups: ${(error as Error).message}`);
  } finally {
    await admin.disconnect();
    rmSync(file, { force: true });
  }
}
