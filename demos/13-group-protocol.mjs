// Chapter 13: the new consumer group protocol (KIP-848). Two groups read one topic while records flow: a
// classic group of kafkajs consumers and a `group.protocol=consumer` group of Kafka's own Java console
// consumers. In both, member C joins, C leaves cleanly, then B crashes (SIGKILL). For each change the demo
// measures how long until the group is settled again and how the members that were not involved kept
// consuming meanwhile: the classic group pauses as a whole, the consumer group does not.
//
// Run with `--member <brokers> <topic> <group>` (the demo does it), this file is one kafkajs member.
import { fork, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import kafkajs from 'kafkajs';
import { demo, waitFor } from './support/demo.mjs';

const { Kafka, logLevel } = kafkajs;

const PARTITIONS = 6;
const SEND_EVERY_MS = 100; // one record to each partition: 60 records a second
const toolsScript = join(import.meta.dirname, '../scripts/services/kafka-tools.mjs');

async function runDemo(context) {
  const { scratchTopic, scratchGroup, producer, step, say, table } = context;
  // Without Java, `npm run kafka` runs the tools inside the broker's container, where the demo's signals
  // would stop only the `docker compose exec` in front of them, not the consumers.
  check(
    spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0,
    "Java 17 or newer: the consumer group's members are Java processes this demo stops and kills",
  );
  const topic = await scratchTopic('group-protocol', PARTITIONS);
  const groups = [
    new Group('classic', scratchGroup('classic'), context.brokers, topic),
    new Group('consumer', scratchGroup('consumer'), context.brokers, topic),
  ];
  const writer = producer();
  await writer.connect();
  const stopWriting = keepWriting(writer, topic);
  try {
    step('Two groups read the same topic while records flow; members A and B join each');
    say(`${topic}: ${PARTITIONS} partitions, ${(PARTITIONS * 1000) / SEND_EVERY_MS} records a second`);
    for (const group of groups) say(`${group.protocol} group: ${group.describe()}`);
    for (const group of groups) for (const label of ['A', 'B']) group.start(label);
    await settled(groups, performance.now());
    printOwners(groups, table);
    say('the broker’s view (npm run kafka -- consumer-groups --describe --state):');
    const state = context.kafkaTool(
      'consumer-groups',
      '--describe',
      '--state',
      ...groups.flatMap(({ name }) => ['--group', name]),
    );
    say(trimmed(state));
    check(
      /uniform/.test(lineOf(state, groups[1].name)) &&
        /RoundRobinAssigner/.test(lineOf(state, groups[0].name)),
      'the consumer group is assigned by the broker (uniform), the classic one by a member (RoundRobinAssigner)',
    );

    const results = [];
    step('C joins each group');
    results.push(await change(say, groups, 'C joined', ['A', 'B'], (group) => group.start('C')));
    printOwners(groups, table);
    say('the broker’s view of the consumer group (consumer-groups --describe --members --verbose):');
    say(
      trimmed(
        context.kafkaTool(
          'consumer-groups',
          '--describe',
          '--members',
          '--verbose',
          '--group',
          groups[1].name,
        ),
      ),
    );

    step('C leaves each group cleanly (SIGTERM: the consumer closes and says goodbye)');
    results.push(await change(say, groups, 'C left', ['A', 'B'], (group) => group.stop('C', 'SIGTERM')));

    step('B crashes in each group (SIGKILL: no goodbye); each broker waits out its session timeout');
    say(
      'classic: kafkajs sessionTimeout, 30 s by default; consumer: group.consumer.session.timeout.ms, 45 s',
    );
    results.push(await change(say, groups, 'B crashed', ['A'], (group) => group.stop('B', 'SIGKILL')));

    step('Side by side: how long each change took, and how the members not involved kept reading');
    table(results.flat(), [
      'change',
      'group',
      'settled after',
      'read by the others',
      'longest pause of one of them',
      'kept their partitions',
    ]);
    for (const row of results.flat().filter(({ group }) => group === 'consumer')) {
      check(
        row.keptTheirs,
        `in the consumer group, the members not involved kept their partitions through "${row.change}"`,
      );
      check(
        row.allRead,
        `in the consumer group, each member not involved read records during "${row.change}"`,
      );
    }
    for (const row of results.flat().filter(({ group }) => group === 'classic')) {
      check(
        row.gaveUpAll,
        `every classic member gave up all its partitions during "${row.change}" (an eager rebalance)`,
      );
    }
  } finally {
    await stopWriting();
    await Promise.all(groups.map((group) => group.stopAll()));
  }
}

/** Makes the same change to every group; resolves with one result row per group once all are settled. */
async function change(say, groups, name, others, makeChange) {
  const since = performance.now();
  const before = new Map(groups.map((group) => [group, others.map((label) => group.ownedBy(label))]));
  for (const group of groups) {
    group.rebalancings = new Set();
    makeChange(group);
  }
  const settledAt = await settled(groups, since);
  await new Promise((resolve) => setTimeout(resolve, 1_000)); // a second more of reading after it
  const until = performance.now();
  return groups.map((group) => {
    const seconds = (settledAt.get(group) - since) / 1000;
    const { count, pause } = group.readingOf(others, since, until);
    // Each gave partitions away or got more, but lost none it was to keep.
    const keptTheirs = others.every((label, index) => {
      const [now, then] = [group.ownedBy(label), before.get(group)[index]];
      return then.every((partition) => now.includes(partition)) || now.every((p) => then.includes(p));
    });
    say(
      `${group.protocol}: settled after ${seconds.toFixed(1)} s, ${others.join(' and ')} read ${count} records meanwhile`,
    );
    return {
      change: name,
      group: group.protocol,
      'settled after': `${seconds.toFixed(1)} s`,
      'read by the others': count,
      'longest pause of one of them': `${pause.toFixed(1)} s`,
      gaveUpAll: others.every((label) => group.rebalancings.has(label)),
      'kept their partitions': keptTheirs ? 'yes' : 'no',
      keptTheirs,
      allRead: others.every((label) => group.readingOf([label], since, until).count > 0),
    };
  });
}

/**
 * Waits until every group is settled: each partition's latest record was read by a running member, and
 * the members share the partitions evenly. Resolves with when each group got there.
 */
async function settled(groups, since) {
  const at = new Map();
  await waitFor(
    'both groups to settle',
    () => {
      for (const group of groups) if (!at.has(group) && group.isSettled()) at.set(group, performance.now());
      return at.size === groups.length;
    },
    { timeoutMs: 70_000, intervalMs: 100 },
  );
  for (const group of groups) if (at.get(group) < since) at.set(group, since);
  return at;
}

function printOwners(groups, table) {
  table(
    groups.flatMap((group) =>
      group.running().map((label) => ({
        group: group.protocol,
        member: label,
        'reads partitions': group.ownedBy(label).join(', '),
      })),
    ),
  );
}

/** Writes one record to every partition each SEND_EVERY_MS; returns the function that stops it. */
function keepWriting(writer, topic) {
  let sequence = 0;
  let sending = Promise.resolve();
  const timer = setInterval(() => {
    sequence += 1;
    const messages = Array.from({ length: PARTITIONS }, (_, partition) => ({
      partition,
      value: String(sequence),
    }));
    sending = sending.then(() => writer.send({ topic, messages })).catch(() => undefined);
  }, SEND_EVERY_MS);
  return async () => {
    clearInterval(timer);
    await sending;
  };
}

/**
 * One group and its members (child processes): who read which partition when. A classic group's members
 * are kafkajs consumers (this file, forked); a consumer group's members are Kafka's console consumer.
 */
class Group {
  #members = new Map();
  #latestReader = new Map(); // partition → label of the member that read its latest record
  #reads = []; // { at, label }
  rebalancings = new Set();

  constructor(protocol, name, brokers, topic) {
    Object.assign(this, { protocol, name, brokers, topic });
  }

  describe() {
    return this.protocol === 'classic'
      ? `${this.name}, kafkajs consumers`
      : `${this.name}, Kafka's Java console consumer with group.protocol=consumer`;
  }

  start(label) {
    const child =
      this.protocol === 'classic'
        ? fork(import.meta.filename, ['--member', this.brokers, this.topic, this.name], {
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          })
        : this.#startConsoleConsumer(label);
    this.#members.set(label, { child, running: true });
    if (this.protocol === 'classic') {
      child.on('message', (message) => {
        if (message.type === 'read') this.#read(label, message.partition);
        if (message.type === 'rebalancing') this.rebalancings.add(label);
      });
    }
  }

  // Its own process group (detached), so that a signal reaches the JVM and not only the npm-run wrapper.
  #startConsoleConsumer(label) {
    const child = spawn(
      process.execPath,
      [
        toolsScript,
        'console-consumer',
        ...['--topic', this.topic, '--group', this.name],
        ...['--command-property', 'group.protocol=consumer'],
        ...['--command-property', `client.id=demo-13-${label}`],
        ...['--formatter-property', 'print.partition=true'],
      ],
      {
        detached: true,
        stdio: ['ignore', 'pipe', 'ignore'],
        env: { ...process.env, KAFKA_BROKERS: this.brokers },
      },
    );
    createInterface({ input: child.stdout }).on('line', (line) => {
      const partition = /^Partition:(\d+)/.exec(line)?.[1];
      if (partition !== undefined) this.#read(label, Number(partition));
    });
    return child;
  }

  stop(label, signal) {
    const member = this.#members.get(label);
    member.running = false;
    if (member.child.exitCode !== null) return;
    if (this.protocol === 'classic') member.child.kill(signal);
    else process.kill(-member.child.pid, signal);
  }

  async stopAll() {
    const exits = [...this.#members.entries()]
      .filter(([, { child }]) => child.exitCode === null && child.signalCode === null)
      .map(([label, { child }]) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        this.stop(label, 'SIGTERM');
        return Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      });
    await Promise.all(exits);
  }

  running() {
    return [...this.#members.entries()]
      .filter(([, { running }]) => running)
      .map(([label]) => label)
      .sort();
  }

  ownedBy(label) {
    return [...this.#latestReader.entries()]
      .filter(([, reader]) => reader === label)
      .map(([partition]) => partition)
      .sort((a, b) => a - b);
  }

  isSettled() {
    const running = this.running();
    if (this.#latestReader.size < PARTITIONS) return false;
    return running.every((label) => this.ownedBy(label).length === PARTITIONS / running.length);
  }

  /**
   * How many records `labels` read between `since` and `until`, and the longest time one of them went
   * without reading.
   */
  readingOf(labels, since, until) {
    const window = this.#reads.filter(({ at }) => at >= since && at <= until);
    const pauses = labels.map((reader) => {
      let longest = 0;
      let previous = since;
      for (const at of [...window.filter(({ label }) => label === reader).map(({ at }) => at), until]) {
        longest = Math.max(longest, at - previous);
        previous = at;
      }
      return longest;
    });
    const count = window.filter(({ label }) => labels.includes(label)).length;
    return { count, pause: Math.max(...pauses) / 1000 };
  }

  #read(label, partition) {
    this.#reads.push({ at: performance.now(), label });
    this.#latestReader.set(partition, label);
  }
}

/** A tool's table without the blanks it pads its last column with. */
function trimmed(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n');
}

function lineOf(text, group) {
  return text.split('\n').find((line) => line.startsWith(`${group} `)) ?? '';
}

function check(holds, claim) {
  if (!holds) throw new Error(`expected: ${claim}`);
}

/** A classic member: a kafkajs consumer in a process of its own, so the demo can SIGKILL it. */
async function runChildMember(brokers, topic, group) {
  const kafka = new Kafka({ clientId: 'demo-13', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: group });
  const leave = async () => {
    await consumer.disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', leave);
  process.once('disconnect', leave); // the demo has gone
  consumer.on(consumer.events.REBALANCING, () => process.send({ type: 'rebalancing' }));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic] });
  await consumer.run({ eachMessage: async ({ partition }) => process.send({ type: 'read', partition }) });
}

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Consumer groups, Rebalance timeline';

// Last: the class above must be defined before the demo runs.
if (process.argv[2] === '--member') {
  await runChildMember(...process.argv.slice(3));
} else {
  await demo({ chapter: '13', title: 'The new consumer group protocol (KIP-848)', lab }, runDemo);
}
