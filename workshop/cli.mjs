// npm run workshop:start -- <n>   puts your files in exercise n's starting state (when it has one), committed
//                                 on a branch of its own, so that `git diff` shows only your work
// npm run workshop:check -- <n>   checks your solution against the real broker (exit 0 passed, 1 not yet)
// npm run workshop:solve -- <n>   applies the reference solution (it changes your files)
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
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
  return succeeds(() => gitApply(['--check', ...args]));
}

function git(args) {
  return execFileSync('git', args, {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  }).trim();
}

function succeeds(command) {
  try {
    command();
    return true;
  } catch {
    return false;
  }
}

/**
 * Main is the finished template; an exercise that starts elsewhere takes its solution back out. In a git
 * clone that change is committed on a branch of its own, so `git diff` shows the learner's work, not the
 * answer, and `git restore .` starts the exercise over.
 */
function start(exercise) {
  if (exercise.startsFrom === 'main') {
    console.log(`Exercise ${exercise.number} starts from the template as it is: nothing to change.`);
  } else if (!isGitClone()) {
    startWithoutGit(exercise);
  } else {
    startOnBranch(exercise);
  }
  console.log(`Read ${exercise.readme}, then: npm run workshop:check -- ${exercise.number}`);
}

/** True in a clone of the template; false in a copy without .git, or one inside another project's repository. */
function isGitClone() {
  return succeeds(() => {
    if (realpathSync(git(['rev-parse', '--show-toplevel'])) !== realpathSync(repoRoot)) throw new Error();
  });
}

function startOnBranch(exercise) {
  const branch = `workshop/${basename(dirname(exercise.readme))}`;
  const current = git(['branch', '--show-current']);
  if (current === branch && applies([exercise.solution])) {
    console.log(`Exercise ${exercise.number} is already in its starting state, on branch ${branch}.`);
    return;
  }
  if (git(['status', '--porcelain', '--untracked-files=no']) !== '') {
    fail(
      `Your files have changes that are not committed (git status lists them). Commit them, or put them ` +
        `aside with git stash, then run this again.`,
    );
  }
  const startOver = `git switch main && git branch -D ${branch} && npm run workshop:start -- ${exercise.number}`;
  if (current === branch) {
    fail(
      `You are on branch ${branch} already, and your commits have moved it on from exercise ` +
        `${exercise.number}'s starting state (git log lists them). To start over: ${startOver}`,
    );
  }
  if (succeeds(() => git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]))) {
    fail(
      `Branch ${branch} exists already: go back to it with git switch ${branch}, or delete it to start ` +
        `over: ${startOver}`,
    );
  }
  if (!applies(['--reverse', exercise.solution])) {
    fail(
      `Exercise ${exercise.number}'s starting state needs the template's files as they are on main, and ` +
        `${current ? `branch ${current}` : 'this commit'} differs. Start from main: ` +
        `git switch main && npm run workshop:start -- ${exercise.number}`,
    );
  }
  git(['switch', '--quiet', '--create', branch]);
  gitApply(['--reverse', '--index', exercise.solution]);
  // The workshop makes this commit, not the learner: say so, and need no git identity or hooks of theirs.
  execFileSync(
    'git',
    [
      'commit',
      '--quiet',
      '--no-verify',
      '-m',
      `Exercise ${exercise.number}: the starting state (npm run workshop:start -- ${exercise.number})`,
    ],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'npm run workshop:start',
        GIT_AUTHOR_EMAIL: 'workshop@localhost',
        GIT_COMMITTER_NAME: 'npm run workshop:start',
        GIT_COMMITTER_EMAIL: 'workshop@localhost',
      },
    },
  );
  console.log(
    [
      `Exercise ${exercise.number}: the starting state (${exercise.startsFrom}) is committed on a new branch, ${branch}.`,
      'From here git diff shows your work only, and git restore . starts the exercise over.',
    ].join('\n'),
  );
}

/** Outside a git clone (a downloaded copy, or workshop:verify's scratch copy) there is no branch to make. */
function startWithoutGit(exercise) {
  if (applies(['--reverse', exercise.solution])) {
    gitApply(['--reverse', exercise.solution]);
    console.log(`Exercise ${exercise.number}: the files are in the starting state (${exercise.startsFrom}).`);
  } else if (applies([exercise.solution])) {
    console.log(`Exercise ${exercise.number} is already in its starting state.`);
  } else {
    fail(
      `Exercise ${exercise.number}'s starting state needs the template's files as they are on main, and yours differ.`,
    );
  }
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
