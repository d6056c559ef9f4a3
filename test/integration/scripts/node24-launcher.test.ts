import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// The npm scripts run through scripts/node24.mjs. On this Node (24, as the tests need) it runs the script
// itself; fetching Node 24 for an older one is the same run with another binary.
const repoRoot = join(import.meta.dirname, '../../..');
const launcher = join(repoRoot, 'scripts/node24.mjs');

function launch(args: string[]) {
  return spawnSync(process.execPath, [launcher, ...args], { cwd: repoRoot, encoding: 'utf8' });
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
    const script = [
      'process.on("SIGTERM", () => { console.log("graceful shutdown"); process.exit(3); });',
      'console.log("ready"); setInterval(() => {}, 1000);',
    ].join(' ');
    const child = spawn(process.execPath, [launcher, '-e', script], { cwd: repoRoot });
    let output = '';
    child.stdout.setEncoding('utf8');
    await new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('ready')) resolve();
      }),
    );

    child.kill('SIGTERM');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));

    expect(output).toContain('graceful shutdown');
    expect(code).toBe(3);
  });

  it('prints the folder of a Node 24 for scripts/use-node-24.sh', () => {
    const binDir = launch(['--print-bin-dir']).stdout.trim();

    expect(existsSync(join(binDir, 'node'))).toBe(true);
    expect(spawnSync(join(binDir, 'node'), ['--version'], { encoding: 'utf8' }).stdout).toMatch(/^v24\./);
  });
});
