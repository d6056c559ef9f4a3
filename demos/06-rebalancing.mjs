// Chapter 06: consumer groups and rebalancing. Members A, B, C (in this process) and D (a child process)
// join one group on a 4-partition topic, one at a time, and the partitions are shared out again each time.
// D is then SIGKILLed: its partitions move only once the broker gives up on its heartbeats (the session
// timeout). C leaves cleanly: its partitions move at once. Finally the topic gets two more partitions,
// and the group rebalances to include them as soon as the members' metadata refreshes.
//
// Run with `--member <brokers> <topic> <group>` (the demo does it), this file is member D.
import { fork } from 'node:child_process';
import kafkajs from 'kafkajs';
import { demo, waitFor } from './support/demo.mjs';

const { AssignerProtocol, Kafka, logLevel } = kafkajs;

const SESSION_TIMEOUT_MS = 6_000; // the broker's minimum (group.min.session.timeout.ms)
const MEMBER_CONFIG = {
  sessionTimeout: SESSION_TIMEOUT_MS,
  heartbeatInterval: 1_000,
  // kafkajs asks for the topic's partitions every 5 minutes by default; every 2 s here, so that the
  // new partitions of step [4] are noticed within seconds.
  metadataMaxAge: 2_000,
  // An idle member heartbeats between fetches: short fetch waits let it hear of a rebalance quickly.
  maxWaitTimeInMs: 500,
};

async function runDemo(context) {
  const { admin, scratchTopic, scratchGroup, producer, step, say, table } = context;
  const topic = await scratchTopic('rebalancing', 4);
  const group = scratchGroup('shipping');
  // Re-reads metadata every second: kafkajs drops records for a partition its metadata does not know yet.
  const writer = producer({ metadataMaxAge: 1_000 });
  await writer.connect();
  const members = new Members();
  const watch = { admin, topic, group, members, writer, context };
  let child;
  try {
    step('Members join one at a time; after each join the group shares the 4 partitions out again');
    say(`${topic}, 4 partitions; group ${group}`);
    for (const label of ['A', 'B', 'C']) {
      const since = members.mark();
      await members.startInProcess(label, context, topic, group);
      await showSettled(watch, { title: `${label} joined`, since, partitionCount: 4 });
    }
    const joinStarted = members.mark();
    child = members.startChild('D', context.brokers, topic, group);
    await showSettled(watch, { title: 'D joined (a child process)', since: joinStarted, partitionCount: 4 });
    members.printTimeline(context, joinStarted);
    const { protocol } = await describeGroup(admin, group);
    say(`assignor: ${protocol}, run by the group leader (a member, not the broker)`);

    step(
      `D crashes (SIGKILL): no LeaveGroup; the broker waits out its session timeout (${SESSION_TIMEOUT_MS} ms)`,
    );
    const crashStarted = members.mark();
    child.kill('SIGKILL');
    members.stopped('D');
    const crash = await showSettled(watch, {
      title: 'D crashed',
      since: crashStarted,
      partitionCount: 4,
      gone: 'D',
    });
    members.printTimeline(context, crashStarted);

    step('C leaves cleanly (disconnect sends LeaveGroup): the group rebalances at once');
    const leaveStarted = members.mark();
    await members.disconnect('C');
    const leave = await showSettled(watch, { title: 'C left', since: leaveStarted, partitionCount: 4 });
    members.printTimeline(context, leaveStarted);
    say();
    table([
      {
        'member went away': 'D crashed (SIGKILL)',
        'group settled after': `${crash.seconds.toFixed(1)} s`,
        'still listed as a member': `${crash.lingered.toFixed(1)} s after`,
      },
      {
        'member went away': 'C left (LeaveGroup)',
        'group settled after': `${leave.seconds.toFixed(1)} s`,
        'still listed as a member': 'no',
      },
    ]);
    if (crash.lingered * 1000 < SESSION_TIMEOUT_MS - 2_000) {
      throw new Error(`D disappeared after ${crash.lingered} s, before its session could have timed out`);
    }
    if (leave.seconds * 1000 >= SESSION_TIMEOUT_MS - 2_000) {
      throw new Error(`a clean leave took ${leave.seconds} s, about as long as a session timeout`);
    }

    step('Two more partitions (admin.createPartitions): the group rebalances once metadata refreshes');
    const addStarted = members.mark();
    await admin.createPartitions({ topicPartitions: [{ topic, count: 6 }] });
    say(
      `${topic} now has 6 partitions; the members re-read metadata every ${MEMBER_CONFIG.metadataMaxAge} ms`,
    );
    await showSettled(watch, { title: '4 → 6 partitions', since: addStarted, partitionCount: 6 });
    members.printTimeline(context, addStarted);
  } finally {
    await members.stopChild(child);
  }
}

