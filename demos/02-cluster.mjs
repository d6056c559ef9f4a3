// Chapter 02: the three-broker cluster. Shows the KRaft controller quorum, a replicated topic's leaders,
// followers and ISR, and the group coordinator; then stops the broker that leads partition 0, watches
// leadership move, writes with acks=all on two of three replicas, shows min.insync.replicas refusing a
// write, and always starts the broker again, waiting until every replica is back in sync.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import kafkajs from 'kafkajs';
import { CLUSTER_BROKERS, demo, waitFor } from './support/demo.mjs';
import { progressDone } from './support/output.mjs';
import { deploymentFor, runningNodes } from '../scripts/services/kafka.mjs';

const { Kafka, logLevel, ConfigResourceTypes } = kafkajs;

const cluster = deploymentFor({ cluster: true });
const partitionColumns = ['partition', 'leader', 'replicas', 'isr'];
const sendColumns = ['partition', 'leader', 'acks', 'offset'];
const kafkaScript = pathToFileURL(join(import.meta.dirname, '../scripts/services/kafka.mjs')).href;

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = "Topics, a stopped leader's partitions moving";

await demo({ chapter: '02', title: 'Brokers and the cluster', cluster: true, lab }, async (context) => {
  // A client of its own for watching metadata while a broker is down: it fails fast, and the demo asks again.
  const watcher = new Kafka({
    clientId: 'demo-02-watcher',
    brokers: CLUSTER_BROKERS.split(','),
    logLevel: logLevel.NOTHING,
    connectionTimeout: 1000,
    requestTimeout: 5000,
    retry: { retries: 1, initialRetryTime: 100 },
  }).admin();
  await watcher.connect();
  try {
    await tourTheCluster({ ...context, watcher });
  } finally {
    await watcher.disconnect();
  }
});

async function tourTheCluster(context) {
  const { admin, watcher, scratchTopic, producer, step, say, table } = context;
  step('The controller quorum (KRaft) and the brokers');
  const quorum = showQuorumAndBrokers(context, await admin.describeCluster());

  step('A topic with 3 partitions, each copied to 3 brokers');
  const topic = await scratchTopic('replicated', 3, 3);
  const strictTopic = await scratchTopic('strict', 1, 3);
  await setTopicConfig(admin, strictTopic, 'min.insync.replicas', '3');
  const before = await partitionsOf(watcher, topic);
  const minInsync = await topicConfig(admin, topic, 'min.insync.replicas');
  say(`${topic}  (replication factor 3, min.insync.replicas ${minInsync}, the cluster's default)`);
  if (minInsync !== '2') throw new Error(`expected the cluster's min.insync.replicas=2, found ${minInsync}`);
  table(before.map(describePartition), partitionColumns);
  if (before.some(({ isr }) => isr.length !== 3)) throw new Error('a new partition is not fully in sync');

  const writer = producer({ retry: { retries: 5, initialRetryTime: 200 } });
  // NOT_ENOUGH_REPLICAS is retriable: this producer reports it at once instead of retrying for seconds.
  const impatientWriter = producer({ retry: { retries: 0 } });
  await Promise.all([writer.connect(), impatientWriter.connect()]);
  step('Produce with acks=all: each leader waits for every in-sync replica');
  table(await sendToEachPartition(writer, topic, before, 'first'), sendColumns);

  step('The group coordinator: the broker that leads the group’s __consumer_offsets partition');
  await showCoordinator(context, topic);

  const stoppedNode = before[0].leader;
  const control = nodeControl(stoppedNode);
  const startOnCtrlC = () => control.start();
  let stopped = false;
  try {
    step(`Stop node ${stoppedNode}, the leader of partition 0`);
    say(control.describeStop());
    process.once('SIGINT', startOnCtrlC);
    stopped = true;
    await control.stop(context.progress);

    step('Leadership moves; the ISR loses the stopped node');
    const after = await waitForFailover(watcher, topic, stoppedNode);
    table(compare(before, after), ['partition', 'leader', 'isr']);
    await showQuorumAfterStop(context, control, quorum, stoppedNode);

    step('acks=all with 2 of 3 replicas in sync (min.insync.replicas=2): still accepted');
    table(await sendToEachPartition(writer, topic, after, 'second'), sendColumns);

    step(`min.insync.replicas=3 on ${strictTopic}: acks=all is refused, acks=1 is not`);
    await showMinInsyncReplicas(context, impatientWriter, strictTopic, stoppedNode);
  } finally {
    if (stopped) {
      step(`Start node ${stoppedNode} again and wait until every ISR is whole`);
      await startAndWaitForIsr(context, control, stoppedNode);
      process.off('SIGINT', startOnCtrlC);
      table((await partitionsOf(watcher, topic)).map(describePartition), partitionColumns);
    }
  }

  step(`acks=all on ${strictTopic} again, with 3 of 3 in sync`);
  const [accepted] = await writer.send({
    topic: strictTopic,
    acks: -1,
    messages: [{ value: 'three copies' }],
  });
  say(`acks=all → accepted at offset ${accepted.baseOffset}`);
}

