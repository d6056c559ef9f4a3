import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

// Some tooling runs the compiled service and imports dist/, which tsc never sees from outside src/: the
// benchmark (all of it through bench/support/built-service.mjs) and a workshop checker that calls a class
// itself. This test finds every such import, reads the names it takes, and checks that src/ still exports
// each of them, so renaming something in src fails here rather than mid-benchmark or in a learner's check.

const root = join(import.meta.dirname, '../..');
const toolingFolders = ['bench', 'demos', 'lab', 'scripts', 'workshop'];
const benchSeam = 'bench/support/built-service.mjs';

// `export { A, B } from '../../dist/x.js'`, `import { A } from '../dist/x.js'`, and
// `const { A } = await import(join(import.meta.dirname, '../../dist/x.js'))`.
const staticImport = /(?:export|import)\s*\{([^}]*)\}\s*from\s*'(?:\.\.\/)+dist\/([^']+)\.js'/g;
const dynamicImport =
  /const\s*\{([^}]*)\}\s*=\s*await import\(\s*(?:join\(import\.meta\.dirname,\s*)?'(?:\.\.\/)+dist\/([^']+)\.js'/g;
/** Any import of dist/, in whatever form: each one must be one of the two above, so none goes unchecked. */
const anyDistImport = /(?:from\s*|import\((?:\s*join\(import\.meta\.dirname,)?\s*)'(?:\.\.\/)+dist\//g;

interface DistImport {
  readonly file: string;
  readonly sourceFile: string;
  readonly names: string[];
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules') return [];
    return entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)];
  });
}

/** `A, B as C` (or `A, B: C` in a destructuring) → ['A', 'B']: the names as src/ exports them. */
function exportedNames(list: string): string[] {
  return list
    .split(',')
    .map((name) => name.trim().split(/\s+as\s+|\s*:\s*/)[0] ?? '')
    .filter(Boolean);
}

function distImportsOf(file: string, source: string): DistImport[] {
  return [...source.matchAll(staticImport), ...source.matchAll(dynamicImport)].map(
    ([, names = '', path = '']) => ({ file, sourceFile: `src/${path}.ts`, names: exportedNames(names) }),
  );
}

const toolingFiles = toolingFolders
  .flatMap((folder) => filesUnder(folder))
  .filter((file) => file.endsWith('.mjs'))
  .map((file) => ({ file, source: readFileSync(join(root, file), 'utf8') }));
const distImports = toolingFiles.flatMap(({ file, source }) => distImportsOf(file, source));

describe('tooling that imports the compiled service (dist/)', () => {
  it('imports it in a form this test reads: every import of dist/ names what it takes', () => {
    const unread = toolingFiles
      .filter(
        ({ file, source }) =>
          (source.match(anyDistImport) ?? []).length !== distImportsOf(file, source).length,
      )
      .map(({ file }) => file);
    expect(unread).toEqual([]);
    expect(distImports.map(({ file }) => file)).toEqual(
      expect.arrayContaining([benchSeam, 'workshop/exercises/05-retry-with-backoff/check.mjs']),
    );
  });

  it.each(distImports)('$file: $sourceFile exports every name it takes', async ({ sourceFile, names }) => {
    expect(names.length).toBeGreaterThan(0);
    const module = (await import(join(root, sourceFile))) as Record<string, unknown>;
    for (const name of names) expect({ name, exported: name in module }).toEqual({ name, exported: true });
  });

  it(`leaves one file of the bench importing dist/: ${benchSeam}`, () => {
    const benchImporters = new Set(
      distImports.map(({ file }) => file).filter((file) => file.startsWith('bench/')),
    );
    expect([...benchImporters]).toEqual([benchSeam]);
  });
});
