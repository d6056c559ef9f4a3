// The one way the tooling starts the order service: built from src/ (`npm run build`), run as `npm start`
// runs it (`node dist/main.js`) in a process of its own, on a port the OS picks. Demos, benchmark, smoke
// tests, workshop checkers and the real-server tests (the ones that SIGKILL it) all start it from here,
// and add only what differs: their database, their environment, where the log goes.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { waitFor, WaitTimedOut } from './wait-for.mjs';

const repoRoot = join(import.meta.dirname, '../..');

// Apps still running when this process exits (a demo that threw, a failed test) are killed with it:
// left behind, they would stay in the app's consumer groups and take partitions from the next run.
const runningApps = new Set();
process.once('exit', () => {
  for (const child of runningApps) child.kill('SIGKILL');
});

/**
 * The flags of `npm start`: stack traces that point at src/, no warning about kafkajs's timer, a young
 * generation of 16 MiB semi-spaces (docs/benchmarks.md: V8 sizes it by the machine's memory, 64 MiB on a
 * large one, and under load the app's RSS was mostly that), and the tracing module loaded before the app
 * (it starts OpenTelemetry only when OTEL_TRACES_EXPORTER is set).
 */
export const APP_NODE_FLAGS = [
  '--enable-source-maps',
  '--disable-warning=TimeoutNegativeWarning',
  '--max-semi-space-size=16',
  '--import',
  './dist/infrastructure/observability/tracing/start.js',
];

/** `npm run build` (tsc). Throws with the compiler's messages when the code does not compile. */
export function buildApp() {
  try {
    execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  } catch (error) {
    throw new Error(`the app does not compile (npm run build):\n${error.stdout}${error.stderr}`, {
      cause: error,
    });
  }
}

/**
 * Starts `node dist/main.js` (build it first: `buildApp()`) with `environment` on top of this process's
 * (PORT and LOG_FORMAT=json are set here), and resolves once GET /health reports a status: 200 UP or
 * 503 DOWN both mean it has started, a 503 STARTING that it has its port but not yet its database.
 * Its JSON log lines are collected in `lines`, unless `logFile` is given: then stdout and stderr go to
 * that file, so a busy caller (the benchmark's load generator) can never hold the service back.
 */
export async function startAppProcess({
  environment = {},
  nodeArgs = [],
  logFile,
  readyTimeoutMs = 60_000,
} = {}) {
  const port = await freePort();
  const output = logFile ? openSync(logFile, 'w') : 'pipe';
  const child = spawn(process.execPath, [...APP_NODE_FLAGS, ...nodeArgs, 'dist/main.js'], {
    cwd: repoRoot,
    env: { ...process.env, ...environment, PORT: String(port), LOG_FORMAT: 'json' },
    stdio: ['ignore', output, output],
  });
  // The child has its own copy of the descriptor; this process writes nothing to the file.
  if (logFile) closeSync(output);
  const lines = [];
  let stderr = '';
  if (!logFile) {
    child.stderr.on('data', (chunk) => (stderr += chunk));
    createInterface({ input: child.stdout }).on('line', (text) => lines.push(parseLogLine(text)));
  }
  runningApps.add(child);
  const exited = new Promise((resolve) =>
    // 'close', not 'exit': by then its last output has been read too.
    child.on('close', (code, signal) => {
      runningApps.delete(child);
      resolve({ code, signal });
    }),
  );
  const running = () => child.exitCode === null && child.signalCode === null;
  const baseUrl = `http://127.0.0.1:${port}`;

  /** The last log lines (and stderr), for an error message that says why. */
  const logTail = () => {
    const tail = logFile
      ? readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-12).map(parseLogLine)
      : lines.slice(-12);
    const shown = tail.map((line) => `\n    ${line.msg}${line.err ? `: ${line.err.message}` : ''}`);
    // Stack frames say where, not what: the message and its fields are what the reader needs.
    const stderrLines = stderr.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
    const errors = stderrLines
      .slice(-12)
      .map((line) => `\n    ${line}`)
      .join('');
    return `${shown.join('')}${errors}`;
  };

  async function request(method, path, body, headers = {}) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: body === undefined || typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: the caller gets the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  const app = {
    port,
    baseUrl,
    pid: child.pid,
    lines,
    exited,
    get running() {
      return running();
    },
    /** Resolves with the first log line `matches` accepts (already logged or still to come). */
    async waitForLog(description, matches, timeoutMs = 30_000) {
      return waitFor(
        description,
        () => {
          const found = lines.find(matches);
          if (found) return found;
          if (running()) return undefined;
          return exited.then(() => {
            throw new Error(`the app exited before it logged ${description}${logTail()}`);
          });
        },
        { timeoutMs, intervalMs: 50 },
      );
    },
    hasLogged: (message) => lines.some((line) => line.msg === message),
    get: (path) => request('GET', path),
    post: (path, body, headers) => request('POST', path, body, headers),
    /** Its resident set size in MB (NaN once it has exited). */
    rssMb: () => rssMb(child.pid),
    /** SIGTERM, the graceful stop (it drains its events); SIGKILL if it is still running after `graceMs`. */
    async stop(graceMs = 20_000) {
      if (!running()) return exited;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(killer);
      return result;
    },
    /** SIGKILL: a crash, with no chance to finish anything. */
    async kill() {
      if (running()) child.kill('SIGKILL');
      return exited;
    },
  };

  try {
    await waitFor(
      'GET /health to answer',
      async () => {
        if (!running()) {
          const { code, signal } = await exited;
          throw new Error(`the app exited at start-up (${signal ?? `code ${code}`})${logTail()}`);
        }
        const health = await fetch(`${baseUrl}/health`).catch(() => undefined);
        if (health === undefined) return false;
        // It takes its port first and answers 503 STARTING until its database and messaging have
        // started; from then on /health reports a status, UP or DOWN (a checker's starting state may be DOWN).
        const body = await health.json().catch(() => ({}));
        return body.status !== undefined;
      },
      { timeoutMs: readyTimeoutMs, intervalMs: 100 },
    );
  } catch (error) {
    await app.kill();
    if (error instanceof WaitTimedOut) {
      throw new Error(`the app did not answer GET /health within ${readyTimeoutMs / 1000} s${logTail()}`, {
        cause: error,
      });
    }
    throw error;
  }
  return app;
}

/**
 * A port no one listens on, from the OS (listen on port 0, read it, let go). Another process could take
 * it before the app binds it; the OS hands out ephemeral ports in turn, so that needs a port-hungry
 * neighbour, and the app then fails at start-up with "PORT … is already in use", which says what happened.
 * Starting the app on PORT=0 would close the gap, but every caller would wait for its log line instead of
 * knowing its address at once.
 */
async function freePort() {
  const server = createServer();
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function parseLogLine(text) {
  try {
    return JSON.parse(text);
  } catch {
    return { msg: text };
  }
}

/** The resident set size of a process, in MB (Linux: /proc; elsewhere: ps; NaN when it is gone). */
export function rssMb(pid) {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb) / 1024;
  } catch {
    try {
      return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' })) / 1024;
    } catch {
      return Number.NaN;
    }
  }
}
