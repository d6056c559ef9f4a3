// `npm run kafka -- <tool> [args…]`: Kafka's own CLI tools, run from the jars that services:start caches, so
// neither Docker nor a Kafka download is needed. Adds --bootstrap-server $KAFKA_BROKERS when it is missing.
// Without Java, but with the project's docker compose services up, the same tool runs inside the broker's
// container instead, so the docs' commands work for both setups.
//
//   npm run kafka -- topics --describe --topic orders
//   echo hello | npm run kafka -- console-producer --topic demo
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureKafkaJars, javaArguments, log4jConfigs } from './kafka-jars.mjs';
import { ServiceError } from './processes.mjs';

const tools = {
  topics: 'org.apache.kafka.tools.TopicCommand',
  'console-producer': 'org.apache.kafka.tools.ConsoleProducer',
  'console-consumer': 'org.apache.kafka.tools.consumer.ConsoleConsumer',
  'consumer-groups': 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
  'producer-perf-test': 'org.apache.kafka.tools.ProducerPerformance',
  'consumer-perf-test': 'org.apache.kafka.tools.ConsumerPerformance',
  'get-offsets': 'org.apache.kafka.tools.GetOffsetShell',
  configs: 'kafka.admin.ConfigCommand',
  'metadata-quorum': 'org.apache.kafka.tools.MetadataQuorumCommand',
  features: 'org.apache.kafka.tools.FeatureCommand',
  'share-groups': 'org.apache.kafka.tools.consumer.group.ShareGroupCommand',
  'console-share-consumer': 'org.apache.kafka.tools.consumer.ConsoleShareConsumer',
  'share-consumer-perf-test': 'org.apache.kafka.tools.ShareConsumerPerformance',
  transactions: 'org.apache.kafka.tools.TransactionsCommand',
  'dump-log': 'org.apache.kafka.tools.DumpLogSegments',
};

// Tools that read the broker's files instead of talking to it: no --bootstrap-server for them.
const fileTools = new Set(['dump-log']);

// Inside the compose network a broker is reached on its INTERNAL listener: the host's localhost:29093 means
// nothing inside kafka-1's container, kafka-2:19092 does. The images ship the tools as bin/kafka-<tool>.sh.
const composeServiceOfPort = { 9092: 'kafka', 29092: 'kafka-1', 29093: 'kafka-2', 29094: 'kafka-3' };

const help = [
  'usage: npm run kafka -- <tool> [args…]     (each tool takes --help)',
  `tools: ${Object.keys(tools).join(', ')}`,
  'Without --bootstrap-server, the tools talk to $KAFKA_BROKERS (default localhost:9092).',
].join('\n');

// Put first: metadata-quorum only accepts it before its sub-command (`describe`).
function withBootstrapServer(tool, args) {
  if (fileTools.has(tool)) return args;
  const chosen = args.some((arg) => /^--bootstrap-(server|controller)|bootstrap\.servers=/.test(arg));
  return chosen ? args : ['--bootstrap-server', process.env.KAFKA_BROKERS ?? 'localhost:9092', ...args];
}

const [tool, ...args] = process.argv.slice(2);
if (tool === undefined || tool === '--help' || tool === '-h') {
  process.stdout.write(`${help}\n`);
} else if (!(tool in tools)) {
  process.stderr.write(`unknown tool: ${tool}\n${help}\n`);
  process.exitCode = 1;
} else {
  const command =
    hasJava() && filesAreHere(tool, args)
      ? fromJars(tool, withBootstrapServer(tool, args))
      : insideComposeContainer(tool, args);
  if (command) {
    const child = spawn(command.program, command.args, { stdio: 'inherit' });
    // Ctrl-C reaches the tool too: stay alive until it has finished, then pass its exit code on.
    process.on('SIGINT', () => {});
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
    });
  }
}

// docker compose's broker keeps its segment files inside its container: dump-log must run there to read them.
function filesAreHere(tool, args) {
  if (!fileTools.has(tool)) return true;
  const files = args.flatMap((arg, index) => (args[index - 1] === '--files' ? arg.split(',') : []));
  return files.every((file) => existsSync(file));
}

function hasJava() {
  return spawnSync('java', ['-version'], { stdio: 'ignore' }).status === 0;
}

function fromJars(tool, args) {
  try {
    ensureKafkaJars('kafka');
    const javaArgs = javaArguments({
      mainClass: tools[tool],
      args,
      heap: '256m',
      log4jConfig: log4jConfigs.tools,
    });
    return { program: 'java', args: javaArgs };
  } catch (error) {
    process.stderr.write(`${error instanceof ServiceError ? error.message : error.stack}\n`);
    process.exitCode = 1;
    return undefined;
  }
}

function insideComposeContainer(tool, args) {
  const brokers = process.env.KAFKA_BROKERS ?? 'localhost:9092';
  const wanted = [...brokers.matchAll(/:(\d+)/g)]
    .map(([, port]) => composeServiceOfPort[port])
    .filter(Boolean);
  const running = spawnSync('docker', ['compose', 'ps', '--services', '--status', 'running'], {
    encoding: 'utf8',
  });
  // Any running broker of the set will do: chapter 02's demo stops one on purpose.
  const service =
    running.status === 0 ? wanted.find((name) => running.stdout.split('\n').includes(name)) : undefined;
  if (service === undefined) {
    process.stderr.write(
      'kafka: the tools need Java 17 or newer (for the jars of npm run services:start), ' +
        "or the project's docker compose services running (docker compose up -d)\n",
    );
    process.exitCode = 1;
    return undefined;
  }
  const internal = (text) =>
    text.replaceAll(/localhost:(\d+)/g, (address, port) =>
      composeServiceOfPort[port] ? `${composeServiceOfPort[port]}:19092` : address,
    );
  const toolArgs = args.map(internal);
  const withServer =
    fileTools.has(tool) ||
    toolArgs.some((arg) => /^--bootstrap-(server|controller)|bootstrap\.servers=/.test(arg))
      ? toolArgs
      : ['--bootstrap-server', internal(brokers), ...toolArgs];
  return {
    program: 'docker',
    args: ['compose', 'exec', '-T', service, `/opt/kafka/bin/kafka-${tool}.sh`, ...withServer],
  };
}
