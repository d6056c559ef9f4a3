import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

export const benchDir = 'var/bench';

/**
 * The built service (`node dist/main.js`, as `npm start` runs it) in a process of its own, on a port of
 * its own. Its log goes to var/bench/app-<name>.log rather than a pipe, so a slow reader can never hold
 * the service back; LOG_LEVEL=warn keeps the per-order lines out of the figures.
 */
export async function startApp(name, environment, { nodeArgs = [] } = {}) {
  mkdirSync(benchDir, { recursive: true });
  const port = 3700 + Math.floor(Math.random() * 200);
  const logFile = `${benchDir}/app-${name}.log`;
  const child = spawn(
    process.execPath,
    ['--enable-source-maps', '--disable-warning=TimeoutNegativeWarning', ...nodeArgs, 'dist/main.js'],
    {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        LOG_LEVEL: 'warn',
        LOG_FORMAT: 'json',
        SEED_DEMO_DATA: 'false',
        ...environment,
        PORT: String(port),
      },
      stdio: ['ignore', openSync(logFile, 'w'), openSync(logFile, 'a')],
    },
  );
  const exited = once(child, 'exit');
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the ${name} app exited at start-up: see ${logFile}`);
    if (Date.now() > deadline)
      throw new Error(`the ${name} app did not answer /health in 60 s: see ${logFile}`);
    const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
    if (health?.ok) break;
    await sleep(200);
  }
  return {
    baseUrl,
    pid: child.pid,
    logFile,
    health: async () => (await fetch(`${baseUrl}/health`)).json(),
    /** SIGTERM (a graceful stop: the service drains its events), SIGKILL after `graceMs`. */
    stop: async (graceMs = 40_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(killer);
    },
  };
}

/** The resident set size of a process, in MB (Linux: /proc; elsewhere: ps). */
export function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024;
    } catch {
      return Number.NaN; // the process is gone
    }
  }
}

/** Samples a process's RSS every 250 ms until `stop()`, which resolves the highest figure seen. */
export function watchRss(pid) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 250);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid));
  };
}
