// The order service itself, for the demos that follow an order through it (and for the workshop's
// checkers): built from src/, run as `npm start` runs it, on a scratch SQLite file so every run starts
// from the demo data, with its JSON log lines collected for the demo to show.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { progress } from './output.mjs';

const repoRoot = join(import.meta.dirname, '../..');

/** `npm run build` (tsc). Throws with the compiler's messages when the code does not compile. */
export function buildApp() {
  try {
    execFileSync(
      process.execPath,
      [join(repoRoot, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: repoRoot,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  } catch (error) {
    throw new Error(`the app does not compile (npm run build):\n${error.stdout}${error.stderr}`, {
      cause: error,
    });
  }
}

/** The scratch SQLite file of the app started as `name`, for a demo that reads its tables itself. */
export function scratchDatabaseFile(name) {
  return join(repoRoot, 'var/demos', `${name}.sqlite`);
}

/**
 * Starts `node dist/main.js` with `environment` on top of this process's, and resolves once it listens.
 * `name` names its scratch database (var/demos/<name>.sqlite, emptied first unless `keepDatabase`).
 */
export async function startOrderService(name, environment = {}, { keepDatabase = false } = {}) {
  const sqliteFile = scratchDatabaseFile(name);
  mkdirSync(dirname(sqliteFile), { recursive: true });
  if (!keepDatabase) rmSync(sqliteFile, { force: true });
  const port = 3500 + Math.floor(Math.random() * 300);
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', 'dist/main.js'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      DB_DRIVER: 'sqlite',
      SQLITE_FILE: sqliteFile,
      ...environment,
      PORT: String(port),
      LOG_FORMAT: 'json',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  createInterface({ input: child.stdout }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text));
    } catch {
      lines.push({ msg: text });
    }
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const service = {
    baseUrl: `http://127.0.0.1:${port}`,
    lines,
    exited,
    get running() {
      return child.exitCode === null && child.signalCode === null;
    },
    /** Resolves with the first log line `matches` accepts (already logged or still to come). */
    async waitForLog(description, matches, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find(matches);
        if (found) return found;
        if (!service.running) throw new Error(`the app exited before it logged ${description}${logTail()}`);
        if (Date.now() > deadline)
          throw new Error(`the app did not log ${description} within ${timeoutMs / 1000} s`);
        await sleep(100);
      }
    },
    async post(path, body, headers = {}) {
      const response = await fetch(`${service.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    async get(path) {
      const response = await fetch(`${service.baseUrl}${path}`);
      return { status: response.status, body: await response.json() };
    },
    /** SIGTERM, the graceful stop; SIGKILL if it has not exited after `graceMs`. */
    async stop(graceMs = 20_000) {
      if (!service.running) return exited;
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(killer);
      return result;
    },
  };
  const logTail = () => {
    const last = lines.slice(-5).map((line) => `\n    ${line.msg}${line.err ? `: ${line.err.message}` : ''}`);
    return `${last.join('')}${stderr ? `\n    ${stderr.trim().split('\n').slice(-5).join('\n    ')}` : ''}`;
  };
  await service.waitForLog('"listening on …"', (line) => line.msg?.startsWith('listening on'), 60_000);
  return service;
}

/** The order of the README: user 1 buys one keyboard and two mice with coupon 2. */
export const readmeOrder = {
  userId: 1,
  items: [
    { productId: 1, quantity: 1 },
    { productId: 2, quantity: 2 },
  ],
  couponId: 2,
};

/** The groups of the app's consumers (src/interfaces/messaging/consumers). */
export const APP_GROUPS = ['data-platform', 'product-ranking'];

/** The app's topic, as src/application/order/events/order-completed-message.ts names it. */
export const ORDER_TOPIC = 'outside.order.completed.v1';

/**
 * Moves consumer groups to the end of the order topic before a run. Records already there belong to
 * other databases (tests, earlier runs): replaying them into a fresh database would tell another story.
 * Only possible while no instance of the app is in the group.
 */
export async function skipOldOrderEvents(admin, groups = APP_GROUPS) {
  // No topic yet: the app creates it at start-up, and there is nothing old to skip.
  if (!(await admin.listTopics()).includes(ORDER_TOPIC)) return;
  // The real log-end offsets: admin.resetOffsets() would store "latest" as -1, which a consumer that
  // subscribes fromBeginning (as the app's do) reads as "no offset yet" and starts from the oldest record.
  const ends = await admin.fetchTopicOffsets(ORDER_TOPIC);
  for (const groupId of groups) {
    // A member of an app killed a moment ago stays in the group until its session times out (30 s).
    const deadline = Date.now() + 45_000;
    for (;;) {
      const { groups: described } = await admin.describeGroups([groupId]);
      if (described[0]?.members.length === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `consumer group ${groupId} still has members: stop every running order service (npm start) first`,
        );
      }
      progress(`waiting for consumer group ${groupId} to empty (an app stopped a moment ago)`);
      await sleep(2_000);
    }
    await admin.setOffsets({
      groupId,
      topic: ORDER_TOPIC,
      partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
    });
  }
}