function showQuorumAndBrokers({ kafkaTool, progress, say, table }, { brokers }) {
  progress('npm run kafka -- metadata-quorum describe --replication');
  const quorum = parseQuorum(kafkaTool('metadata-quorum', 'describe', '--replication'));
  table(quorum, ['node', 'role', 'logEndOffset', 'lag']);
  const leader = quorum.find((voter) => voter.role === 'Leader');
  if (quorum.length !== 3 || !leader) throw new Error('expected 3 voters, one of them the leader');
  say();
  const byNode = brokers.map(({ nodeId, host, port }) => ({ node: nodeId, host, port }));
  table(byNode.sort((a, b) => a.node - b.node));
  say(`→ node ${leader.node} is the active controller; every node is both a broker and a voter`);
  return quorum;
}

async function showCoordinator({ admin, watcher, scratchGroup, kafkaTool, progress, say }, topic) {
  const group = scratchGroup('coordinated');
  // A commit is enough to create the group: it is written to the coordinator's __consumer_offsets partition.
  await admin.setOffsets({ groupId: group, topic, partitions: [{ partition: 0, offset: '1' }] });
  const expected = await expectedCoordinator(watcher, group);
  progress(`npm run kafka -- consumer-groups --describe --group ${group} --state`);
  const reported = reportedCoordinator(
    kafkaTool('consumer-groups', '--describe', '--group', group, '--state'),
  );
  say(`${group} → __consumer_offsets partition ${expected.partition} → led by node ${expected.leader}`);
  say(`consumer-groups --describe --state says: COORDINATOR (ID) = ${reported}`);
  if (reported !== expected.leader)
    throw new Error(`expected coordinator ${expected.leader}, got ${reported}`);
}

function waitForFailover(watcher, topic, stoppedNode) {
  return waitFor(
    `partition 0 to get a new leader and node ${stoppedNode} to leave every ISR`,
    async () => {
      const partitions = await partitionsOf(watcher, topic).catch(() => undefined);
      const moved =
        partitions?.[0].leader !== stoppedNode && partitions?.every(({ isr }) => !isr.includes(stoppedNode));
      return moved ? partitions : undefined;
    },
    { timeoutMs: 30_000 },
  );
}

async function showQuorumAfterStop({ kafkaTool, progress, say, table }, control, quorum, stoppedNode) {
  progress('npm run kafka -- metadata-quorum describe --replication');
  const quorumNow = parseQuorum(control.metadataQuorum(kafkaTool));
  say();
  table(compareQuorum(quorum, quorumNow), ['node', 'role', 'logEndOffset', 'lag']);
  if (!quorumNow.some(({ role, node }) => role === 'Leader' && node !== stoppedNode)) {
    throw new Error('the controller quorum has no leader among the running nodes');
  }
}

async function showMinInsyncReplicas({ watcher, say }, impatientWriter, strictTopic, stoppedNode) {
  const [{ leader, isr }] = await waitFor(`node ${stoppedNode} to leave ${strictTopic}'s ISR`, async () => {
    const partitions = await partitionsOf(watcher, strictTopic).catch(() => undefined);
    return partitions?.[0].isr.includes(stoppedNode) === false ? partitions : undefined;
  });
  say(`partition 0: leader ${leader}, isr ${isr.join(',')} (${isr.length} in sync, 3 required)`);
  if (isr.length !== 2) throw new Error(`expected 2 replicas in sync, found ${isr.length}`);
  const refused = await impatientWriter
    .send({ topic: strictTopic, acks: -1, messages: [{ value: 'needs three copies' }] })
    .then(() => 'accepted', errorTypeOf);
  say(`acks=all → ${refused}`);
  if (refused !== 'NOT_ENOUGH_REPLICAS') throw new Error(`expected NOT_ENOUGH_REPLICAS, got ${refused}`);
  const messages = [{ value: 'the leader alone' }];
  const [written] = await impatientWriter.send({ topic: strictTopic, acks: 1, messages });
  say(`acks=1   → accepted at offset ${written.baseOffset} (min.insync.replicas only applies to acks=all)`);
}