/**
 * Waits until the broker says the group is Stable with the running members only, each member has heard
 * its assignment, and the assignment covers the topic's `partitionCount` partitions; checks that each
 * partition went to exactly one member; then produces a record to every partition and checks that its
 * owner read it. Prints the assignment; returns the seconds from `since` until the group settled, and
 * until when the `gone` member was still listed.
 */
async function showSettled(watch, { title, since, partitionCount, gone }) {
  const { admin, topic, group, members, writer, context } = watch;
  const { say, table, progress } = context;
  const labels = members.running();
  let lingered = 0;
  const report = throttled(progress);
  const assignment = await waitFor(
    `group ${group} to settle with members ${labels.join(', ')}`,
    async () => {
      const described = await describeGroup(admin, group);
      const seconds = members.secondsSince(since);
      const listed = described.members.map(({ memberId }) => members.labelOf(memberId) ?? '(new)').sort();
      if (gone && listed.includes(gone)) lingered = seconds;
      report(seconds, `${described.state}, members ${listed.join(', ') || 'none'}`);
      if (described.state !== 'Stable' || listed.join() !== labels.join()) return undefined;
      const owned = assignmentOf(described, topic, members);
      const heard = owned.every(({ label, partitions }) => members.heard(label, partitions));
      const covered = new Set(owned.flatMap(({ partitions }) => partitions)).size === partitionCount;
      return heard && covered ? owned : undefined;
    },
    { timeoutMs: 45_000 },
  );
  const seconds = Number(members.secondsSince(since).toFixed(1));
  expectEachPartitionOnce(assignment, partitionCount);
  const readers = await produceToEveryPartition(writer, members, topic, partitionCount, progress);
  for (const { label, partitions } of assignment) {
    const read = readers.filter((reader) => reader.label === label).map((reader) => reader.partition);
    if (read.join() !== partitions.join()) {
      throw new Error(`${label} owns partitions [${partitions}] but read from [${read}]`);
    }
  }
  say(`${title}: the group settled after ${seconds.toFixed(1)} s`);
  table(
    assignment.map(({ label, partitions }) => ({
      member: label,
      leader: members.isLeader(label) ? 'yes' : '',
      partitions: partitions.length > 0 ? partitions.join(', ') : '(none)',
      'records read': readers.filter((reader) => reader.label === label).length,
    })),
  );
  return { seconds, lingered: Number(lingered.toFixed(1)) };
}

/** A progress line when the news changed, or a second after the last one: readable in a CI log. */
function throttled(progress) {
  let last = { news: undefined, seconds: -Infinity };
  return (seconds, news) => {
    if (news === last.news && seconds - last.seconds < 1) return;
    progress(`${seconds.toFixed(1)} s: ${news}`);
    last = { news, seconds };
  };
}

function expectEachPartitionOnce(assignment, partitionCount) {
  const all = assignment.flatMap(({ partitions }) => partitions).sort((a, b) => a - b);
  const expected = Array.from({ length: partitionCount }, (_, partition) => partition);
  if (all.join() !== expected.join()) {
    throw new Error(`partitions [${all}] assigned, expected each of [${expected}] exactly once`);
  }
}

/** One record per partition; resolves with who read each, once every one has been read. */
async function produceToEveryPartition(writer, members, topic, partitionCount, progress) {
  const round = members.nextRound();
  const acknowledged = new Set();
  await waitFor(`the broker to acknowledge a record in each of ${partitionCount} partitions`, async () => {
    const missing = Array.from({ length: partitionCount }, (_, partition) => partition).filter(
      (partition) => !acknowledged.has(partition),
    );
    const sent = await writer.send({
      topic,
      messages: missing.map((partition) => ({ partition, value: round })),
    });
    for (const { partition } of sent) acknowledged.add(partition);
    return acknowledged.size === partitionCount ? true : undefined;
  });
  const report = throttled(progress);
  const started = performance.now();
  return waitFor(`every partition's record of ${round} to be read`, () => {
    const readers = members.readersOf(round);
    const seconds = (performance.now() - started) / 1000;
    if (seconds >= 1) report(seconds, `${readers.length}/${partitionCount} records of ${round} read`);
    return readers.length === partitionCount ? readers.sort((a, b) => a.partition - b.partition) : undefined;
  });
}

async function describeGroup(admin, group) {
  const {
    groups: [described],
  } = await admin.describeGroups([group]);
  return described;
}

/** Member → partitions of `topic`, from the assignment the broker holds for each member. */
function assignmentOf(described, topic, members) {
  return described.members
    .map(({ memberId, memberAssignment }) => ({
      label: members.labelOf(memberId),
      partitions: [
        ...(AssignerProtocol.MemberAssignment.decode(memberAssignment)?.assignment[topic] ?? []),
      ].sort((a, b) => a - b),
    }))
    .sort((a, b) => a.label.localeCompare(b.label));
}

/**
 * The group's members as this demo knows them: label ↔ member id, what each heard in its last join, the
 * records each read, and a timeline of their rebalance events (as the listener container logs them).
 */
