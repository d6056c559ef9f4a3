import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import ts from 'typescript';

const projectRoot = join(import.meta.dirname, '..', '..');
const METRICS_FOLDER = ['src', 'infrastructure', 'observability', 'metrics', ''].join(sep);

/**
 * The files under `<root>/src` that import prom-client outside the metrics adapter's folder. Everything
 * else counts through that folder's classes, so the metrics library could be swapped in one place.
 */
function promClientOutsideItsFolder(root: string): string[] {
  return readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .filter((file) => !file.startsWith(METRICS_FOLDER))
    .filter((file) =>
      ts
        .preProcessFile(readFileSync(join(root, file), 'utf8'), true, true)
        .importedFiles.some(
          ({ fileName }) => fileName === 'prom-client' || fileName.startsWith('prom-client/'),
        ),
    );
}

describe('prom-client stays in src/infrastructure/observability/metrics', () => {
  it('holds for this code base', () => {
    expect(promClientOutsideItsFolder(projectRoot)).toEqual([]);
  });

  it('reports a file elsewhere that imports it', () => {
    const plantedRoot = mkdtempSync(join(tmpdir(), 'metrics-library-'));
    const plant = (path: string, source: string) => {
      mkdirSync(dirname(join(plantedRoot, path)), { recursive: true });
      writeFileSync(join(plantedRoot, path), source);
    };
    plant(
      'src/infrastructure/observability/metrics/service-metrics.ts',
      "import { Counter } from 'prom-client';\n",
    );
    plant('src/interfaces/http/metrics/metrics-router.ts', "import { register } from 'prom-client';\n");
    plant('src/application/order/place-order.ts', "import type { Counter } from 'prom-client';\n");

    try {
      expect(promClientOutsideItsFolder(plantedRoot).sort()).toEqual([
        join('src', 'application', 'order', 'place-order.ts'),
        join('src', 'interfaces', 'http', 'metrics', 'metrics-router.ts'),
      ]);
    } finally {
      rmSync(plantedRoot, { recursive: true, force: true });
    }
  });
});
