import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { describe, expect, it } from '@jest/globals';

// The npm scripts run through scripts/node24.mjs. On this Node (24, as the tests need) it runs the script
// itself; fetching Node 24 for an older one is the same run with another binary.
const repoRoot = join(import.meta.dirname, '../..');
const launcher = join(repoRoot, 'scripts/node24.mjs');
const waitsForSigterm = [
  'process.on("SIGTERM", () => { console.log("graceful shutdown"); process.exit(3); });',
  'console.log("ready", process.pid); setInterval(() => {}, 1000);',
].join(' ');

function launch(args: string[]) {
  return spawnSync(process.execPath, [launcher, ...args], { cwd: repoRoot, encoding: 'utf8' });
}

/** Collects a process's output; `until(text)` resolves once the text has appeared. */
function watch(stdout: Readable) {
  let output = '';
  const checks = new Set<() => void>();
  stdout.setEncoding('utf8');
  stdout.on('data', (chunk: string) => {
    output += chunk;
    for (const check of checks) check();
  });
  return {
    output: () => output,
    until: (text: string) =>
      new Promise<void>((resolve) => {
        const check = () => output.includes(text) && resolve();
        checks.add(check);
        check();
      }),
  };
}

describe('scripts/node24.mjs', () => {
  it('runs the script on Node 24 with its Node flags and arguments', () => {
    const result = launch([
      '--disable-warning=ExperimentalWarning',
      '-e',
      'console.log(process.versions.node.split(".")[0], process.execArgv[0], process.argv[1])',
      'an-argument',
    ]);

    expect(result.stdout.trim()).toBe('24 --disable-warning=ExperimentalWarning an-argument');
  });

  it("ends with the script's exit code", () => {
    expect(launch(['-e', 'process.exit(7)']).status).toBe(7);
  });

  it('passes SIGTERM on, so the script shuts down gracefully and its exit code comes back', async () => {
    const child = spawn(process.execPath, [launcher, '-e', waitsForSigterm], { cwd: repoRoot });
    const script = watch(child.stdout);
    await script.until('ready');

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(script.output()).toContain('graceful shutdown');
    expect(code).toBe(3);
  });

  it('stops the script when the shell npm started it from dies (kill <npm pid> ends that shell)', async () => {
    // `; echo after`: a shell with more to do stays the launcher's parent instead of exec'ing it.
    const shell = spawn(
      'sh',
      ['-c', `"${process.execPath}" "${launcher}" -e '${waitsForSigterm}'; echo after`],
      {
        cwd: repoRoot,
      },
    );
    const script = watch(shell.stdout);
    await script.until('ready');
    const scriptPid = Number(/ready (\d+)/.exec(script.output())?.[1]);

    shell.kill('SIGKILL');
    const giveUp = new AbortController();
    const stopped = await Promise.race([
      script.until('graceful shutdown').then(() => true),
      delay(3_000, false, { signal: giveUp.signal }).catch(() => false),
    ]);
    giveUp.abort(); // no timer left behind to keep Jest waiting

    // Had the launcher not stopped it, the script would outlive the test and keep Jest waiting.
    if (!stopped) process.kill(scriptPid, 'SIGKILL');
    expect(stopped).toBe(true);
  });

  it('prints the folder of a Node 24 for scripts/use-node-24.sh', () => {
    const binDir = launch(['--print-bin-dir']).stdout.trim();

    expect(existsSync(join(binDir, 'node'))).toBe(true);
    expect(spawnSync(join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./);
  });
});
