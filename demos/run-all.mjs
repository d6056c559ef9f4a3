// `npm run demos`: every chapter's demo, in course order, each in a process of its own, as
// `npm run demo:<name>` runs it. CI runs this: a demo that breaks fails the build. Chapter 02's demo needs
// the three-broker cluster (npm run services:start -- kafka --cluster) besides the single broker; chapter
// 11's needs Redis and MySQL too, chapter 12's Zipkin (npm run services:start starts all four).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');
const scripts = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).scripts;
const demos = Object.entries(scripts)
  .filter(([name]) => name.startsWith('demo:'))
  .map(([name, command]) => ({ name, file: command.match(/demos\/\S+\.mjs/)[0] }))
  .sort((a, b) => a.file.localeCompare(b.file));

const results = [];
for (const { name, file } of demos) {
  console.log(`\n$ npm run ${name}`);
  const started = performance.now();
  const { status } = spawnSync(process.execPath, ['--disable-warning=TimeoutNegativeWarning', file], {
    cwd: repoRoot,
    stdio: 'inherit',
  });
  results.push({ name, ok: status === 0, seconds: (performance.now() - started) / 1000 });
}

console.log('\ndemo                   result   time');
for (const { name, ok, seconds } of results) {
  console.log(`${name.padEnd(22)} ${ok ? 'ok    ' : 'FAILED'}  ${seconds.toFixed(1).padStart(5)} s`);
}
const failed = results.filter(({ ok }) => !ok);
if (failed.length > 0) {
  console.error(
    `\n✗ ${failed.length} of ${results.length} demos failed: ${failed.map(({ name }) => name).join(', ')}`,
  );
  process.exitCode = 1;
} else {
  console.log(`\n✓ all ${results.length} demos ran against the real broker`);
}
