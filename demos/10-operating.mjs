// Chapter 10: operating Kafka with its own CLI tools. Runs the chapter's cheat sheet on a scratch topic and
// group, printing each command as you would type it and what it printed, and checks the answers.
import { randomBytes } from 'node:crypto';
import { committedOffsets } from '../scripts/support/kafka-offsets.mjs';
import { kafkaTool } from '../scripts/support/kafka-tool.mjs';
import { demo } from './support/demo.mjs';

const oneHourMs = 3_600_000;
// Two keys that the default partitioner (murmur2 of the key, modulo 3) sends to different partitions.
const records = [
  { key: 'order-1', value: 'created' },
  { key: 'order-2', value: 'created' },
  { key: 'order-1', value: 'completed' },
];

await demo(
  { chapter: '10', title: 'Operating Kafka' },
  async ({ admin, brokers, scratchGroup, step, say }) => {
    // Created with the CLI, as the chapter teaches, so it is not a scratchTopic: removed in the finally below.
    const topic = `demo.ops.${randomBytes(3).toString('hex')}`;
    const group = scratchGroup('ops');
    const kafka = (args, input) => runTool({ brokers, say }, args, input);
    try {
      step('Create a topic, then describe it');
      const created = kafka([
        'topics',
        '--create',
        '--topic',
        topic,
        '--partitions',
        '3',
        '--replication-factor',
        '1',
      ]);
      expect(created.includes(`Created topic ${topic}`), 'the topic was not created');
      const described = kafka(['topics', '--describe', '--topic', topic]);
      expect(described.includes('PartitionCount: 3'), 'the topic does not have 3 partitions');

      step('Produce 3 keyed records (key:value on stdin)');
      const lines = records.map(({ key, value }) => `${key}:${value}`).join('\n');
      say(`(stdin: ${records.map(({ key, value }) => `${key}:${value}`).join(' | ')})`);
      kafka(
        [
          'console-producer',
          '--topic',
          topic,
          '--reader-property',
          'parse.key=true',
          '--reader-property',
          'key.separator=:',
        ],
        `${lines}\n`,
      );

      step('Consume them from the beginning in a group, with key, partition and offset');
      const consumed = kafka([
        'console-consumer',
        '--topic',
        topic,
        '--group',
        group,
        '--from-beginning',
        '--max-messages',
        '3',
        '--timeout-ms',
        '20000',
        '--formatter-property',
        'print.key=true',
        '--formatter-property',
        'print.partition=true',
        '--formatter-property',
        'print.offset=true',
      ]);
      checkSameKeySamePartition(parseConsumed(consumed));

      step('The group: committed offsets and lag');
      const lagBefore = parseGroup(kafka(['consumer-groups', '--describe', '--group', group]));
      expect(
        sum(lagBefore, 'CURRENT-OFFSET') === 3 && sum(lagBefore, 'LAG') === 0,
        'expected 3 committed, lag 0',
      );

      step('Rewind the group to the earliest offsets: --dry-run, then --execute');
      const reset = [
        'consumer-groups',
        '--reset-offsets',
        '--group',
        group,
        '--topic',
        topic,
        '--to-earliest',
      ];
      const planned = parseGroup(kafka([...reset, '--dry-run']));
      expect(
        planned.every((row) => row['NEW-OFFSET'] === '0'),
        'the dry run does not plan offset 0',
      );
      const untouched = Object.values(await committedOffsets(admin, group, topic));
      expect(untouched.reduce((a, b) => a + b) === 3, 'a dry run changed the committed offsets');
      kafka([...reset, '--execute']);
      const rewound = Object.values(await committedOffsets(admin, group, topic));
      expect(
        rewound.every((offset) => offset === 0),
        '--execute did not rewind the group to 0',
      );
      const lagAfter = parseGroup(kafka(['consumer-groups', '--describe', '--group', group]));
      expect(sum(lagAfter, 'LAG') === 3, 'after the rewind the group should lag 3 records');

      step('The end offset of each partition');
      const offsets = kafka(['get-offsets', '--topic', topic]);
      expect(sumEndOffsets(offsets) === 3, 'the end offsets do not add up to 3 records');

      step('Keep records for one hour on this topic, then read the topic’s configuration');
      const entity = ['--entity-type', 'topics', '--entity-name', topic];
      kafka(['configs', '--alter', ...entity, '--add-config', `retention.ms=${oneHourMs}`]);
      const configs = kafka(['configs', '--describe', ...entity]);
      expect(configs.includes(`retention.ms=${oneHourMs}`), `retention.ms=${oneHourMs} is not set`);
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    }
  },
);

