// Shared by the smoke tests: runs the built service as `npm start` does (node dist/main.js), collects its
// JSON log lines, and counts checks. Each smoke test is a short script on top of this.
import { execFileSync, spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { createInterface } from 'node:readline';

export function startApp(environment) {
  const port = 3900 + Math.floor(Math.random() * 90);
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', 'dist/main.js'], {
    env: { ...process.env, ...environment, PORT: String(port), LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = [];
  const waiters = [];
  createInterface({ input: child.stdout }).on('line', (text) => {
    const line = JSON.parse(text);
    lines.push(line);
    for (const waiter of [...waiters]) if (waiter.matches(line)) waiter.resolve(line);
  });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  function waitForLog(description, matches, timeoutMs = 30_000) {
    const found = lines.find(matches);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      waiters.push({ matches, resolve });
      setTimeout(() => reject(new Error(`timed out waiting for: ${description}`)), timeoutMs).unref();
    });
  }

  return { child, lines, exited, waitForLog, baseUrl: `http://localhost:${port}` };
}

export function postOrder(app, order) {
  return fetch(`${app.baseUrl}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof order === 'string' ? order : JSON.stringify(order),
  });
}

/** Runs `checks(check)`; prints `smoke: N passed, M failed` and, on failure, the service's log. */
export async function runSmokeTest(app, checks) {
  let passed = 0;
  const check = (condition, message) => {
    if (!condition) throw new Error(message);
    passed += 1;
    console.log(`  ok  ${message}`);
  };
  try {
    await app.waitForLog('listening', (line) => line.msg?.startsWith('listening on'));
    await checks(check);
    app.child.kill('SIGTERM');
    const { code } = await app.exited;
    check(code === 0, `SIGTERM: exited with code ${code}`);
    check(app.lines.at(-1)?.msg === 'stopped', 'shut down gracefully ("stopped" was the last log line)');
    console.log(`smoke: ${passed} passed, 0 failed`);
  } catch (error) {
    console.error(`smoke test failed: ${error.message}`);
    console.log(`smoke: ${passed} passed, 1 failed`);
    console.error(app.lines.map((line) => JSON.stringify(line)).join('\n'));
    app.child.kill('SIGKILL');
    process.exitCode = 1;
  }
}

/** Exits with a hint when the servers of `npm run services:start` are not in the environment. */
export function requireServers() {
  for (const variable of ['KAFKA_BROKERS', 'DATABASE_URL']) {
    if (!process.env[variable]) {
      console.error(`${variable} is not set: run eval "$(npm run -s services:start)" first`);
      process.exit(1);
    }
  }
}

/** `npm run kafka -- <tool> …`, as the docs show it. */
export function kafkaTool(...args) {
  return execFileSync(process.execPath, ['scripts/services/kafka-tools.mjs', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** `npm run services:<command> -- <service>`, as the docs show it. */
export function services(command, service) {
  execFileSync(process.execPath, ['scripts/services/cli.mjs', command, service], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** The LAG column of `consumer-groups --describe`, summed over the topic's partitions (NaN: no rows yet). */
function consumerGroupLag(group, topic) {
  const output = kafkaTool('consumer-groups', '--describe', '--group', group);
  const rows = output
    .split('\n')
    .map((row) => row.trim().split(/\s+/))
    .filter((columns) => columns[0] === group && columns[1] === topic);
  // LAG is "-" for a partition the group never committed on; then every record in it is still to read
  // (none, in a partition that never received one).
  const lagOfRow = ([, , , , logEndOffset, lag]) => Number(lag === '-' ? logEndOffset : lag);
  const lag = rows.length === 0 ? Number.NaN : rows.reduce((sum, row) => sum + lagOfRow(row), 0);
  return { lag, output };
}

/**
 * Each group's lag on `topic`, once every group is at 0 or after 30 s. A group commits right after its
 * handler returns, and a group that is still settling (a member joining) has no rows for a moment.
 */
export async function settledLags(groups, topic) {
  const deadline = Date.now() + 30_000;
  let described = groups.map((group) => consumerGroupLag(group, topic));
  while (described.some(({ lag }) => lag !== 0) && Date.now() < deadline) {
    await sleep(500);
    described = groups.map((group) => consumerGroupLag(group, topic));
  }
  const lags = described.map(({ lag }) => lag);
  if (lags.some((lag) => lag !== 0)) console.error(described.map(({ output }) => output).join('\n'));
  return lags;
}

/** The sum of the topic's log-end offsets, from `get-offsets`: how many records it ever received. */
export function recordsOn(topic) {
  return kafkaTool('get-offsets', '--topic', topic)
    .trim()
    .split('\n')
    .reduce((sum, line) => sum + Number(line.split(':').at(-1)), 0);
}
