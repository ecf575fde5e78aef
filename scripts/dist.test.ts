/**
 * Build smoke test (STYLE.md §11): what users install must work, not just what tests import
 * from src/. Builds every published package with tsup, then checks the artifacts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const published = ['core', 'react', 'vue', 'server', 'doctor'] as const;
const bin = (name: string) => join(root, 'node_modules/.bin', name);

describe('published packages', () => {
  beforeAll(() => {
    for (const p of published) execFileSync(bin('tsup'), [], { cwd: join(root, 'packages', p), stdio: 'pipe' });
  });

  it.each(published)('@lifeline/%s builds ESM, CJS and types for every export', (p) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8'));
    for (const [sub, entry] of Object.entries<Record<string, { types: string; default: string }>>(pkg.exports)) {
      if (sub === './package.json') continue;
      for (const cond of ['import', 'require'] as const) {
        expect(existsSync(join(root, 'packages', p, entry[cond]!.types)), `${p} ${sub} ${cond} types`).toBe(true);
        expect(existsSync(join(root, 'packages', p, entry[cond]!.default)), `${p} ${sub} ${cond}`).toBe(true);
      }
    }
    expect(pkg.sideEffects).toBe(false);
  });

  it.each(published)('@lifeline/%s passes publint --strict', async (p) => {
    const { publint } = await import('publint');
    const { messages } = await publint({ pkgDir: join(root, 'packages', p), strict: true, level: 'warning', pack: 'npm' });
    expect(messages.map((m) => `${m.code} ${m.path.join('.')}`)).toEqual([]);
  });

  it.each(published)('@lifeline/%s: arethetypeswrong finds no problem, every subpath resolves under node10 too', (p) => {
    // Built in beforeAll: its `npm pack` skips prepack (a second build of the same sources).
    const r = spawnSync(bin('attw'), ['--pack', '.', '--format', 'json'], { cwd: join(root, 'packages', p), encoding: 'utf8', timeout: 120_000, env: { ...process.env, npm_config_ignore_scripts: 'true' } });
    const report = JSON.parse(r.stdout) as { analysis: { problems?: Array<{ kind: string; entrypoint?: string; resolutionKind?: string }> } };
    expect(report.analysis.problems ?? []).toEqual([]);
  });

  it('@lifeline/core installs what users need: no source maps, no tests, and CJS subpaths share the client (testing does not repeat it)', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: join(root, 'packages/core'), encoding: 'utf8' });
    const [pack] = JSON.parse(r.stdout) as Array<{ size: number; unpackedSize: number; files: Array<{ path: string }> }>;
    const paths = pack!.files.map((f) => f.path);
    expect(paths.filter((f) => f.endsWith('.map') || /__tests__|\.test\.ts$/.test(f))).toEqual([]);
    console.log(`[pack] @lifeline/core: ${(pack!.size / 1024).toFixed(0)} KB packed, ${(pack!.unpackedSize / 1024).toFixed(0)} KB unpacked, ${paths.length} files`);
    // One copy of the client in CJS: a client made by index.cjs is inspectable by testing.cjs.
    const req = createRequire(import.meta.url);
    const core = req(join(root, 'packages/core/dist/index.cjs'));
    const testing = req(join(root, 'packages/core/dist/testing.cjs'));
    const client = core.createClient({ url: 'http://127.0.0.1:9', autoConnect: false });
    expect(testing.inspectClient(client)).toMatchObject({ sockets: 0 });
    client.close();
  });

  it('@lifeline/react starts both bundles with the use client directive, exactly once (two made Vite warn twice)', () => {
    for (const f of ['index.js', 'index.cjs']) {
      const text = readFileSync(join(root, 'packages/react/dist', f), 'utf8');
      // The directive prologue: the string-literal statements the file starts with ("use strict" in CJS).
      const prologue = /^(?:\s*(['"])use [a-z]+\1;?)*/.exec(text)![0];
      expect(prologue.match(/['"]use client['"]/g), `${f}: use client in the directive prologue`).toHaveLength(1);
      expect(text.match(/['"]use client['"]/g), `${f}: use client in the whole file`).toHaveLength(1);
    }
  });

  it.each(published)('@lifeline/%s builds when packed (prepack), so a pack cannot ship a stale or missing dist', (p) => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages', p, 'package.json'), 'utf8'));
    expect(pkg.scripts?.prepack).toBe('pnpm run build');
  });

  it('pnpm pack of @lifeline/react without a dist ships one, built by prepack', () => {
    const dir = join(root, 'packages/react');
    const out = mkdtempSync(join(tmpdir(), 'lifeline-pack-'));
    try {
      rmSync(join(dir, 'dist'), { recursive: true, force: true });
      execFileSync('pnpm', ['pack', '--pack-destination', out], { cwd: dir, stdio: 'pipe' });
      const tgz = readdirSync(out).find((f) => f.endsWith('.tgz'))!;
      const files = execFileSync('tar', ['tzf', join(out, tgz)], { encoding: 'utf8' }).split('\n');
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      const wanted = [pkg.main, pkg.module, pkg.types, pkg.exports['.'].require.types].map((f: string) => `package/${f.replace(/^\.\//, '')}`);
      expect(wanted.filter((f) => !files.includes(f))).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('@lifeline/core loads from dist in plain Node, as ESM and as CJS', async () => {
    const esm = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
    const cjs = createRequire(import.meta.url)(join(root, 'packages/core/dist/index.cjs'));
    for (const mod of [esm, cjs]) {
      expect(typeof mod.createClient).toBe('function');
      const e = new mod.LifelineError('CLOSED', 'x');
      expect(await mod.loadHints()).toBe(true); // the hint texts are a chunk of their own
      expect(e.hint).toMatch(/close\(\)/);
    }
  });

  it('@lifeline/doctor ships its bin with a hashbang, and it runs in plain Node', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'packages/doctor/package.json'), 'utf8'));
    const cli = join(root, 'packages/doctor', pkg.bin['lifeline-doctor']);
    expect(readFileSync(cli, 'utf8').split('\n')[0]).toBe('#!/usr/bin/env node');
    const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: lifeline-doctor <url>/);
    const bad = spawnSync(process.execPath, [cli, 'not-a-url'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
  });

  it('the whole repository type-checks (sources, tests, docs snippets, benchmarks)', () => {
    const r = spawnSync(bin('tsc'), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
    expect(r.stdout + r.stderr).toBe('');
  });
});
