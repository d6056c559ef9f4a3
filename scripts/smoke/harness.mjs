// Shared by the smoke tests: runs the built service as `npm start` does (node dist/main.js), collects its
// JSON log lines, and counts checks. Each smoke test is a short script on top of this.
import { spawn } from 'node:child_process';
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
