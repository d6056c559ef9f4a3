import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

export type Zone = 'domain' | 'application' | 'infrastructure' | 'interfaces' | 'composition root';

interface ZoneRule {
  /** Zones (besides its own) this zone may import from. */
  readonly mayImport: readonly Zone[];
  /** npm packages it may import: `true` for any, or a list. Node built-ins count as packages. */
  readonly mayImportPackages: true | readonly string[];
}

/**
 * The dependency rule of the hexagon. Dependencies point inwards: the domain knows nothing else; the
 * application knows the domain (and inversify's decorators); adapters know both, but not each other's
 * side. Only the composition root, which wires everything, sees every zone.
 */
export const zoneRules: Readonly<Record<Zone, ZoneRule>> = {
  domain: { mayImport: [], mayImportPackages: [] },
  application: { mayImport: ['domain'], mayImportPackages: ['inversify'] },
  interfaces: { mayImport: ['domain', 'application'], mayImportPackages: true },
  infrastructure: { mayImport: ['domain', 'application'], mayImportPackages: true },
  'composition root': {
    mayImport: ['domain', 'application', 'infrastructure', 'interfaces'],
    mayImportPackages: true,
  },
};

/** Paths under src/ that are the composition root (or another entry point) rather than a layer. */
const compositionRoot = [`infrastructure${sep}di${sep}`, 'main.ts', 'outbox-cli.ts', 'database-cli.ts'];

export interface Violation {
  readonly file: string;
  readonly imported: string;
  readonly rule: string;
}

/** Checks every TypeScript file under `<root>/src` against `zoneRules`. */
export function findLayerViolations(root: string): Violation[] {
  const sourceRoot = join(root, 'src');
  return typeScriptFiles(sourceRoot).flatMap((file) => {
    const zone = zoneOf(file, sourceRoot);
    return zone === undefined ? [] : violationsIn(file, zone, sourceRoot, root);
  });
}

function violationsIn(file: string, zone: Zone, sourceRoot: string, root: string): Violation[] {
  const rule = zoneRules[zone];
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles.flatMap(({ fileName: imported }): Violation[] => {
    const where = { file: relative(root, file), imported };
    if (imported.startsWith('.')) {
      const target = zoneOf(resolve(dirname(file), imported), sourceRoot);
      if (target === zone || (target !== undefined && rule.mayImport.includes(target))) return [];
      return [{ ...where, rule: `${zone} must not import ${target ?? 'code outside the layers'}` }];
    }
    const packageName = imported.startsWith('@')
      ? imported.split('/').slice(0, 2).join('/')
      : imported.split('/')[0]!;
    if (rule.mayImportPackages === true || rule.mayImportPackages.includes(packageName)) return [];
    return [{ ...where, rule: `${zone} must not import the package "${packageName}"` }];
  });
}

function zoneOf(path: string, sourceRoot: string): Zone | undefined {
  const fromSource = relative(sourceRoot, path).replace(/\.js$/, '.ts');
  if (compositionRoot.some((prefix) => fromSource.startsWith(prefix))) return 'composition root';
  const top = fromSource.split(sep)[0];
  return top !== undefined && top in zoneRules && top !== 'composition root' ? (top as Zone) : undefined;
}

function typeScriptFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
