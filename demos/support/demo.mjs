// The frame every demo runs in: finds the broker, prints the header, hands the demo a kafkajs client and
// scratch topics and groups of its own, and removes them afterwards, whether the demo passed, failed or
// was interrupted with Ctrl-C. A demo that fails exits with code 1, so CI notices.
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { kafkaTool } from '../../scripts/support/kafka-tool.mjs';
import { kafkaBrokers } from '../../scripts/support/services-env.mjs';
import { waitFor } from '../../scripts/support/wait-for.mjs';
import { header, labHint, progress, say, step, table } from './output.mjs';

export { waitFor } from '../../scripts/support/wait-for.mjs';

const { Kafka, logLevel } = kafkajs;

// The three-broker cluster's addresses: the same for `npm run services:start -- kafka --cluster` and for
// `docker compose --profile cluster up -d`.
export const CLUSTER_BROKERS = 'localhost:29092,localhost:29093,localhost:29094';

const howToStart = {
  single: 'start one with `npm run services:start -- kafka` (or `docker compose up -d kafka`)',
  cluster:
    'start the three-broker cluster with `npm run services:start -- kafka --cluster` ' +
    '(or `docker compose --profile cluster up -d`)',
};

/**
 * Runs `body(context)` as chapter `chapter`'s demo; `lab`, if given, says what to watch in the Kafka Lab
 * while it runs. The context has `kafka`, `admin`, `brokers`,
 * `scratchTopic(name, partitions, replicationFactor?)`, `scratchGroup(name)`, `consumer(config)` and
 * `producer(config)` (disconnected at the end), `kafkaTool(...args)`, `atCleanUp(fn)` (for what the demo
 * must remove itself: the async `fn` runs first when the demo ends), and `step`, `say`, `table`, `progress`.
 */
export async function demo({ chapter, title, cluster = false, lab }, body) {
  const brokers = cluster ? CLUSTER_BROKERS : kafkaBrokers();
  const kafka = new Kafka({
    clientId: `demo-${chapter}`,
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
    retry: { retries: 3 },
  });
  const admin = kafka.admin();
  const topics = [];
  const groups = [];
  const clients = [];
  const ownCleanUps = [];
  let cleaning;
  const cleanUp = () => {
    cleaning ??= (async () => {
      for (const ownCleanUp of ownCleanUps.reverse()) await ownCleanUp().catch(() => undefined);
      await Promise.allSettled(clients.map((client) => client.disconnect()));
      if (groups.length > 0) await admin.deleteGroups(groups).catch(() => undefined);
      if (topics.length > 0) await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
    })();
    return cleaning;
  };
  process.once('SIGINT', () => {
    console.log('\ninterrupted: removing the demo topics and groups');
    void cleanUp().finally(() => process.exit(130));
  });

  header(chapter, title, brokers);
  if (lab) labHint(lab, cluster ? brokers : undefined);
  try {
    await admin.connect();
  } catch {
    console.error(
      `\nNo Kafka broker answers at ${brokers}: ${cluster ? howToStart.cluster : howToStart.single}.`,
    );
    process.exit(1);
  }
  const suffix = randomBytes(3).toString('hex');
  const context = {
    kafka,
    admin,
    brokers,
    step,
    say,
    table,
    progress,
    async scratchTopic(name, partitions, replicationFactor) {
      const topic = `demo.${name}.${suffix}`;
      topics.push(topic);
      await admin.createTopics({
        topics: [{ topic, numPartitions: partitions, ...(replicationFactor && { replicationFactor }) }],
        waitForLeaders: false,
      });
      // Not kafkajs's waitForLeaders (on by default): on a cluster that just started, a broker that has not yet heard of
      // the topic answers "does not host this topic-partition", which kafkajs does not retry.
      await waitFor(`leaders for every partition of ${topic}`, () => hasLeaders(admin, topic, partitions), {
        timeoutMs: 30_000,
        intervalMs: 200,
      });
      return topic;
    },
    scratchGroup(name) {
      const group = `demo.${name}.${suffix}`;
      groups.push(group);
      return group;
    },
    consumer(config) {
      const consumer = kafka.consumer(config);
      clients.push(consumer);
      return consumer;
    },
    producer(config) {
      const producer = kafka.producer(config);
      clients.push(producer);
      return producer;
    },
    kafkaTool: (...args) => kafkaTool(args, { brokers }),
    atCleanUp(fn) {
      ownCleanUps.push(fn);
    },
  };
  try {
    await body(context);
    console.log(`\n✓ demo ${chapter} done; its topics and groups are removed.`);
  } catch (error) {
    console.error(`\n✗ demo ${chapter} failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  } finally {
    await cleanUp();
  }
}

/** Whether every partition of the topic has a leader; "not yet" while a broker has not heard of it. */
async function hasLeaders(admin, topic, partitions) {
  try {
    const [metadata] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
    return (
      metadata.partitions.length === partitions && metadata.partitions.every(({ leader }) => leader >= 0)
    );
  } catch (error) {
    if (error.retriable) return false;
    throw error;
  }
}