/** Runs `npm run kafka -- <args>`, printing the command, then its output indented, then how long it took. */
function runTool({ brokers, say }, args, input) {
  say(commandLine(args));
  const startedAt = Date.now();
  const output = kafkaTool(args, { brokers, input });
  const lines = output.trimEnd().split('\n');
  for (const line of lines.filter((each) => each.trim() !== ''))
    say(`  ${line.replaceAll('\t', '  ').trimEnd()}`);
  say(`  (${((Date.now() - startedAt) / 1000).toFixed(1)} s)`);
  return output;
}

/** The command as you would type it, wrapped with `\\` between options, the way a shell accepts it. */
function commandLine(args, width = 100) {
  const lines = ['$ npm run kafka --'];
  for (const option of optionsOf(args)) {
    const last = lines.length - 1;
    if (`${lines[last]} ${option}`.length > width) lines.push(`    ${option}`);
    else lines[last] += ` ${option}`;
  }
  return lines.join(' \\\n');
}

/** ['topics', '--topic', 't', '--execute'] → ['topics', '--topic t', '--execute']: an option stays with its value. */
function optionsOf(args) {
  return args.reduce((options, arg) => {
    const previous = options.at(-1);
    const isValue = !arg.startsWith('--') && previous?.startsWith('--') && !previous.includes(' ');
    return isValue ? [...options.slice(0, -1), `${previous} ${arg}`] : [...options, arg];
  }, []);
}

// Lines like "Partition:1	Offset:0	alice	first order" (partition, offset, key, value), then a count.
function parseConsumed(output) {
  return output
    .split('\n')
    .map((line) => line.match(/^Partition:(\d+)\s+Offset:(\d+)\s+(\S+)\s+(.*)$/))
    .filter(Boolean)
    .map(([, partition, offset, key, value]) => ({
      partition: Number(partition),
      offset: Number(offset),
      key,
      value,
    }));
}

function checkSameKeySamePartition(consumed) {
  expect(consumed.length === 3, `expected 3 records, read ${consumed.length}`);
  const order1 = consumed.filter(({ key }) => key === 'order-1');
  expect(new Set(order1.map(({ partition }) => partition)).size === 1, 'order-1 landed in two partitions');
  expect(order1.map(({ value }) => value).join() === 'created,completed', 'order-1 came back out of order');
}

/** consumer-groups prints a header row, then one row per partition; columns are separated by spaces. */
function parseGroup(output) {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const headerIndex = lines.findIndex((line) => line.startsWith('GROUP'));
  if (headerIndex < 0) throw new Error(`no table in:\n${output}`);
  const columns = lines[headerIndex].trim().split(/\s+/);
  return lines
    .slice(headerIndex + 1)
    .map((line) => line.trim().split(/\s+/))
    .map((cells) => Object.fromEntries(columns.map((column, index) => [column, cells[index]])));
}

function sum(rows, column) {
  return rows.reduce((total, row) => total + Number(row[column]), 0);
}

// Lines like "demo.ops.ab12cd:0:1": topic, partition, end offset.
function sumEndOffsets(output) {
  return output
    .trim()
    .split('\n')
    .reduce((total, line) => total + Number(line.split(':').at(-1)), 0);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}
