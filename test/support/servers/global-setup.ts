import { connect } from 'node:net';
import { servicesEnv, withoutPassword } from '../../../scripts/support/services-env.mjs';

type ScratchNames = typeof import('./scratch-names.js');

// Finds a Kafka broker, a MySQL server and a Redis for the `servers` test project, in this order:
//   1. KAFKA_BROKERS, DATABASE_URL and REDIS_URL from the environment;
//   2. the ones `npm run services:start` runs (it writes var/services/services.env);
//   3. containers, when a Docker engine answers (testcontainers);
//   4. none: the tests are skipped with one line saying how to run them, and under CI=true that is an error.
// Environment variables set here reach the test files.
// Self-contained on purpose: Jest loads global setup without the project's moduleNameMapper, so it
// cannot import the sources' `./x.js` paths; the tooling's plain .mjs files it can import.

// Named by a variable: Jest loads global setup without the moduleNameMapper that turns './x.js' into './x.ts'.
const scratchNamesModule: string = './scratch-names.ts';

const HOW_TO_RUN = 'start them with `npm run services:start` (no Docker needed), or run a Docker engine';

export interface StartedServers {
  readonly kafkaBrokers: string;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly source: string;
  readonly stop?: () => Promise<void>;
}

declare global {
  var startedServers: StartedServers | undefined;
}

export default async function globalSetup(): Promise<void> {
  const servers = fromEnvironment() ?? (await fromServicesScripts()) ?? (await fromContainers());
  if (servers === undefined) {
    if (process.env['CI'] === 'true') {
      throw new Error(`CI=true but no Kafka broker, MySQL server and Redis were found: ${HOW_TO_RUN}.`);
    }
    process.env['REAL_SERVERS_SKIPPED'] = 'true';
    console.log(`\nKafka/MySQL/Redis tests skipped: no servers found. To run them, ${HOW_TO_RUN}.`);
    return;
  }
  process.env['KAFKA_BROKERS'] = servers.kafkaBrokers;
  ((await import(scratchNamesModule)) as ScratchNames).startScratchNameList();
  process.env['DATABASE_URL'] = servers.databaseUrl;
  process.env['REDIS_URL'] = servers.redisUrl;
  globalThis.startedServers = servers;
  console.log(
    `\nKafka/MySQL/Redis tests use ${servers.source}: ${servers.kafkaBrokers}, ` +
      `${withoutPassword(servers.databaseUrl)}, ${withoutPassword(servers.redisUrl)}`,
  );
}

function fromEnvironment(): StartedServers | undefined {
  const { KAFKA_BROKERS: kafkaBrokers, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl } = process.env;
  if (!kafkaBrokers || !databaseUrl || !redisUrl) return undefined;
  return {
    kafkaBrokers,
    databaseUrl,
    redisUrl,
    source: 'KAFKA_BROKERS, DATABASE_URL and REDIS_URL from the environment',
  };
}

async function fromServicesScripts(): Promise<StartedServers | undefined> {
  const variables = servicesEnv();
  const kafkaBrokers = variables['KAFKA_BROKERS'];
  const databaseUrl = variables['DATABASE_URL'];
  const redisUrl = variables['REDIS_URL'];
  if (!kafkaBrokers || !databaseUrl || !redisUrl) return undefined;
  const reachable = await Promise.all([
    ...kafkaBrokers.split(',').map((broker) => portAnswers(broker)),
    portAnswers(new URL(databaseUrl).host),
    portAnswers(new URL(redisUrl).host),
  ]);
  if (!reachable.every(Boolean)) return undefined; // a file left from services that have since stopped
  return { kafkaBrokers, databaseUrl, redisUrl, source: 'the servers of npm run services:start' };
}

async function fromContainers(): Promise<StartedServers | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  const runtime = await Promise.race([
    getContainerRuntimeClient().then(
      () => true,
      () => false,
    ),
    new Promise<false>((resolve) => setTimeout(() => resolve(false), 3_000).unref()),
  ]);
  if (!runtime) return undefined;

  const { KafkaContainer } = await import('@testcontainers/kafka');
  const { MySqlContainer } = await import('@testcontainers/mysql');
  const { RedisContainer } = await import('@testcontainers/redis');
  const [kafka, mysql, redis] = await Promise.all([
    new KafkaContainer('confluentinc/cp-kafka:8.1.0')
      .withKraft()
      .withEnvironment({ KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false' })
      .start(),
    new MySqlContainer('mysql:8.4').withDatabase('orders').withRootPassword('orders').start(),
    new RedisContainer('redis:7.4.2').start(),
  ]);
  return {
    kafkaBrokers: `${kafka.getHost()}:${kafka.getMappedPort(9093)}`,
    databaseUrl: `mysql://root:orders@${mysql.getHost()}:${mysql.getPort()}/orders`,
    redisUrl: redis.getConnectionUrl(),
    source: 'containers started by testcontainers',
    stop: async () => {
      await Promise.all([kafka.stop(), mysql.stop(), redis.stop()]);
    },
  };
}

function portAnswers(hostAndPort: string): Promise<boolean> {
  const [host = 'localhost', port = '0'] = hostAndPort.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port), timeout: 1_000 });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
    socket.once('error', () => resolve(false));
  });
}
