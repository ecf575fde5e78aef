/**
 * Documentation checks: the code in docs/react.md and docs/vue.md is the type-checked code in
 * docs/snippets (the repo type-check covers those files), every hook and composable has a
 * snippet, and relative links in README.md and docs/ point at files that exist.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (p: string) => readFileSync(join(root, p), 'utf8');

/** Runtime names a package's index exports (`export { a, b } from …`, not `export type`). */
function runtimeExports(indexPath: string): string[] {
  const names: string[] = [];
  for (const m of read(indexPath).matchAll(/^export \{([^}]+)\} from/gm)) names.push(...m[1]!.split(',').map((s) => s.trim()).filter(Boolean));
  return names;
}

describe('docs', () => {
  it('the code blocks in docs/react.md, docs/vue.md and docs/concepts.md match docs/snippets (node docs/snippets/embed.mjs to update)', () => {
    const r = spawnSync(process.execPath, ['docs/snippets/embed.mjs', '--check'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it.each([
    ['react', 'packages/react/src/index.ts', 'tsx'],
    ['vue', 'packages/vue/src/index.ts', 'ts'],
  ] as const)('every %s hook has a type-checked snippet embedded in its guide', (name, index, ext) => {
    const doc = read(`docs/${name}.md`);
    const hooks = runtimeExports(index).filter((n) => n.startsWith('use'));
    expect(hooks.length).toBeGreaterThan(5);
    for (const hook of hooks) {
      expect(existsSync(join(root, `docs/snippets/${name}/${hook}.${ext}`)), `docs/snippets/${name}/${hook}.${ext}`).toBe(true);
      expect(doc, `docs/${name}.md embeds ${hook}`).toContain(`<!-- snippet: ${name}/${hook}.${ext} -->`);
    }
  });

  it('relative links in README.md and docs/*.md point at files that exist', () => {
    const files = ['README.md', ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    const broken: string[] = [];
    for (const file of files) {
      for (const m of read(file).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1]!.split('#')[0]!;
        if (!target || /^[a-z]+:/i.test(target)) continue;
        if (!existsSync(join(root, dirname(file), target))) broken.push(`${file} → ${m[1]}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
