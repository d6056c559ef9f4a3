// npm run workshop:start -- <n>   puts your files in exercise n's starting state (when it has one)
// npm run workshop:check -- <n>   checks your solution against the real broker (exit 0 passed, 1 not yet)
// npm run workshop:solve -- <n>   applies the reference solution (it changes your files)
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runChecker } from './support/checker.mjs';
import { loadExercises } from './support/exercises.mjs';

const repoRoot = join(import.meta.dirname, '..');
const usage = 'usage: npm run workshop:start|workshop:check|workshop:solve -- <exercise number>';

function gitApply(args) {
  execFileSync('git', ['apply', '--whitespace=nowarn', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
    encoding: 'utf8',
  });
}

function applies(args) {
  try {
    gitApply(['--check', ...args]);
    return true;
  } catch {
    return false;
  }
}

/** Main is the finished template; an exercise that starts elsewhere takes its solution back out. */
function start(exercise) {
  if (exercise.startsFrom === 'main') {
    console.log(`Exercise ${exercise.number} starts from the template as it is: nothing to change.`);
  } else if (applies(['--reverse', exercise.solution])) {
    gitApply(['--reverse', exercise.solution]);
    console.log(`Exercise ${exercise.number}: the files are in the starting state (${exercise.startsFrom}).`);
  } else if (applies([exercise.solution])) {
    console.log(`Exercise ${exercise.number} is already in its starting state.`);
  } else {
    fail(
      `Exercise ${exercise.number}'s starting state needs the template's files as they are on main, and yours ` +
        'differ.\nCommit your work, then start from a clean branch: git switch -c workshop-' +
        `${exercise.number} main && npm run workshop:start -- ${exercise.number}`,
    );
  }
  console.log(`Read ${exercise.readme}, then: npm run workshop:check -- ${exercise.number}`);
}

function solve(exercise) {
  if (!applies([exercise.solution])) {
    fail(
      `The reference solution does not apply to your files (done already, or changed elsewhere).\n` +
        `Read it instead: ${exercise.solution}`,
    );
  }
  gitApply([exercise.solution]);
  console.log(`Applied ${exercise.solution}. See what changed with: git diff`);
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

const [command, numberText] = process.argv.slice(2);
const exercises = await loadExercises();
const exercise = exercises.find(({ number }) => number === Number(numberText));
if (!['start', 'check', 'solve'].includes(command) || exercise === undefined) {
  fail(`${usage}\nexercises: ${exercises.map(({ number, title }) => `\n  ${number}. ${title}`).join('')}`);
}
if (command === 'start') start(exercise);
if (command === 'solve') solve(exercise);
if (command === 'check') process.exitCode = await runChecker(exercise);
