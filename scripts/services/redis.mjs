// Redis from the system's packages (Debian's redis-server), on loopback, with its data in var/services/redis.
import { mkdirSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
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
import { requireExecutable } from './prerequisites.mjs';

export const redisPort = 6379;
const redisDir = join(stateDir, 'redis');
const pidFile = join(redisDir, 'redis.pid');
const logFile = join(logsDir, 'redis.log');
const readyTimeoutMs = 30_000;

export const redisUrl = `redis://localhost:${redisPort}`;

export function redisPid() {
  return runningPid(pidFile, 'redis-server');
}

/** True when something on `port` answers Redis's PING with PONG. */
export function answersPing(port = redisPort) {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', timeout: 1_000 });
    const answer = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => answer(data.toString().startsWith('+PONG')));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

export async function startRedis() {
  const pid = redisPid();
  if (pid !== undefined) {
    say('redis', `already running (pid ${pid}) on localhost:${redisPort}`);
    return redisUrl;
  }
  if (await isPortOpen(redisPort)) {
    if (!(await answersPing())) {
      throw new ServiceError(`redis: port ${redisPort} is in use by another program, which is not a Redis`);
    }
    say('redis', `localhost:${redisPort} already answers PING, served from outside these scripts: using it`);
    return redisUrl;
  }

  const redisServer = requireExecutable('redis-server', 'redis');
  // Where installing the package also started its system service (a machine with systemd), that one is here.
  if (await answersPing()) {
    say('redis', `the system's redis-server service answers on localhost:${redisPort}: using it`);
    return redisUrl;
  }
  mkdirSync(redisDir, { recursive: true });
  const startedAt = Date.now();
  const server = startDetached({
    command: redisServer,
    args: [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      redisDir,
      // An append-only file, written to disk once a second: a restarted Redis still has its waiting line,
      // as a production one would. No snapshots besides: one way to persist is enough to teach.
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--save',
      '',
      // The machine's /etc/redis/redis.conf is not read: it would daemonize and move the data dir.
      '--daemonize',
      'no',
    ],
    logFile,
    pidFile,
  });
  const outcome = await waitUntil(() => answersPing(), { timeoutMs: readyTimeoutMs, processes: [server] });
  if (outcome !== 'ready') {
    process.stderr.write(`--- last lines of ${logFile}\n${lastLines(logFile)}\n`);
    await stopProcess({ pidFile, marker: 'redis-server' });
    throw new ServiceError(
      `redis: ${outcome === 'exited' ? 'redis-server exited during start-up' : 'not ready in time'}`,
    );
  }
  say('redis', `started pid ${server.pid}, ready in ${secondsSince(startedAt)}`);
  return redisUrl;
}

/** Resolves to false when it was not running. */
export async function stopRedis() {
  const stopped = await stopProcess({ pidFile, marker: 'redis-server' });
  if (stopped) say('redis', stopped);
  return Boolean(stopped);
}
