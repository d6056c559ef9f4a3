// Helpers shared by the service scripts: where state lives, progress lines, pid files, detached processes,
// stopping them, waiting for readiness and probing ports.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const stateDir = join(repoRoot, 'var/services');
export const logsDir = join(stateDir, 'logs');

/** An expected failure: the CLI prints its message, without a stack trace, and exits 1. */
export class ServiceError extends Error {}

/** Progress goes to stderr: stdout is kept for the KEY=value lines a shell can eval. */
export function say(service, message) {
  process.stderr.write(`${service}: ${message}\n`);
}

export function secondsSince(startedAt) {
  return `${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
}

/** The pid in `pidFile` if that process still runs `marker` (a main class, a program); else removes the stale file. */
export function runningPid(pidFile, marker) {
  if (!existsSync(pidFile)) return undefined;
  const pid = Number(readFileSync(pidFile, 'utf8'));
  if (isRunning(pid, marker)) return pid;
  rmSync(pidFile, { force: true });
  return undefined;
}

// Checking the command line, not just the pid, because after a reboot the pid may belong to another program.
function isRunning(pid, marker) {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return commandLineOf(pid).includes(marker);
}

function commandLineOf(pid) {
  const procFile = `/proc/${pid}/cmdline`;
  if (existsSync(procFile)) return readFileSync(procFile, 'utf8').replaceAll('\0', ' ');
  return spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).stdout ?? '';
}

/** Starts a program that outlives this script, with stdout and stderr appended to `logFile`. */
export function startDetached({ command, args, logFile, pidFile }) {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  return child;
}

/** SIGTERM, then up to `graceMs` for a clean exit, then SIGKILL. Resolves to a short account of what happened. */
export async function stopProcess({ pidFile, marker, graceMs = 30_000 }) {
  const pid = runningPid(pidFile, marker);
  if (pid === undefined) return undefined;
  const startedAt = Date.now();
  process.kill(pid, 'SIGTERM');
  while (isRunning(pid, marker) && Date.now() - startedAt < graceMs) await sleep(200);
  const killed = isRunning(pid, marker);
  if (killed) process.kill(pid, 'SIGKILL');
  rmSync(pidFile, { force: true });
  return `pid ${pid} ${killed ? `killed after ${graceMs / 1000} s` : `stopped in ${secondsSince(startedAt)}`}`;
}

/** Polls `isReady` every half second. Resolves to 'ready', 'exited' (a process died) or 'timeout'. */
export async function waitUntil(isReady, { timeoutMs, processes }) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (processes.some((child) => child.exitCode !== null || child.signalCode !== null)) return 'exited';
    if (await isReady()) return 'ready';
    await sleep(500);
  }
  return 'timeout';
}

export function isPortOpen(port, host = '127.0.0.1') {
  return new Promise((resolvePort) => {
    const socket = connect({ port, host, timeout: 1000 });
    const answer = (open) => {
      socket.destroy();
      resolvePort(open);
    };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

/** The last lines of a log file, for the error report when a service does not come up. */
export function lastLines(file, count = 30) {
  if (!existsSync(file)) return `(no log at ${file})`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
}
