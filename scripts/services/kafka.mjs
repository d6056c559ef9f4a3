// Apache Kafka in KRaft mode (no ZooKeeper) from the cached jars: by default one node that is both broker and
// controller; with --cluster three such nodes, for the replication chapter and the failover tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import kafkajs from 'kafkajs';
import '../support/silence-kafkajs-timeout-warning.mjs';
import { ensureKafkaJars, javaArguments, kafkaVersion, log4jConfigs } from './kafka-jars.mjs';
import {
  isPortOpen,
  lastLines,
  logsDir,
  runningPid,
  say,
  secondsSince,
  ServiceError,
  startDetached,
  stateDir,
  stopProcess,
  waitUntil,
} from './processes.mjs';

const { Kafka, logLevel } = kafkajs;

const brokerMainClass = 'kafka.Kafka';
const readyTimeoutMs = 90_000;

// A second door into the single broker, for the benchmark's latency proxy (scripts/support/latency-proxy.mjs).
// Clients that bootstrap through the proxy must stay on it, so this listener advertises the proxy's
// address, not its own: every later connection a client opens goes through the proxy too.
export const benchProxyListener = { port: 9094, advertisedPort: 9095 };

const singleNode = {
  name: 'kafka',
  dir: join(stateDir, 'kafka'),
  heap: '512m',
  replicationFactor: 1,
  minInsyncReplicas: 1,
  nodes: [{ id: 1, brokerPort: 9092, controllerPort: 9093, proxied: benchProxyListener }],
};

// The same host ports as the project's docker-compose cluster, so tests and docs need one set of addresses.
const threeNodes = {
  name: 'kafka-cluster',
  dir: join(stateDir, 'kafka-cluster'),
  heap: '384m',
  replicationFactor: 3,
  minInsyncReplicas: 2,
  nodes: [1, 2, 3].map((id) => ({ id, brokerPort: 29091 + id, controllerPort: 29191 + id })),
};

export const kafkaDeployments = [singleNode, threeNodes];

export function deploymentFor({ cluster }) {
  return cluster ? threeNodes : singleNode;
}

export function brokersOf(deployment) {
  return deployment.nodes.map((node) => `localhost:${node.brokerPort}`).join(',');
}

function filesOf(deployment, node) {
  const nodeDir = join(deployment.dir, `node-${node.id}`);
  return {
    properties: join(nodeDir, 'server.properties'),
    dataDir: join(nodeDir, 'data'),
    pidFile: join(nodeDir, 'kafka.pid'),
    logFile: join(logsDir, `${deployment.name}-node-${node.id}.log`),
  };
}

export function runningNodes(deployment) {
  return deployment.nodes
    .map((node) => ({ node, pid: runningPid(filesOf(deployment, node).pidFile, brokerMainClass) }))
    .filter(({ pid }) => pid !== undefined);
}

function serverProperties(deployment, node) {
  const controllers = deployment.nodes.map((each) => `localhost:${each.controllerPort}`).join(',');
  const listeners = [
    `PLAINTEXT://localhost:${node.brokerPort}`,
    `CONTROLLER://localhost:${node.controllerPort}`,
  ];
  const advertised = [...listeners];
  if (node.proxied) {
    listeners.push(`PROXIED://localhost:${node.proxied.port}`);
    advertised.push(`PROXIED://localhost:${node.proxied.advertisedPort}`);
  }
  return [
    'process.roles=broker,controller',
    `node.id=${node.id}`,
    `listeners=${listeners.join(',')}`,
    `advertised.listeners=${advertised.join(',')}`,
    'controller.listener.names=CONTROLLER',
    'inter.broker.listener.name=PLAINTEXT',
    'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,PROXIED:PLAINTEXT',
    `controller.quorum.bootstrap.servers=${controllers}`,
    `log.dirs=${filesOf(deployment, node).dataDir}`,
    `default.replication.factor=${deployment.replicationFactor}`,
    `min.insync.replicas=${deployment.minInsyncReplicas}`,
    // Kafka's internal topics default to 3 replicas: a single node could never create them.
    `offsets.topic.replication.factor=${deployment.replicationFactor}`,
    `transaction.state.log.replication.factor=${deployment.replicationFactor}`,
    `transaction.state.log.min.isr=${deployment.minInsyncReplicas}`,
    `share.coordinator.state.topic.replication.factor=${deployment.replicationFactor}`,
    `share.coordinator.state.topic.min.isr=${deployment.minInsyncReplicas}`,
    // A new consumer group starts at once instead of waiting 3 s for more members: snappier tests.
    'group.initial.rebalance.delay.ms=0',
    // The app declares its topics with the admin client, so a misspelt topic name fails loudly.
    'auto.create.topics.enable=false',
    '',
  ].join('\n');
}

