// Starts the built service the way `npm start` does, places an order over real HTTP, waits for the
// data-platform consumer to log it, sends SIGTERM and expects a clean exit. Used by CI after `npm run build`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const directory = mkdtempSync(join(tmpdir(), 'order-service-smoke-'));
const port = 3900 + Math.floor(Math.random() * 90);
const child = spawn(process.execPath, ['dist/main.js'], {
  env: {
    ...process.env,
    PORT: String(port),
    SQLITE_FILE: join(directory, 'smoke.sqlite'),
    LOG_FORMAT: 'json',
  },
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

function waitForLog(description, matches, timeoutMs = 15_000) {
  const found = lines.find(matches);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const waiter = { matches, resolve };
    waiters.push(waiter);
    setTimeout(() => reject(new Error(`timed out waiting for: ${description}`)), timeoutMs).unref();
  });
}

let passed = 0;
function check(condition, message) {
  if (!condition) throw new Error(message);
  passed += 1;
  console.log(`  ok  ${message}`);
}

try {
  await waitForLog('listening', (line) => line.msg?.startsWith('listening on'));
  const base = `http://localhost:${port}`;

  const placed = await fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }] }),
  });
  const order = await placed.json();
  check(placed.status === 201, `POST /orders answered ${placed.status} (order ${order.id})`);
  const received = await waitForLog(
    'the consumer line',
    (line) => line.msg === 'data platform received order' && line.orderId === order.id,
  );
  check(
    received.requestId === placed.headers.get('x-request-id'),
    'the data-platform consumer logged the order with its request id',
  );

  const malformed = await fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{',
  });
  check(malformed.status === 400, `malformed JSON answered ${malformed.status}`);
  const unknown = await fetch(`${base}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: 1, items: [{ productId: 999, quantity: 1 }] }),
  });
  check(unknown.status === 404, `an unknown product answered ${unknown.status}`);

  child.kill('SIGTERM');
  const { code } = await exited;
  check(code === 0, `SIGTERM: exited with code ${code}`);
  check(lines.at(-1)?.msg === 'stopped', 'shut down gracefully ("stopped" was the last log line)');
  console.log(`smoke: ${passed} passed, 0 failed`);
} catch (error) {
  console.error(`smoke test failed: ${error.message}`);
  console.log(`smoke: ${passed} passed, 1 failed`);
  console.error(lines.map((line) => JSON.stringify(line)).join('\n'));
  child.kill('SIGKILL');
  process.exitCode = 1;
} finally {
  rmSync(directory, { recursive: true, force: true });
}
