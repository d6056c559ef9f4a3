// Chapter 14: share groups (KIP-932), queues on Kafka. Three share consumers read ONE partition together,
// each record acknowledged on its own; a released record comes back with delivery count 2, a rejected one
// never comes back, and a record released again and again is given up after the delivery attempt limit.
// kafkajs cannot join a share group, so the consumers are Kafka's own ConsoleShareConsumer, run from the
// jars (`npm run kafka -- console-share-consumer`), and the group is inspected with ShareGroupCommand.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { demo, waitFor } from './support/demo.mjs';

const JOBS = 30;
const DELIVERY_LIMIT = 3; // the group's share.delivery.count.limit; the broker's default is 5
const toolsScript = join(import.meta.dirname, '../scripts/services/kafka-tools.mjs');

// Every consumer still running; stopped when the demo ends, however it ends (Ctrl-C included: each runs
// in a process group of its own, which the terminal's Ctrl-C does not reach).
const running = new Set();
process.on('exit', () => {
  for (const consumer of running) consumer.interrupt();
});

/** One ConsoleShareConsumer, in its own process group so that stop() can send it Ctrl-C. */
class ShareConsumer {
  deliveries = [];

  constructor(brokers, topic, group, name, options) {
    this.name = name;
    const args = [
      ...['console-share-consumer', '--topic', topic, '--group', group],
      ...['--formatter-property', 'print.offset=true', '--formatter-property', 'print.delivery=true'],
      // One record per fetch (and per acquisition), so that records spread over the waiting consumers.
      ...[
        '--command-property',
        'max.poll.records=1',
        '--command-property',
        'share.acquire.mode=record_limit',
      ],
      ...['--command-property', `client.id=${name}`],
      ...options,
    ];
    this.child = spawn(process.execPath, [toolsScript, ...args], {
      env: { ...process.env, KAFKA_BROKERS: brokers },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(this);
    this.child.stderr.resume(); // its log lines ("Processed a total of 3 messages") are not part of the lesson
    let pending = '';
    this.child.stdout.setEncoding('utf8').on('data', (chunk) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop();
      for (const line of lines) {
        const match = line.match(/^Offset:(\d+)\tDelivery:(\d+)\t(.*)$/);
        if (match)
          this.deliveries.push({ offset: Number(match[1]), delivery: Number(match[2]), value: match[3] });
      }
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', () => {
        running.delete(this);
        resolve();
      }),
    );
  }

  /** Waits for the tool to exit by itself (--max-messages or --timeout-ms); returns this consumer. */
  async finished() {
    await this.exited;
    return this;
  }

  /** Ctrl-C: the tool closes its consumer, which sends the last acknowledgements and leaves the group. */
  async stop() {
    this.interrupt();
    await this.exited;
  }

  interrupt() {
    if (running.has(this)) process.kill(-this.child.pid, 'SIGINT');
  }
}

const lab =
  'Topics and Records, topic demo.share-jobs.<suffix>: 30 jobs, then release-me, reject-me, poison, job-last ' +
  '(the share group itself is not listed: the lab speaks kafkajs, which cannot describe one)';

