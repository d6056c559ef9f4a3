import { execFileSync, spawnSync } from 'node:child_process';
import {
  appendFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';

// `npm run workshop:start -- 4` in a git clone: exercise 4 starts from main with its solution taken back
// out, committed on a branch of its own. workshop:verify runs in copies without .git, so this is the only
// test of the branch. It runs in a scratch repository made of this tree's workshop, the support code its
// checkers import and the files the patch touches; node_modules is linked in, nothing is installed or built.
const repoRoot = join(import.meta.dirname, '../..');
const solution = 'workshop/exercises/04-commit-after-processing/solution.patch';
const branch = 'workshop/04-commit-after-processing';
const patchedFiles = [...readFileSync(join(repoRoot, solution), 'utf8').matchAll(/^\+\+\+ b\/(.+)$/gm)]
  .flatMap(([, file]) => file ?? [])
  .sort();
const [patchedFile] = patchedFiles;
if (patchedFile === undefined) throw new Error(`${solution} names no file`);
const toolsSignature = 'npm run workshop:start <workshop@localhost>';

// No git settings of this machine's or its user's (and no GIT_* variables): like a learner with no git
// identity, the tool has to bring its own.
const gitEnv = {
  ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_'))),
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
};

let learnerRepo: string;

function git(args: string[], cwd = learnerRepo) {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8' }).trim();
}

function commitAsLearner(message: string) {
  git(['add', '--all']);
  git([
    '-c',
    'user.name=Learner',
    '-c',
    'user.email=learner@example.com',
    'commit',
    '--quiet',
    '-m',
    message,
  ]);
}

function workshopStart(number: number) {
  const result = spawnSync(process.execPath, ['workshop/cli.mjs', 'start', String(number)], {
    cwd: learnerRepo,
    env: gitEnv,
    encoding: 'utf8',
  });
  return { exitCode: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Where the learner stands: the branch, its commit, and what git status says. */
function gitState() {
  return {
    branch: git(['branch', '--show-current']),
    head: git(['rev-parse', 'HEAD']),
    status: git(['status', '--porcelain']),
    branches: git(['branch', '--list', '--format=%(refname:short)']).split('\n'),
  };
}

beforeEach(() => {
  learnerRepo = mkdtempSync(join(tmpdir(), 'workshop-start-'));
  const files = git(
    [
      'ls-files',
      '--cached',
      '--others',
      '--exclude-standard',
      '-z',
      '--',
      'workshop',
      'scripts/support',
      'demos/support', // exercise 10's checker runs the chapter 15 processor
      'package.json',
    ],
    repoRoot,
  )
    .split('\0')
    .concat(patchedFiles)
    .filter((file) => file !== '' && existsSync(join(repoRoot, file)));
  for (const file of files) {
    mkdirSync(dirname(join(learnerRepo, file)), { recursive: true });
    cpSync(join(repoRoot, file), join(learnerRepo, file));
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(learnerRepo, 'node_modules'));
  git(['init', '--quiet', '--initial-branch=main']);
  appendFileSync(join(learnerRepo, '.git/info/exclude'), '/node_modules\n');
  commitAsLearner('The template');
});

afterEach(() => rmSync(learnerRepo, { recursive: true, force: true }));

describe('npm run workshop:start in a git clone', () => {
  it("commits the starting state on a branch of its own, as the tool's commit", () => {
    const main = git(['rev-parse', 'main']);

    const { exitCode, stdout } = workshopStart(4);

    expect(exitCode).toBe(0);
    expect(stdout).toContain(`committed on a new branch, ${branch}`);
    expect(gitState()).toMatchObject({ branch, status: '' });
    expect(git(['rev-parse', 'HEAD~1'])).toBe(main);
    expect(git(['diff', '--name-only', 'HEAD~1', 'HEAD']).split('\n')).toEqual(patchedFiles);
    // Exactly the solution was taken out: it goes back in cleanly.
    expect(() => git(['apply', '--check', solution])).not.toThrow();
    expect(git(['log', '-1', '--format=%an <%ae>|%cn <%ce>|%s'])).toBe(
      `${toolsSignature}|${toolsSignature}|Exercise 4: the starting state (npm run workshop:start -- 4)`,
    );
  });

  it("commits even where the learner's pre-commit hook would refuse", () => {
    appendFileSync(join(learnerRepo, '.git/hooks/pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });

    expect(workshopStart(4).exitCode).toBe(0);
    expect(git(['log', '-1', '--format=%an <%ae>'])).toBe(toolsSignature);
  });

  it('run again on its branch, says the exercise is ready and commits nothing', () => {
    workshopStart(4);
    const started = gitState();

    const { exitCode, stdout } = workshopStart(4);

    expect(exitCode).toBe(0);
    expect(stdout).toContain(`Exercise 4 is already in its starting state, on branch ${branch}.`);
    expect(gitState()).toEqual(started);
  });

  it('refuses when the branch exists already, and says how to go back to it or start over', () => {
    workshopStart(4);
    git(['switch', '--quiet', 'main']);
    const onMain = gitState();
    const branchTip = git(['rev-parse', branch]);

    const { exitCode, stderr } = workshopStart(4);

    expect(exitCode).not.toBe(0);
    expect(stderr).toContain(`Branch ${branch} exists already: go back to it with git switch ${branch}`);
    expect(stderr).toContain(`git branch -D ${branch} && npm run workshop:start -- 4`);
    expect(gitState()).toEqual(onMain);
    expect(git(['rev-parse', branch])).toBe(branchTip);
  });

  it('run again on its branch after committing work, says so instead of sending the learner to the branch', () => {
    workshopStart(4);
    git(['apply', solution]);
    commitAsLearner('My solution');
    const solved = gitState();

    const { exitCode, stderr } = workshopStart(4);

    expect(exitCode).not.toBe(0);
    expect(stderr).toContain(`You are on branch ${branch} already, and your commits have moved it on`);
    expect(stderr).toContain(`To start over: git switch main && git branch -D ${branch}`);
    expect(gitState()).toEqual(solved);
  });

  it('refuses on changes that are not committed, and touches nothing', () => {
    appendFileSync(join(learnerRepo, patchedFile), '// work in progress\n');
    const edited = readFileSync(join(learnerRepo, patchedFile), 'utf8');
    const before = gitState();

    const { exitCode, stderr } = workshopStart(4);

    expect(exitCode).not.toBe(0);
    expect(stderr).toContain('Your files have changes that are not committed');
    expect(gitState()).toEqual(before);
    expect(readFileSync(join(learnerRepo, patchedFile), 'utf8')).toBe(edited);
  });

  it('refuses when the files differ from the template, before making the branch', () => {
    cpSync(join(learnerRepo, 'package.json'), join(learnerRepo, patchedFile));
    commitAsLearner('Something else entirely');
    const before = gitState();

    const { exitCode, stderr } = workshopStart(4);

    expect(exitCode).not.toBe(0);
    expect(stderr).toContain("Exercise 4's starting state needs the template's files as they are on main");
    expect(gitState()).toEqual(before);
  });
});