class Members {
  #byLabel = new Map();
  #events = [];
  #reads = [];
  #rounds = 0;

  mark() {
    return performance.now();
  }

  secondsSince(mark) {
    return (performance.now() - mark) / 1000;
  }

  async startInProcess(label, context, topic, group) {
    const consumer = context.consumer({ groupId: group, ...MEMBER_CONFIG });
    this.#add(label, { consumer });
    const { GROUP_JOIN, REBALANCING } = consumer.events;
    consumer.on(GROUP_JOIN, ({ payload }) => this.#joined(label, payload));
    consumer.on(REBALANCING, () => this.#rebalancing(label));
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ partition, message }) => this.#read(label, partition, message.value.toString()),
    });
  }

  startChild(label, brokers, topic, group) {
    const child = fork(import.meta.filename, ['--member', brokers, topic, group], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.#add(label, { child });
    child.on('message', (message) => {
      if (message.type === 'joined') this.#joined(label, message.payload);
      if (message.type === 'rebalancing') this.#rebalancing(label);
      if (message.type === 'read') this.#read(label, message.partition, message.value);
    });
    return child;
  }

  async stopChild(child) {
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM'); // it leaves the group, then exits
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  }

  async disconnect(label) {
    await this.#byLabel.get(label).consumer.disconnect();
    this.stopped(label);
  }

  stopped(label) {
    this.#byLabel.get(label).running = false;
  }

  running() {
    return [...this.#byLabel.values()]
      .filter(({ running }) => running)
      .map(({ label }) => label)
      .sort();
  }

  labelOf(memberId) {
    return [...this.#byLabel.values()].find((member) => member.memberId === memberId)?.label;
  }

  isLeader(label) {
    return this.#byLabel.get(label).isLeader;
  }

  /** Whether `label`'s last join gave it exactly `partitions`. */
  heard(label, partitions) {
    return this.#byLabel.get(label).assigned.join() === partitions.join();
  }

  nextRound() {
    this.#rounds += 1;
    return `round ${this.#rounds}`;
  }

  readersOf(round) {
    return this.#reads.filter((read) => read.value === round);
  }

  /** The rebalance events since `mark`, one line each, with the time they happened. */
  printTimeline({ say }, mark) {
    say('timeline:');
    for (const { at, label, text } of this.#events.filter((event) => event.at >= mark)) {
      say(`  +${((at - mark) / 1000).toFixed(1)} s  ${label}  ${text}`);
    }
  }

  #add(label, handles) {
    const member = { label, running: true, memberId: undefined, isLeader: false, assigned: [], ...handles };
    this.#byLabel.set(label, member);
    return member;
  }

  #joined(label, { memberId, isLeader, memberAssignment }) {
    const member = this.#byLabel.get(label);
    const assigned = Object.values(memberAssignment)
      .flat()
      .sort((a, b) => a - b);
    Object.assign(member, { memberId, isLeader, assigned });
    this.#event(label, `joined${isLeader ? ' as leader' : ''}, assigned ${listOf(assigned)}`);
  }

  // Eager rebalancing: a member that hears of a rebalance stops fetching and gives up all its partitions.
  #rebalancing(label) {
    this.#event(label, `rebalancing: gives up ${listOf(this.#byLabel.get(label).assigned)}`);
  }

  #event(label, text) {
    this.#events.push({ at: performance.now(), label, text });
  }

  #read(label, partition, value) {
    this.#reads.push({ label, partition, value });
  }
}

function listOf(partitions) {
  return partitions.length > 0 ? `[${partitions.join(',')}]` : 'nothing';
}

/** Member D: the same consumer, in a process of its own that the demo can SIGKILL. Reports over IPC. */
async function runChildMember(brokers, topic, group) {
  const kafka = new Kafka({
    clientId: 'demo-06-member-D',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
  const consumer = kafka.consumer({ groupId: group, ...MEMBER_CONFIG });
  const leave = async () => {
    await consumer.disconnect().catch(() => undefined);
    process.exit(0);
  };
  process.once('SIGTERM', leave);
  process.once('SIGINT', leave);
  process.once('disconnect', leave); // the demo has gone
  const { GROUP_JOIN, REBALANCING } = consumer.events;
  consumer.on(GROUP_JOIN, ({ payload }) => process.send({ type: 'joined', payload }));
  consumer.on(REBALANCING, () => process.send({ type: 'rebalancing' }));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) =>
      process.send({ type: 'read', partition, value: message.value.toString() }),
  });
}

/** What to watch in the Kafka Lab (chapter 12) while this runs. */
const lab = 'Rebalance timeline';

// Last: the class above must be defined before the demo runs.
if (process.argv[2] === '--member') {
  await runChildMember(...process.argv.slice(3));
} else {
  await demo({ chapter: '06', title: 'Consumer groups and rebalancing', lab }, runDemo);
}
