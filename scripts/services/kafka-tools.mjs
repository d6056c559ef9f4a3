// `npm run kafka -- <tool> [args…]`: Kafka's own CLI tools, run from the jars that services:start caches, so
// neither Docker nor a Kafka download is needed. Adds --bootstrap-server $KAFKA_BROKERS when it is missing.
//
//   npm run kafka -- topics --describe --topic orders
//   echo hello | npm run kafka -- console-producer --topic demo
import { spawn } from 'node:child_process';
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
};

const help = [
  'usage: npm run kafka -- <tool> [args…]     (each tool takes --help)',
  `tools: ${Object.keys(tools).join(', ')}`,
  'Without --bootstrap-server, the tools talk to $KAFKA_BROKERS (default localhost:9092).',
].join('\n');

// Put first: metadata-quorum only accepts it before its sub-command (`describe`).
function withBootstrapServer(args) {
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
  try {
    ensureKafkaJars('kafka');
    const javaArgs = javaArguments({
      mainClass: tools[tool],
      args: withBootstrapServer(args),
      heap: '256m',
      log4jConfig: log4jConfigs.tools,
    });
    const child = spawn('java', javaArgs, { stdio: 'inherit' });
    // Ctrl-C reaches java too: stay alive until it has finished, then pass its exit code on.
    process.on('SIGINT', () => {});
    child.on('exit', (code, signal) => {
      process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
    });
  } catch (error) {
    process.stderr.write(`${error instanceof ServiceError ? error.message : error.stack}\n`);
    process.exitCode = 1;
  }
}
