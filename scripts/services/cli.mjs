// `npm run services:start`, `services:stop`, `services:status`: Kafka, MySQL, Redis and Zipkin (the trace
// viewer) for development and tests, without Docker. Progress goes to stderr; stdout carries only KEY=value lines, so a shell can eval them.
//
//   node scripts/services/cli.mjs start [kafka|mysql|redis|zipkin…] [--cluster]
//   node scripts/services/cli.mjs stop [kafka|mysql|redis|zipkin…] [--cluster]
//   node scripts/services/cli.mjs status
//
// No name means all four. --cluster means the three-node Kafka instead of the single node, for start and stop.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brokersOf, deploymentFor, kafkaDeployments, runningNodes, startKafka, stopKafka } from './kafka.mjs';
import { mysqlPid, mysqlPort, startMysql, stopMysql } from './mysql.mjs';
import { isPortOpen, say, ServiceError, stateDir } from './processes.mjs';
import { redisPid, redisPort, startRedis, stopRedis } from './redis.mjs';
import { startZipkin, stopZipkin, zipkinPid, zipkinPort } from './zipkin.mjs';

const envFile = join(stateDir, 'services.env');
const serviceNames = ['kafka', 'mysql', 'redis', 'zipkin'];
const usage =
  'usage: node scripts/services/cli.mjs start|stop [kafka|mysql|redis|zipkin…] [--cluster] | status';

async function start({ services, cluster }) {
  const settings = new Map();
  if (services.includes('kafka')) settings.set('KAFKA_BROKERS', await startKafka(deploymentFor({ cluster })));
  if (services.includes('mysql')) settings.set('DATABASE_URL', await startMysql());
  if (services.includes('redis')) settings.set('REDIS_URL', await startRedis());
  if (services.includes('zipkin')) settings.set('ZIPKIN_URL', await startZipkin());
  for (const [key, value] of settings) process.stdout.write(`${key}=${value}\n`);
  updateEnvFile((env) => settings.forEach((value, key) => env.set(key, value)));
}

async function stop({ services, cluster }) {
  if (services.includes('kafka')) {
    const deployment = deploymentFor({ cluster });
    if (await stopKafka(deployment)) {
      // If the other Kafka (single node or cluster) still runs, the file points at that one instead.
      const stillRunning = kafkaDeployments.find((other) => runningNodes(other).length > 0);
      updateEnvFile((env) => {
        if (env.get('KAFKA_BROKERS') !== brokersOf(deployment)) return;
        if (stillRunning) env.set('KAFKA_BROKERS', brokersOf(stillRunning));
        else env.delete('KAFKA_BROKERS');
      });
    } else {
      say(deployment.name, 'not running');
    }
    const threeNodes = deploymentFor({ cluster: true });
    if (!cluster && runningNodes(threeNodes).length > 0) {
      say(threeNodes.name, 'still running: stop it with `stop kafka --cluster`');
    }
  }
  if (services.includes('mysql')) {
    if (await stopMysql()) updateEnvFile((env) => env.delete('DATABASE_URL'));
    else say('mysql', 'not running');
  }
  if (services.includes('redis')) {
    if (await stopRedis()) updateEnvFile((env) => env.delete('REDIS_URL'));
    else say('redis', 'not running');
  }
  if (services.includes('zipkin')) {
    if (await stopZipkin()) updateEnvFile((env) => env.delete('ZIPKIN_URL'));
    else say('zipkin', 'not running');
  }
}

async function status() {
  const lines = [];
  for (const deployment of kafkaDeployments) {
    const running = runningNodes(deployment);
    const pids = running.map(({ node, pid }) => `node ${node.id} pid ${pid}`).join(', ');
    const state =
      running.length === 0
        ? await stoppedState(deployment.nodes[0].brokerPort)
        : `${running.length < deployment.nodes.length ? 'partly running' : 'running'}  ${pids}`;
    lines.push(`${deployment.name.padEnd(14)} ${state}  (${brokersOf(deployment)})`);
  }
  for (const [name, pid, port] of [
    ['mysql', mysqlPid(), mysqlPort],
    ['redis', redisPid(), redisPort],
    ['zipkin', zipkinPid(), zipkinPort],
  ]) {
    const state = pid === undefined ? await stoppedState(port) : `running  pid ${pid}`;
    lines.push(`${name.padEnd(14)} ${state}  (localhost:${port})`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function stoppedState(port) {
  return (await isPortOpen(port)) ? `not started here, but port ${port} answers` : 'stopped';
}

// services.env keeps one line per running service, for tools and shells that did not see the start output.
function updateEnvFile(change) {
  const lines = existsSync(envFile) ? readFileSync(envFile, 'utf8').split('\n').filter(Boolean) : [];
  const env = new Map(
    lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  change(env);
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(envFile, [...env].map(([key, value]) => `${key}=${value}\n`).join(''));
}

function parseArguments(argv) {
  const [command, ...rest] = argv;
  const cluster = rest.includes('--cluster');
  const names = rest.filter((argument) => argument !== '--cluster');
  const unknown = names.filter((name) => !serviceNames.includes(name));
  if (!['start', 'stop', 'status'].includes(command) || unknown.length > 0) throw new ServiceError(usage);
  return { command, services: names.length > 0 ? names : serviceNames, cluster };
}

try {
  const { command, ...options } = parseArguments(process.argv.slice(2));
  await { start, stop, status }[command](options);
} catch (error) {
  process.stderr.write(`${error instanceof ServiceError ? error.message : error.stack}\n`);
  process.exitCode = 1;
}
