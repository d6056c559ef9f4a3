import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { brokersOf, deploymentFor, runningNodes, startKafka } from '../../scripts/services/kafka.mjs';
import { waitFor } from '../../scripts/support/wait-for.mjs';
import {
  describeInTheBrowser,
  freePort,
  launchChromium,
  startLab,
  type RunningLab,
} from '../support/browser/kafka-lab.js';
import { uniqueName } from '../support/servers/kafka-test-kit.js';

// Chapter 02's failover, seen in the Kafka Lab: on the three-broker cluster of `npm run services:start --
// kafka --cluster`, stop the broker that leads partition 0 and watch Topics give it a new leader. Runs in
// CI's demos stage, where the cluster runs (LAB_CLUSTER_TESTS=true, see jest.config.js and .ci/run).
const cluster = deploymentFor({ cluster: true });

describeInTheBrowser('the Kafka Lab on the three-broker cluster (Chromium)', () => {
  let admin: Admin;
  let lab: RunningLab;
  let browser: Browser;
  let page: Page;
  let topic: string;
  let stoppedPid: number | undefined;

  beforeAll(async () => {
    if (runningNodes(cluster).length !== 3) {
      throw new Error('the three-broker cluster is not running: npm run services:start -- kafka --cluster');
    }
    const kafka = new Kafka({
      clientId: 'tests',
      brokers: brokersOf(cluster).split(','),
      logLevel: logLevel.NOTHING,
    });
    admin = kafka.admin();
    await admin.connect();
    topic = uniqueName('test.lab-failover');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3, replicationFactor: 3 }] });
    await everyReplicaInSync([topic]);
    lab = await startLab({ brokers: brokersOf(cluster), appUrl: `http://127.0.0.1:${await freePort()}` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(lab.url);
    await page.locator('#filter').fill(topic);
  });

  afterAll(async () => {
    await browser?.close();
    await lab?.stop();
    // Whatever happened, the cluster is whole again for the demos that follow. A stopping broker hands
    // its partitions over before it exits: start it again only once it has.
    if (stoppedPid !== undefined) {
      await waitFor(`pid ${stoppedPid} to exit`, () => !isRunning(stoppedPid!), { timeoutMs: 60_000 });
    }
    await startKafka(cluster);
    await everyReplicaInSync();
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
  }, 180_000);

  const partitionRow = (partition: number) =>
    page.locator(`#topics tr[data-topic="${topic}"][data-partition="${partition}"]`);

  /** Waits until every partition (of `topics`, or of the whole cluster) has all its replicas in sync. */
  async function everyReplicaInSync(topics?: string[]) {
    await waitFor(
      'every replica to be in sync',
      async () => {
        const metadata = await admin
          .fetchTopicMetadata(topics ? { topics } : undefined)
          .catch(() => undefined);
        return metadata?.topics.every(({ partitions }) =>
          partitions.every(({ isr, replicas }) => isr.length === replicas.length),
        );
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
  }

  it("shows a stopped leader's partitions with a new leader, and the stopped node gone from their ISR", async () => {
    await partitionRow(0)
      .locator('.isr', { hasText: /^\d, \d, \d$/ })
      .waitFor();
    const leader = Number(await partitionRow(0).locator('.leader').textContent());
    const led = [];
    for (const partition of [0, 1, 2]) {
      if (Number(await partitionRow(partition).locator('.leader').textContent()) === leader)
        led.push(partition);
    }
    const stopped = runningNodes(cluster).find(({ node }) => node.id === leader);
    expect(stopped).toBeDefined();

    stoppedPid = stopped!.pid;
    process.kill(stoppedPid, 'SIGTERM');

    for (const partition of led) {
      await waitFor(
        `partition ${partition} to show a leader other than node ${leader}, and an ISR without it`,
        async () => {
          const row = partitionRow(partition);
          const [newLeader, isr] = await Promise.all([
            row.locator('.leader').textContent(),
            row.locator('.isr').textContent(),
          ]);
          const inSync = (isr ?? '').split(', ').map(Number);
          return /^\d+$/.test(newLeader ?? '') && Number(newLeader) !== leader && !inSync.includes(leader);
        },
        { timeoutMs: 60_000, intervalMs: 250 },
      );
    }
  });
});

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
