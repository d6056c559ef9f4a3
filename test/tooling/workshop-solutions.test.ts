import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// Each exercise's reference solution is a patch against this tree: exercises that start from main add to
// it (the patch applies forwards), the others start from main with the solution taken back out (it applies
// in reverse). A change elsewhere that touches the same lines breaks the exercise; this says so in seconds,
// where `npm run workshop:verify` would say it after half an hour with a broker.
const repoRoot = join(import.meta.dirname, '../..');
const exercises = readdirSync(join(repoRoot, 'workshop/exercises'))
  .filter((name) => /^\d\d-/.test(name))
  .sort();

function applies(patch: string, ...flags: string[]): boolean {
  try {
    execFileSync('git', ['apply', '--check', ...flags, patch], { cwd: repoRoot, stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the workshop’s reference solutions', () => {
  it.each(exercises)('%s: its solution.patch applies to this tree in exactly one direction', (exercise) => {
    const patch = `workshop/exercises/${exercise}/solution.patch`;
    const directions = [applies(patch) && 'forwards', applies(patch, '--reverse') && 'in reverse'];
    expect(directions.filter(Boolean)).toHaveLength(1);
  });
});
