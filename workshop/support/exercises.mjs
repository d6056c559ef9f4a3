import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

const repoRoot = join(import.meta.dirname, '../..');
const exercisesDir = join(repoRoot, 'workshop/exercises');

/** Every exercise, in order: its number, title, README, reference solution, checker, and the next one. */
export async function loadExercises() {
  const folders = readdirSync(exercisesDir)
    .filter((name) => /^\d\d-/.test(name))
    .sort();
  return Promise.all(
    folders.map(async (folder, index) => {
      const dir = join(exercisesDir, folder);
      const { exercise } = await import(join(dir, 'check.mjs'));
      return {
        ...exercise,
        number: Number(folder.slice(0, 2)),
        readme: relative(repoRoot, join(dir, 'README.md')),
        solution: relative(repoRoot, join(dir, 'solution.patch')),
        next: folders[index + 1] && `workshop/exercises/${folders[index + 1]}/README.md`,
      };
    }),
  );
}
