import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { LogLine } from '../test-service.js';
import { waitFor } from './kafka-test-kit.js';

const ROOT = join(import.meta.dirname, '../../..');
let built = false;

/**
 * The built service in a process of its own (`node dist/main.js`, as `npm start` runs it), for the tests
 * that must kill it: a SIGKILL ends a process, not a Jest worker. Builds `dist/` once per test file.
 */
export async function startAppProcess(environment: Record<string, string>) {
  if (!built) {
    execFileSync(
      process.execPath,
      [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
    built = true;
  }
  const port = 4000 + Math.floor(Math.random() * 900);
  const child = spawn(process.execPath, ['--disable-warning=TimeoutNegativeWarning', 'dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', ...environment, PORT: String(port), LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const logs: LogLine[] = [];
  createInterface({ input: child.stdout }).on('line', (text) => logs.push(JSON.parse(text) as LogLine));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const app = {
    logs,
    exited,
    baseUrl: `http://localhost:${port}`,
    postOrder: (body: object) =>
      fetch(`${app.baseUrl}/orders`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    hasLogged: (message: string) => logs.some((line) => line.msg === message),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  await waitFor(
    () => logs.some((line) => line.msg.startsWith('listening on')) || child.exitCode !== null,
    'the service to listen',
    60_000,
  );
  if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode} at start-up`);
  return app;
}

export type AppProcess = Awaited<ReturnType<typeof startAppProcess>>;
