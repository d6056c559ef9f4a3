// CI: proves every exercise is a real exercise. For each one, in a scratch copy of this tree:
// `workshop:start` → its checker must FAIL; apply the reference solution → its checker must PASS.
// Needs the broker the checkers use (KAFKA_BROKERS, or `npm run services:start`).
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { kafkaBrokers } from '../scripts/support/services-env.mjs';
import { loadExercises } from './support/exercises.mjs';

const repoRoot = join(import.meta.dirname, '..');
// Outside the repository: inside it, `git apply` would take the scratch copy for a subfolder of this one.
// A folder of this run's own: two runs at once (two worktrees, say) must not delete each other's copies.
const scratchRoot = mkdtempSync(join(tmpdir(), 'workshop-verify-'));
const only = process.argv.slice(2).map(Number);

/** The tree as git sees it (tracked and new files, not ignored ones), with node_modules linked in. */
function scratchCopy(number) {
  const dir = join(scratchRoot, String(number).padStart(2, '0'));
  rmSync(dir, { recursive: true, force: true });
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: repoRoot,
    encoding: 'utf8',
  })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(dir, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function workshop(dir, command, number) {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', 'workshop/cli.mjs', command, String(number)],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, KAFKA_BROKERS: kafkaBrokers() },
    },
  );
  return {
    passed: result.status === 0,
    // Exit code 1: a check failed as designed. 2 (or a crash) is the checker failing, which proves nothing.
    failedAsDesigned: result.status === 1,
    output: result.stdout + result.stderr,
    seconds: (performance.now() - started) / 1000,
  };
}

const rows = [];
for (const exercise of await loadExercises()) {
  if (only.length > 0 && !only.includes(exercise.number)) continue;
  console.log(`\n━━ Exercise ${exercise.number} · ${exercise.title}`);
  const dir = scratchCopy(exercise.number);
  const start = workshop(dir, 'start', exercise.number);
  if (!start.passed) throw new Error(`workshop:start -- ${exercise.number} failed:\n${start.output}`);
  const before = workshop(dir, 'check', exercise.number);
  console.log(`-- the starting state (${exercise.startsFrom}): the checker must fail${before.output}`);
  const solve = workshop(dir, 'solve', exercise.number);
  if (!solve.passed) throw new Error(`workshop:solve -- ${exercise.number} failed:\n${solve.output}`);
  const after = workshop(dir, 'check', exercise.number);
  console.log(`-- with the reference solution (${exercise.solution}): the checker must pass${after.output}`);
  rows.push({ exercise, before, after, ok: before.failedAsDesigned && after.passed });
  rmSync(dir, { recursive: true, force: true });
}

rmSync(scratchRoot, { recursive: true, force: true });

console.log('\n  #  exercise                                             start     solution');
for (const { exercise, before, after } of rows) {
  const verdict = ({ passed, failedAsDesigned, seconds }) =>
    `${passed ? 'pass' : failedAsDesigned ? 'fail' : 'BROKE'} ${seconds.toFixed(0).padStart(3)} s`;
  console.log(`  ${exercise.number}  ${exercise.title.padEnd(52)} ${verdict(before)}  ${verdict(after)}`);
}
const wrong = rows.filter(({ ok }) => !ok);
if (wrong.length > 0) {
  console.error(
    `\n✗ ${wrong.map(({ exercise }) => exercise.number).join(', ')}: each exercise's checker must fail on its start and pass with its solution`,
  );
  process.exitCode = 1;
} else {
  console.log(
    `\n✓ all ${rows.length} exercises: the checker fails on the starting state and passes with the reference solution`,
  );
}
