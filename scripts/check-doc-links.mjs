// `npm run docs:links` (part of `npm run lint`): every relative link in the project's Markdown files must
// point at a file that exists, and every #anchor at a heading of that file, as GitHub renders them.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const repoRoot = join(import.meta.dirname, '..');

const markdownFiles = execFileSync(
  'git',
  ['ls-files', '--cached', '--others', '--exclude-standard', '*.md'],
  {
    cwd: repoRoot,
    encoding: 'utf8',
  },
)
  .split('\n')
  .filter(Boolean)
  .map((file) => join(repoRoot, file))
  .filter((file) => existsSync(file));

/** The text outside fenced code blocks and inline code: links shown as code are not links. */
function proseOf(markdown) {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens; repeats get -1, -2… */
function anchorsOf(file) {
  const seen = new Map();
  const anchors = new Set();
  for (const [, heading] of proseOf(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

const broken = [];
for (const file of markdownFiles) {
  const text = proseOf(readFileSync(file, 'utf8'));
  for (const [, target] of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
    if (/^[a-z][a-z+.-]*:/i.test(target)) continue; // https:, mailto:…
    const [path, anchor] = target.split('#');
    const resolved = path === '' ? file : join(dirname(file), decodeURIComponent(path));
    const where = `${relative(repoRoot, file)}: (${target})`;
    if (!existsSync(resolved)) {
      broken.push(`${where} → no such file`);
    } else if (
      anchor &&
      resolved.endsWith('.md') &&
      statSync(resolved).isFile() &&
      !anchorsOf(resolved).has(anchor)
    ) {
      broken.push(`${where} → no heading #${anchor} in ${relative(repoRoot, resolved)}`);
    }
  }
}

if (broken.length > 0) {
  console.error(`Broken links in the docs:\n${broken.map((line) => `  ${line}`).join('\n')}`);
  process.exitCode = 1;
} else {
  console.log(`docs: every relative link in ${markdownFiles.length} Markdown files resolves`);
}
