/**
 * What an npm user installs, for the size measurement: each browser package is built with its
 * own `tsup.config.ts` (the published build, without type declarations) into a private
 * `node_modules` under `.tmp/`, next to a copy of its `package.json`, so an app's bundler
 * resolves `@lifeline/*` through the `exports` map to the built `dist`, exactly as it would from
 * the registry. Built once per process, into a directory of its own (tests and `pnpm size` may run
 * at the same time), removed when the process exits.
 */
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Options } from 'tsup';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The packages an app's bundler sees (the server and doctor run in Node). */
export const BROWSER_PACKAGES = ['core', 'react', 'vue'] as const;

let built: Promise<string> | undefined;

/**
 * Builds the browser packages as published and returns the directory to resolve imports from
 * (its `node_modules/@lifeline/*` hold the built packages; anything else resolves from the
 * repository's `node_modules` further up).
 */
export function builtPackages(): Promise<string> {
  built ??= buildAll();
  return built;
}

async function buildAll(): Promise<string> {
  const dir = join(ROOT, '.tmp', `size-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const { build } = await import('tsup');
  for (const name of BROWSER_PACKAGES) {
    const pkgDir = join(ROOT, 'packages', name);
    const out = join(dir, 'node_modules', '@lifeline', name);
    mkdirSync(out, { recursive: true });
    copyFileSync(join(pkgDir, 'package.json'), join(out, 'package.json'));
    const config = ((await import(pathToFileURL(join(pkgDir, 'tsup.config.ts')).href)) as { default: Options }).default;
    const entries: Array<[string, string]> = Array.isArray(config.entry)
      ? config.entry.map((e) => [basename(e, extname(e)), e])
      : Object.entries(config.entry ?? {});
    await build({
      ...config,
      entry: Object.fromEntries(entries.map(([name, e]) => [name, join(pkgDir, e)])),
      tsconfig: join(pkgDir, 'tsconfig.json'),
      outDir: join(out, 'dist'),
      dts: false,
      sourcemap: false,
      silent: true,
      config: false,
    });
  }
  return dir;
}