async function startAndWaitForIsr({ watcher, progress, say }, control, stoppedNode) {
  const startedAt = Date.now();
  progress(`${control.describeStart()} (a JVM start: several seconds)`);
  control.start();
  await waitFor(
    `node ${stoppedNode} to rejoin every ISR`,
    async () =>
      (await laggingPartitions(watcher, stoppedNode).catch(() => undefined)) === 0 ? true : undefined,
    { timeoutMs: 90_000, intervalMs: 500 },
  );
  say(
    `node ${stoppedNode} is back and in sync on every partition of the cluster after ${seconds(startedAt)}`,
  );
}

/** How to stop and start one node: the pid that `npm run services:start` wrote down, or docker compose. */
function nodeControl(nodeId) {
  const running = runningNodes(cluster).find(({ node }) => node.id === nodeId);
  if (running) {
    return {
      describeStop: () => `kill -TERM ${running.pid}   (var/services/kafka-cluster/node-${nodeId}/kafka.pid)`,
      describeStart: () => 'starting the missing node, as `npm run services:start -- kafka --cluster` would',
      async stop(progress) {
        const startedAt = Date.now();
        process.kill(running.pid, 'SIGTERM');
        progress(`waiting for pid ${running.pid} to exit`);
        await waitFor(
          `node ${nodeId} (pid ${running.pid}) to exit`,
          () => (runningNodes(cluster).some(({ node }) => node.id === nodeId) ? undefined : true),
          { timeoutMs: 60_000, intervalMs: 200 },
        );
        progressDone(`pid ${running.pid} exited after ${seconds(startedAt)}`);
      },
      start: startMissingNodes,
      metadataQuorum: (kafkaTool) => kafkaTool('metadata-quorum', 'describe', '--replication'),
    };
  }
  const service = `kafka-${nodeId}`;
  const compose = spawnSync('docker', ['compose', 'ps', '--services', '--status', 'running'], {
    encoding: 'utf8',
  });
  if (compose.status === 0 && compose.stdout.split('\n').includes(service)) {
    return {
      describeStop: () => `docker compose stop ${service}`,
      describeStart: () => `docker compose start ${service}`,
      async stop(progress) {
        const startedAt = Date.now();
        progress(`docker compose stop ${service}`);
        runOrThrow('docker', ['compose', 'stop', service]);
        progressDone(`${service} stopped after ${seconds(startedAt)}`);
      },
      start: () => runOrThrow('docker', ['compose', 'start', service]),
      // Without Java, `npm run kafka` runs the tools inside kafka-1: if that is the stopped one, ask another.
      metadataQuorum(kafkaTool) {
        try {
          return kafkaTool('metadata-quorum', 'describe', '--replication');
        } catch (error) {
          if (nodeId !== 1) throw error;
          const tool = '/opt/kafka/bin/kafka-metadata-quorum.sh';
          const args = ['--bootstrap-server', 'kafka-2:19092', 'describe', '--replication'];
          return runOrThrow('docker', ['compose', 'exec', '-T', 'kafka-2', tool, ...args]);
        }
      },
    };
  }
  throw new Error(
    `node ${nodeId} runs neither from \`npm run services:start -- kafka --cluster\` (no live pid in ` +
      `var/services/kafka-cluster/node-${nodeId}/kafka.pid) nor as docker compose service ${service}: ` +
      'this demo can only stop a broker it knows how to start again',
  );
}

// Synchronous on purpose: it also runs from a Ctrl-C handler, where an async start would be cut short.
// It starts only the stopped node and leaves var/services/services.env alone (the CLI would point it at the cluster).
function startMissingNodes() {
  runOrThrow(process.execPath, [
    '--disable-warning=TimeoutNegativeWarning',
    '--input-type=module',
    '-e',
    `import { deploymentFor, startKafka } from '${kafkaScript}';
     await startKafka(deploymentFor({ cluster: true }));`,
  ]);
}