function storageTool(args) {
  const result = spawnSync(
    'java',
    javaArguments({
      mainClass: 'kafka.tools.StorageTool',
      args,
      heap: '256m',
      log4jConfig: log4jConfigs.tools,
    }),
    { encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new ServiceError(`kafka: StorageTool ${args[0]} failed:\n${result.stdout}${result.stderr}`);
  }
  return result.stdout.trim();
}

// Formatting writes the cluster id into each data dir, once; after that, restarts keep topics and offsets.
function formatStorageOnce(deployment) {
  const nodeFiles = deployment.nodes.map((node) => filesOf(deployment, node));
  if (nodeFiles.every((files) => existsSync(join(files.dataDir, 'meta.properties')))) return;
  for (const files of nodeFiles) rmSync(files.dataDir, { recursive: true, force: true });
  const clusterId = storageTool(['random-uuid']);
  const quorum =
    deployment.nodes.length === 1
      ? ['--standalone']
      : [
          '--initial-controllers',
          deployment.nodes
            .map((node) => `${node.id}@localhost:${node.controllerPort}:${storageTool(['random-uuid'])}`)
            .join(','),
        ];
  for (const files of nodeFiles) storageTool(['format', '-t', clusterId, '-c', files.properties, ...quorum]);
  say(deployment.name, `formatted storage (cluster id ${clusterId})`);
}

/** True when every node answers a metadata request and sees all its peers. */
async function answersOnEveryNode(deployment) {
  const answers = await Promise.all(
    deployment.nodes.map(async (node) => {
      const admin = new Kafka({
        clientId: 'services-readiness-check',
        brokers: [`localhost:${node.brokerPort}`],
        logLevel: logLevel.NOTHING,
        connectionTimeout: 1000,
        requestTimeout: 2000,
        retry: { retries: 0 },
      }).admin();
      try {
        await admin.connect();
        const { brokers } = await admin.describeCluster();
        return brokers.length === deployment.nodes.length;
      } catch {
        return false;
      } finally {
        await admin.disconnect();
      }
    }),
  );
  return answers.every(Boolean);
}

/** Starts whichever nodes of the deployment are not running. Resolves to the bootstrap servers. */
export async function startKafka(deployment) {
  const brokers = brokersOf(deployment);
  const running = runningNodes(deployment);
  if (running.length === deployment.nodes.length) {
    say(deployment.name, `already running (pid ${running.map(({ pid }) => pid).join(', ')}) on ${brokers}`);
    return brokers;
  }
  const stopped = deployment.nodes.filter((node) => !running.some((each) => each.node === node));
  const busyPorts = await openPorts(stopped.flatMap((node) => [node.brokerPort, node.controllerPort]));
  if (busyPorts.length > 0) {
    if (running.length === 0 && (await answersOnEveryNode(deployment))) {
      say(
        deployment.name,
        `${brokers} already answers, served from outside these scripts (docker compose?): using it`,
      );
      return brokers;
    }
    throw new ServiceError(
      `${deployment.name}: port ${busyPorts.join(', ')} is in use by another program, not this project's Kafka`,
    );
  }

  const jarCount = ensureKafkaJars(deployment.name);
  say(deployment.name, `jars cached (${kafkaVersion}, ${jarCount} files)`);
  for (const node of deployment.nodes) {
    const { properties } = filesOf(deployment, node);
    mkdirSync(dirname(properties), { recursive: true });
    writeFileSync(properties, serverProperties(deployment, node));
  }
  formatStorageOnce(deployment);

  const startedAt = Date.now();
  const started = stopped.map((node) => startNode(deployment, node));
  const pids = started.map(({ child }) => child.pid).join(', ');
  const outcome = await waitUntil(() => answersOnEveryNode(deployment), {
    timeoutMs: readyTimeoutMs,
    processes: started.map(({ child }) => child),
  });
  if (outcome === 'ready') {
    say(deployment.name, `started pid ${pids}, ready in ${secondsSince(startedAt)}`);
    return brokers;
  }
  for (const { files } of started) {
    process.stderr.write(`--- last lines of ${files.logFile}\n${lastLines(files.logFile)}\n`);
  }
  await Promise.all(
    started.map(({ files }) => stopProcess({ pidFile: files.pidFile, marker: brokerMainClass })),
  );
  const reason =
    outcome === 'exited' ? 'a node exited during start-up' : `not ready after ${readyTimeoutMs / 1000} s`;
  throw new ServiceError(`${deployment.name}: ${reason} (logs above)`);
}

function startNode(deployment, node) {
  const files = filesOf(deployment, node);
  const args = javaArguments({
    mainClass: brokerMainClass,
    args: [files.properties],
    heap: deployment.heap,
    log4jConfig: log4jConfigs.broker,
  });
  const child = startDetached({ command: 'java', args, logFile: files.logFile, pidFile: files.pidFile });
  return { files, child };
}

async function openPorts(ports) {
  const open = await Promise.all(ports.map((port) => isPortOpen(port)));
  return ports.filter((_, index) => open[index]);
}

/** Stops every running node of the deployment at once. Resolves to false when none was running. */
export async function stopKafka(deployment) {
  const stops = await Promise.all(
    deployment.nodes.map((node) =>
      stopProcess({ pidFile: filesOf(deployment, node).pidFile, marker: brokerMainClass }),
    ),
  );
  const stopped = stops.filter(Boolean);
  if (stopped.length > 0) say(deployment.name, stopped.join('; '));
  return stopped.length > 0;
}
