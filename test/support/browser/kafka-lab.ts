import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe } from '@jest/globals';
import { chromium, type Browser } from 'playwright-core';
import { waitFor } from '../../../scripts/support/wait-for.mjs';
import { chromiumPath } from './global-setup.js';

/** `describe`, or `describe.skip` when global-setup found no Chromium or no servers (never under CI=true). */
export const describeInTheBrowser =
  process.env['BROWSER_SKIPPED'] === 'true' || process.env['REAL_SERVERS_SKIPPED'] === 'true'
    ? describe.skip
    : describe;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath() });
}

export interface RunningLab {
  readonly url: string;
  readonly pid: number;
  readonly lines: string[];
  /** Ctrl-C, as a learner stops it; resolves once it has exited. */
  stop(): Promise<void>;
}

/** `npm run lab` on a free port, on `brokers`, watching the service at `appUrl`; resolves once it listens. */
export async function startLab({
  brokers,
  appUrl,
}: {
  brokers: string;
  appUrl: string;
}): Promise<RunningLab> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(import.meta.dirname, '../../../lab/server.mjs')], {
    env: { ...process.env, KAFKA_BROKERS: brokers, APP_URL: appUrl, LAB_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines: string[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => lines.push(line));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  await waitFor('the lab to listen', () => lines.some((line) => line.includes('Kafka Lab on')), {
    timeoutMs: 15_000,
    intervalMs: 50,
  });
  return {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    lines,
    async stop() {
      if (child.exitCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}

/** An address nothing listens on: the lab's Service panel then says "not running". */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === 'object' && address ? address.port : 0;
}
