// MariaDB (MySQL-compatible) from the system's packages, with its data in var/services/mysql, plus the
// `orders` database and user that the app and the tests log in with.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

export const mysqlPort = 3306;
const mysqlDir = join(stateDir, 'mysql');
const dataDir = join(mysqlDir, 'data');
const socket = join(mysqlDir, 'mysqld.sock');
const pidFile = join(mysqlDir, 'mysql.pid');
const logFile = join(logsDir, 'mysql.log');
const readyTimeoutMs = 60_000;
const isRoot = process.getuid?.() === 0;

export const databaseUrl = `mysql://orders:orders@localhost:${mysqlPort}/orders`;

// This is a local development server: tests create and drop throwaway databases, so `orders` may do anything.
const setupSql = `
  CREATE DATABASE IF NOT EXISTS orders;
  CREATE USER IF NOT EXISTS 'orders'@'%' IDENTIFIED BY 'orders';
  CREATE USER IF NOT EXISTS 'orders'@'localhost' IDENTIFIED BY 'orders';
  GRANT ALL PRIVILEGES ON *.* TO 'orders'@'%';
  GRANT ALL PRIVILEGES ON *.* TO 'orders'@'localhost';
`;

export function mysqlPid() {
  return runningPid(pidFile, 'mariadbd');
}

// --no-defaults comes first, always: the machine's /etc/mysql/my.cnf must not move our data dir or socket.
function client(args) {
  return spawnSync(requireExecutable('mariadb', 'mysql'), ['--no-defaults', ...args], { encoding: 'utf8' });
}

/** As the OS user, over our socket: mariadb-install-db lets the OS user who ran it in without a password. */
function asAdministrator(sql) {
  return client([`--socket=${socket}`, '--execute', sql]);
}

// The timeout matters when the port belongs to something that is not a database and never greets us.
function ordersCanLogIn() {
  const login = ['-h127.0.0.1', `-P${mysqlPort}`, '--connect-timeout=5', '-uorders', '-porders', 'orders'];
  return client([...login, '--execute', 'SELECT 1']).status === 0;
}

function installDatabaseOnce() {
  if (existsSync(join(dataDir, 'mysql'))) return;
  mkdirSync(dataDir, { recursive: true });
  const install = spawnSync(
    requireExecutable('mariadb-install-db', 'mysql'),
    [
      '--no-defaults',
      `--datadir=${dataDir}`,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      ...(isRoot ? ['--user=root'] : []),
    ],
    { encoding: 'utf8' },
  );
  if (install.status !== 0)
    throw new ServiceError(`mysql: mariadb-install-db failed:\n${install.stdout}${install.stderr}`);
  say('mysql', `created a data dir in ${dataDir}`);
}

export async function startMysql() {
  const pid = mysqlPid();
  if (pid !== undefined) {
    say('mysql', `already running (pid ${pid}) on localhost:${mysqlPort}`);
    return databaseUrl;
  }
  if (await isPortOpen(mysqlPort)) {
    if (!ordersCanLogIn()) {
      throw new ServiceError(
        `mysql: port ${mysqlPort} is in use by another program, which does not accept orders/orders`,
      );
    }
    say(
      'mysql',
      `localhost:${mysqlPort} already accepts orders/orders, served from outside these scripts: using it`,
    );
    return databaseUrl;
  }

  const mariadbd = requireExecutable('mariadbd', 'mysql');
  installDatabaseOnce();
  const startedAt = Date.now();
  const server = startDetached({
    command: mariadbd,
    args: [
      '--no-defaults',
      `--datadir=${dataDir}`,
      `--socket=${socket}`,
      `--port=${mysqlPort}`,
      '--bind-address=127.0.0.1',
      // mariadbd refuses to run as root unless told so explicitly; as anyone else it runs as that user.
      ...(isRoot ? ['--user=root'] : []),
    ],
    logFile,
    pidFile,
  });
  const outcome = await waitUntil(() => asAdministrator('SELECT 1').status === 0, {
    timeoutMs: readyTimeoutMs,
    processes: [server],
  });
  if (outcome !== 'ready') {
    process.stderr.write(`--- last lines of ${logFile}\n${lastLines(logFile)}\n`);
    await stopProcess({ pidFile, marker: 'mariadbd' });
    throw new ServiceError(
      `mysql: ${outcome === 'exited' ? 'mariadbd exited during start-up' : 'not ready in time'}`,
    );
  }
  const setup = asAdministrator(setupSql);
  if (setup.status !== 0 || !ordersCanLogIn()) {
    throw new ServiceError(`mysql: could not set up the orders database and user: ${setup.stderr}`);
  }
  say('mysql', `started pid ${server.pid}, ready in ${secondsSince(startedAt)}`);
  return databaseUrl;
}

/** Resolves to false when it was not running. */
export async function stopMysql() {
  const stopped = await stopProcess({ pidFile, marker: 'mariadbd' });
  if (stopped) say('mysql', stopped);
  return Boolean(stopped);
}