await demo({ chapter: '14', title: 'Share groups: queues on Kafka', lab }, async (context) => {
  const { kafkaTool, scratchTopic, scratchGroup, producer, atCleanUp, step, say, table, brokers } = context;

  step('The broker speaks share groups: the share.version feature is finalized (Kafka 4.2+, on by default)');
  const feature = kafkaTool('features', 'describe')
    .split('\n')
    .find((line) => line.startsWith('Feature: share.version'));
  const level = Number(feature?.match(/FinalizedVersionLevel:\s*(\d+)/)?.[1] ?? 0);
  say(feature?.replaceAll(/\s+/g, ' ') ?? 'share.version: not listed');
  if (level < 1)
    throw new Error(
      'share.version is not enabled: `npm run kafka -- features upgrade --feature share.version=1`',
    );
  // Without Java, `npm run kafka` runs the tools inside the broker's container, where stopping a consumer
  // would stop only the `docker compose exec` in front of it, not the consumer.
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0)
    throw new Error(
      'this demo needs Java 17 or newer: its share consumers are Java processes it starts and stops',
    );
  say('kafkajs cannot join a share group (it has no ShareGroupHeartbeat / ShareFetch / ShareAcknowledge):');
  say("the consumers below are Kafka's Java ConsoleShareConsumer, from the jars services:start assembled.");

  const topic = await scratchTopic('share-jobs', 1);
  const group = scratchGroup('workers');
  let removed = false;
  const removeGroup = async () => {
    if (removed) return;
    removed = true;
    await Promise.all([...running].map((consumer) => consumer.stop()));
    removeShareGroup(kafkaTool, group);
  };
  atCleanUp(removeGroup); // if the demo fails or is interrupted before its last step
  kafkaTool(
    'configs',
    '--alter',
    '--entity-type',
    'groups',
    '--entity-name',
    group,
    '--add-config',
    `share.auto.offset.reset=earliest,share.delivery.count.limit=${DELIVERY_LIMIT}`,
  );
  const writer = producer();
  await writer.connect();
  const send = (...values) => writer.send({ topic, messages: values.map((value) => ({ value })) });
  const shareConsumer = (name, ...options) => new ShareConsumer(brokers, topic, group, name, options);

  step(`Three share consumers, ONE partition: all three get records (a consumer group would idle two)`);
  say(`${topic}, 1 partition; share group ${group}`);
  const workers = ['worker-1', 'worker-2', 'worker-3'].map((name) => shareConsumer(name));
  await waitFor(
    'three members, each assigned the one partition',
    () => assignedMembers(kafkaTool, group) === 3,
    {
      timeoutMs: 60_000,
      intervalMs: 500,
    },
  );
  say(kafkaTool('share-groups', '--describe', '--members', '--group', group).trim());
  // A few at a time, so that every waiting consumer's fetch is answered: one record each (max.poll.records=1).
  for (let sent = 0; sent < JOBS; sent += 3) {
    await send(...[1, 2, 3].map((n) => `job-${sent + n}`));
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  const received = () => workers.flatMap((worker) => worker.deliveries);
  await waitFor(`${JOBS} jobs received`, () => received().length >= JOBS, { timeoutMs: 30_000 });
  await Promise.all(workers.map((worker) => worker.stop()));
  say();
  table(
    workers.map((worker) => ({
      consumer: worker.name,
      records: worker.deliveries.length,
      offsets: summarize(worker.deliveries.map(({ offset }) => offset)),
    })),
  );
  const offsets = received().map(({ offset }) => offset);
  check(
    workers.every((worker) => worker.deliveries.length > 0),
    'every one of the three consumers got records',
  );
  check(
    new Set(offsets).size === JOBS && offsets.length === JOBS,
    `each of the ${JOBS} records went to exactly one consumer`,
  );
  check(
    received().every(({ delivery }) => delivery === 1),
    'each was delivered once (delivery count 1) and accepted',
  );

  step('A record RELEASED by one consumer comes back to the next, with delivery count 2');
  await send('release-me');
  const releaser = await shareConsumer('releaser', '--release', '--max-messages', '1').finished();
  const taker = await shareConsumer('taker', '--max-messages', '1').finished();
  show(releaser, 'released');
  show(taker, 'accepted');
  check(
    releaser.deliveries[0]?.value === 'release-me' && releaser.deliveries[0].delivery === 1,
    'the releaser got release-me, delivery 1',
  );
  check(
    taker.deliveries[0]?.value === 'release-me' && taker.deliveries[0].delivery === 2,
    'it came back to the taker with delivery count 2',
  );

  step(
    `A REJECTED record is never delivered again; a record released ${DELIVERY_LIMIT} times is given up (the limit)`,
  );
  await send('reject-me');
  const rejecter = await shareConsumer('rejecter', '--reject', '--max-messages', '1').finished();
  show(rejecter, 'rejected');
  await send('poison');
  const poisoned = await shareConsumer('releaser', '--release', '--timeout-ms', '4000').finished();
  show(poisoned, 'released');
  await send('job-last');
  const last = await shareConsumer('last', '--timeout-ms', '4000').finished();
  show(last, 'accepted');
  check(rejecter.deliveries[0]?.value === 'reject-me', 'the rejecter got reject-me');
  check(
    poisoned.deliveries.map(({ value, delivery }) => `${value}#${delivery}`).join(' ') ===
      Array.from({ length: DELIVERY_LIMIT }, (_, index) => `poison#${index + 1}`).join(' '),
    `poison was delivered exactly ${DELIVERY_LIMIT} times (delivery counts 1..${DELIVERY_LIMIT}), then no more`,
  );
  check(
    last.deliveries.map(({ value }) => value).join(' ') === 'job-last',
    'the last consumer got only job-last: reject-me and poison are archived, not redelivered',
  );

  step('ShareGroupCommand: the group has no offset per consumer, one start offset per partition');
  say(kafkaTool('share-groups', '--describe', '--offsets', '--group', group).trim());
  await removeGroup();
  check(!kafkaTool('share-groups', '--list').split('\n').includes(group), 'the share group is deleted');
  check(
    !kafkaTool('configs', '--describe', '--entity-type', 'groups', '--entity-name', group).includes('share.'),
    'and so are its configs',
  );
});

/**
 * Deleting a share group leaves its configs behind: they go separately, with Kafka's tools. Either step
 * fails when there is nothing to remove (the demo stopped before it got that far): that is fine.
 */
function removeShareGroup(kafkaTool, group) {
  const configs = 'share.auto.offset.reset,share.delivery.count.limit';
  for (const args of [
    ['share-groups', '--delete', '--group', group],
    ['configs', '--alter', '--entity-type', 'groups', '--entity-name', group, '--delete-config', configs],
  ]) {
    try {
      kafkaTool(...args);
    } catch {
      // nothing to remove: the demo stopped before it created the group or its configs
    }
  }
}

function assignedMembers(kafkaTool, group) {
  try {
    const lines = kafkaTool('share-groups', '--describe', '--members', '--group', group).split('\n');
    return lines.filter((line) => /\s1\s+\S+:0\s*$/.test(line)).length;
  } catch {
    return 0;
  }
}

function show({ name, deliveries }, outcome) {
  for (const { offset, delivery, value } of deliveries) {
    console.log(
      `    ${name.padEnd(9)} offset ${offset}  ${value.padEnd(10)} delivery ${delivery}  → ${outcome}`,
    );
  }
}

/** 0,1,2,5,6 → "0-2, 5-6" */
function summarize(numbers) {
  const sorted = [...numbers].sort((a, b) => a - b);
  const ranges = [];
  for (const number of sorted) {
    const last = ranges.at(-1);
    if (last && number === last[1] + 1) last[1] = number;
    else ranges.push([number, number]);
  }
  return ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(', ');
}

function check(holds, claim) {
  if (!holds) throw new Error(`expected: ${claim}`);
  console.log(`    ✓ ${claim}`);
}
