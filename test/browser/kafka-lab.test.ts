import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Admin, type Consumer, type Producer } from 'kafkajs';
import type { Browser, Page } from 'playwright-core';
import { buildApp, startAppProcess } from '../../scripts/support/app-process.mjs';
import { scratchSqliteFile } from '../../scripts/support/scratch-database.mjs';
import { waitFor } from '../../scripts/support/wait-for.mjs';
import { createTestTopic, testKafka, testProducer, uniqueName } from '../support/servers/kafka-test-kit.js';
import { javaDefaultPartition } from '../support/servers/murmur2.js';
import { kafkaBrokers } from '../support/servers/real-servers.js';
import {
  describeInTheBrowser,
  freePort,
  launchChromium,
  startLab,
  type RunningLab,
} from '../support/browser/kafka-lab.js';

// The Kafka Lab as a learner sees it: `npm run lab` on the real broker, opened in Chromium. Each check
// waits for what the page shows (it updates once a second), never for a fixed time.
describeInTheBrowser('the Kafka Lab in the browser (real broker, Chromium)', () => {
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let lab: RunningLab;
  let browser: Browser;
  let page: Page;
  let topic: string;
  const consumers: Consumer[] = [];
  const pageErrors: Error[] = [];

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    producer = testProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
    topic = await createTestTopic(admin, 'lab', 3);
    lab = await startLab({ brokers: kafkaBrokers(), appUrl: `http://127.0.0.1:${await freePort()}` });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('pageerror', (error) => pageErrors.push(error));
    await page.goto(lab.url);
    await page.locator('#filter').fill(topic);
    // The tail's topic list comes with the first snapshot that has read the new topic.
    await page.locator(`#tail-topic option[value="${topic}"]`).waitFor({ state: 'attached' });
    await page.locator('#tail-topic').selectOption(topic);
    await page.locator('#tail-status', { hasText: 'reading' }).waitFor();
  });

  afterAll(async () => {
    await Promise.all(consumers.map((consumer) => consumer.disconnect()));
    await browser?.close();
    await lab?.stop();
    await producer.disconnect();
    await admin.disconnect();
  });

  /** A group member with a client id of its own (kafkajs takes it from the client), as the page shows it. */
  const consumer = (groupId: string, clientId: string) => {
    const client = new Kafka({ clientId, brokers: kafkaBrokers().split(','), logLevel: logLevel.NOTHING });
    const member = client.consumer({ groupId, allowAutoTopicCreation: false });
    consumers.push(member);
    return member;
  };

  /** What the group's panel says each member owns: how many members, and the partitions between them. */
  const ownership = async (groupId: string) => {
    const owned = await page
      .locator(`#groups article[data-group="${groupId}"] .member .owned`)
      .allTextContents();
    const partitionsOf = (text: string) =>
      (/\[(.*)\]/.exec(text)?.[1] ?? '').split(', ').filter(Boolean).map(Number);
    return {
      members: owned.length,
      everyMemberOwnsSome: owned.every((text) => partitionsOf(text).length > 0),
      partitions: owned.flatMap(partitionsOf).sort(),
    };
  };

  const ownershipToBe = async (groupId: string, expected: Awaited<ReturnType<typeof ownership>>) => {
    let seen: unknown;
    try {
      await waitFor(`group ${groupId}'s members to own ${JSON.stringify(expected)}`, async () => {
        seen = await ownership(groupId);
        return JSON.stringify(seen) === JSON.stringify(expected);
      });
    } finally {
      expect(seen).toEqual(expected);
    }
  };

  it('shows an order’s record in the partition its key maps to, with its headers and trace link', async () => {
    const orderId = randomUUID();
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const [sent] = await producer.send({
      topic,
      messages: [
        {
          key: orderId,
          value: JSON.stringify({ type: 'order.completed', payload: { orderId } }),
          headers: {
            'event-type': 'order.completed',
            'event-id': 'event-1',
            'request-id': 'request-1',
            traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
          },
        },
      ],
    });

    const row = page.locator(`#records tr[data-key="${orderId}"]`);
    await row.waitFor();
    const expectedPartition = javaDefaultPartition(orderId, 3);
    expect(sent?.partition).toBe(expectedPartition);
    expect(await row.locator('.partition').textContent()).toBe(String(expectedPartition));
    expect(await row.textContent()).toContain('order.completed');
    expect(await row.textContent()).toContain('request-1');
    expect(await row.locator('a.trace').getAttribute('href')).toBe(
      `http://localhost:9411/zipkin/traces/${traceId}`,
    );

    await page.locator('#key').fill(orderId);
    await page.locator('#key-partition', { hasText: `partition ${expectedPartition} of 3` }).waitFor();
  });

  it("hides the lab's own consumer group and says so; shows the service as not running", async () => {
    const { groups } = await admin.listGroups();
    expect(groups.some(({ groupId }) => groupId.startsWith(`kafka-lab-tail-${lab.pid}-`))).toBe(true);
    await page.locator('#filter').fill('');
    await page.locator('#hidden-groups', { hasText: "The lab's own groups (kafka-lab-…" }).waitFor();
    expect(await page.locator('#groups [data-group^="kafka-lab-"]').count()).toBe(0);
    await page.locator('#service', { hasText: 'not running at http://127.0.0.1:' }).waitFor();
    await page.locator('#filter').fill(topic);
  });

  it("shows a group's lag rise as records arrive, and return to 0 once a member has read them", async () => {
    const groupId = uniqueName('lab-lagging');
    const ends = await admin.fetchTopicOffsets(topic);
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
    const group = page.locator(`#groups article[data-group="${groupId}"]`);
    await group.locator('.total-lag', { hasText: /^0$/ }).waitFor();

    await producer.send({
      topic,
      messages: Array.from({ length: 6 }, (_, i) => ({ key: `lag-${i}`, value: 'x' })),
    });
    await group.locator('.total-lag', { hasText: /^6$/ }).waitFor();

    const reader = consumer(groupId, 'lab-test-reader');
    await reader.subscribe({ topics: [topic] });
    await reader.run({ eachMessage: async () => undefined });
    await group.locator('.total-lag', { hasText: /^0$/ }).waitFor();
    await group.locator('.member', { hasText: 'lab-test-reader' }).waitFor();
  });

  it('shows a second member joining in the Rebalance timeline, and the partitions split between the two', async () => {
    const groupId = uniqueName('lab-rebalance');
    const first = consumer(groupId, 'lab-test-first');
    await first.subscribe({ topics: [topic] });
    await first.run({ eachMessage: async () => undefined });
    await ownershipToBe(groupId, { members: 1, everyMemberOwnsSome: true, partitions: [0, 1, 2] });

    const second = consumer(groupId, 'lab-test-second');
    await second.subscribe({ topics: [topic] });
    await second.run({ eachMessage: async () => undefined });

    await page
      .locator(`#timeline li.joined[data-group="${groupId}"][data-client-id="lab-test-second"]`)
      .waitFor();
    await page
      .locator(`#timeline li.assignment-changed[data-group="${groupId}"][data-client-id="lab-test-first"]`)
      .waitFor();
    await ownershipToBe(groupId, { members: 2, everyMemberOwnsSome: true, partitions: [0, 1, 2] });
  });

  it('says "broker unreachable" in the page and in its log while no broker answers, and keeps asking', async () => {
    const nowhere = await startLab({ brokers: `localhost:${await freePort()}`, appUrl: lab.url });
    const lonelyPage = await browser.newPage();
    try {
      await lonelyPage.goto(nowhere.url);
      await lonelyPage.locator('#broker-status', { hasText: 'broker unreachable' }).waitFor();
      expect(nowhere.lines.join('\n')).toContain('unreachable');
      expect(nowhere.lines.join('\n')).toContain('npm run services:start');
    } finally {
      await lonelyPage.close();
      await nowhere.stop();
    }
  });

  it("shows the running service's /health and /metrics in Service, from the app at APP_URL", async () => {
    buildApp();
    // The embedded default (SQLite, in-memory bus): it joins no consumer group on the shared broker.
    const app = await startAppProcess({
      environment: {
        EVENT_PUBLISHER: 'in-memory',
        DB_DRIVER: 'sqlite',
        SQLITE_FILE: scratchSqliteFile('browser-lab'),
      },
    });
    const watching = await startLab({ brokers: kafkaBrokers(), appUrl: app.baseUrl });
    const servicePage = await browser.newPage();
    try {
      await servicePage.goto(watching.url);
      await servicePage.locator('#service .health', { hasText: 'UP' }).waitFor();
      expect(await servicePage.locator('#service').textContent()).toContain(app.baseUrl);
      // From its GET /metrics: the mode's info gauge; no outbox gauges in this mode, so a dash, not a 0.
      await servicePage.locator('#service .mode', { hasText: 'in-memory' }).waitFor();
      expect(await servicePage.locator('#service .outbox-pending').textContent()).toBe('—');
    } finally {
      await servicePage.close();
      await watching.stop();
      await app.stop();
    }
  });

  it('drew every snapshot without a script error in the page', () => {
    expect(pageErrors).toEqual([]);
  });

  it('deletes its own consumer group when stopped with Ctrl-C', async () => {
    await lab.stop();
    expect(lab.lines.join('\n')).toMatch(/deleted the consumer group kafka-lab-tail-/);
    const { groups } = await admin.listGroups();
    expect(groups.filter(({ groupId }) => groupId.startsWith(`kafka-lab-tail-${lab.pid}-`))).toEqual([]);
  });
});
