import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// The benchmark runs the compiled service, so it imports dist/, which tsc never sees from bench/. All of
// those imports sit in one file, bench/support/built-service.mjs; this test reads its list and checks
// that src/ still exports every name, so renaming something in src fails here rather than mid-benchmark.

const root = join(import.meta.dirname, '../..');
const seamFile = 'bench/support/built-service.mjs';

/** `export { A, B } from '../../dist/x.js'` → { sourceFile: 'src/x.ts', names: ['A', 'B'] } */
function reExports(source: string) {
  return [...source.matchAll(/export\s*\{([^}]*)\}\s*from\s*'\.\.\/\.\.\/dist\/([^']+)\.js'/g)].map(
    ([, names = '', path = '']) => ({
      sourceFile: `src/${path}.ts`,
      names: names
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    }),
  );
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

describe(seamFile, () => {
  const seam = reExports(readFileSync(join(root, seamFile), 'utf8'));

  it('re-exports from dist/', () => {
    expect(seam.length).toBeGreaterThan(0);
  });

  it.each(seam)('$sourceFile exports every name the bench takes from it', async ({ sourceFile, names }) => {
    const module = (await import(join(root, sourceFile))) as Record<string, unknown>;
    for (const name of names) expect({ name, exported: name in module }).toEqual({ name, exported: true });
  });

  it('is the only file of the bench that imports dist/', () => {
    const importers = filesUnder('bench')
      .filter((file) => file.endsWith('.mjs'))
      .filter((file) => /from '(\.\.\/)+dist\//.test(readFileSync(join(root, file), 'utf8')));
    expect(importers.map((file) => relative(root, join(root, file)))).toEqual([seamFile]);
  });
});