function runOrThrow(program, args) {
  const result = spawnSync(program, args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${program} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout;
}

async function partitionsOf(client, topic) {
  const { topics } = await client.fetchTopicMetadata({ topics: [topic] });
  return topics[0].partitions
    .map(({ partitionId, leader, replicas, isr }) => ({ partition: partitionId, leader, replicas, isr }))
    .sort((a, b) => a.partition - b.partition);
}

/** How many partitions in the whole cluster list `nodeId` as a replica but not (yet) in their ISR. */
async function laggingPartitions(client, nodeId) {
  const { topics } = await client.fetchTopicMetadata();
  return topics
    .flatMap(({ partitions }) => partitions)
    .filter(({ replicas, isr }) => replicas.includes(nodeId) && !isr.includes(nodeId)).length;
}

function describePartition({ partition, leader, replicas, isr }) {
  return { partition, leader, replicas: replicas.join(','), isr: isr.join(',') };
}

function compare(before, after) {
  return before.map((old, index) => ({
    partition: old.partition,
    leader: `${old.leader} → ${after[index].leader}`,
    isr: `${old.isr.join(',')} → ${after[index].isr.join(',')}`,
  }));
}

function compareQuorum(before, after) {
  return before.map((old) => {
    const now = after.find((voter) => voter.node === old.node);
    return {
      node: old.node,
      role: now?.role,
      // -1: a leader elected while this voter was down has never heard from it
      logEndOffset: `${old.logEndOffset} → ${now && now.logEndOffset >= 0 ? now.logEndOffset : 'unknown'}`,
      lag: `${old.lag} → ${now?.lag ?? '-'}`,
    };
  });
}

async function sendToEachPartition(writer, topic, partitions, label) {
  const results = await writer.send({
    topic,
    acks: -1,
    messages: partitions.map(({ partition }) => ({ partition, key: `${label}-${partition}`, value: label })),
  });
  return results
    .map(({ partition, baseOffset }) => ({
      partition,
      leader: partitions.find((each) => each.partition === partition).leader,
      acks: 'all',
      offset: Number(baseOffset),
    }))
    .sort((a, b) => a.partition - b.partition);
}

async function topicConfig(client, topic, name) {
  const { resources } = await client.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
  });
  return resources[0].configEntries.find((entry) => entry.configName === name)?.configValue;
}

async function setTopicConfig(client, topic, name, value) {
  await client.alterConfigs({
    validateOnly: false,
    resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name, value }] }],
  });
}

/** The coordinator is the leader of partition abs(hashCode(groupId)) % 50 of __consumer_offsets. */
async function expectedCoordinator(client, group) {
  const partitions = await partitionsOf(client, '__consumer_offsets');
  const partition = Math.abs(javaStringHashCode(group)) % partitions.length;
  return { partition, leader: partitions[partition].leader };
}

function javaStringHashCode(text) {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1) {
    hash = (Math.imul(31, hash) + text.charCodeAt(index)) | 0;
  }
  return hash;
}

// GROUP  COORDINATOR (ID)  ASSIGNMENT-STRATEGY  STATE  #MEMBERS: "localhost:29093 (2)" → 2
// (inside docker compose the tool sees the internal listener instead, "kafka-2:19092 (2)")
function reportedCoordinator(output) {
  const match = output.match(/\S+:\d+\s+\((\d+)\)/);
  if (!match) throw new Error(`no coordinator in:\n${output}`);
  return Number(match[1]);
}

// NodeId  DirectoryId  LogEndOffset  Lag  LastFetchTimestamp  LastCaughtUpTimestamp  Status
function parseQuorum(output) {
  return output
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map(([node, , logEndOffset, lag, , , role]) => ({
      node: Number(node),
      role,
      logEndOffset: Number(logEndOffset),
      lag: Number(lag),
    }))
    .sort((a, b) => a.node - b.node);
}

function errorTypeOf(error) {
  for (let cause = error; cause; cause = cause.cause ?? cause.errors?.[0]) {
    if (cause.type) return cause.type;
  }
  return error.message;
}

function seconds(since) {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}
