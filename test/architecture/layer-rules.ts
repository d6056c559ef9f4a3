import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type Layer = 'domain' | 'application' | 'infrastructure' | 'interfaces';

interface LayerRule {
  /** Layers (besides its own) this layer may import from. */
  readonly mayImportLayers: readonly Layer[];
  /** npm packages it may import: `true` for any, or a list. Node built-ins count as packages. */
  readonly mayImportPackages: true | readonly string[];
}

/**
 * The dependency rule of the hexagon. Dependencies point inwards: the domain knows nothing else;
 * the application knows the domain (and inversify's decorators); adapters know both.
 */
export const layerRules: Readonly<Record<Layer, LayerRule>> = {
  domain: { mayImportLayers: [], mayImportPackages: [] },
  application: { mayImportLayers: ['domain'], mayImportPackages: ['inversify'] },
  interfaces: { mayImportLayers: ['domain', 'application'], mayImportPackages: true },
  infrastructure: { mayImportLayers: ['domain', 'application', 'interfaces'], mayImportPackages: true },
};

export interface Violation {
  readonly file: string;
  readonly imported: string;
  readonly rule: string;
}

/** Checks every TypeScript file under `<root>/src/<layer>/` against `layerRules`. */
export function findLayerViolations(root: string): Violation[] {
  const sourceRoot = join(root, 'src');
  return (Object.keys(layerRules) as Layer[]).flatMap((layer) =>
    typeScriptFiles(join(sourceRoot, layer)).flatMap((file) => violationsIn(file, layer, sourceRoot, root)),
  );
}

function violationsIn(file: string, layer: Layer, sourceRoot: string, root: string): Violation[] {
  const rule = layerRules[layer];
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName: imported }): Violation[] => {
    const where = { file: relative(root, file), imported };
    if (imported.startsWith('.')) {
      const target = layerOf(resolve(dirname(file), imported), sourceRoot);
      if (target === undefined || target === layer) return [];
      if (target !== 'outside src' && rule.mayImportLayers.includes(target)) return [];
      return [{ ...where, rule: `${layer} must not import ${target}` }];
    }
    const packageName = imported.startsWith('@')
      ? imported.split('/').slice(0, 2).join('/')
      : imported.split('/')[0]!;
    if (rule.mayImportPackages === true || rule.mayImportPackages.includes(packageName)) return [];
    return [{ ...where, rule: `${layer} must not import the package "${packageName}"` }];
  });
}

function layerOf(path: string, sourceRoot: string): Layer | 'outside src' | undefined {
  const fromSource = relative(sourceRoot, path);
  if (fromSource.startsWith('..')) return 'outside src';
  const top = fromSource.split(sep)[0] as Layer;
  return top in layerRules ? top : undefined;
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
