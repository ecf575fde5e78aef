/**
 * Bundle-size measurement: bundles a consumer entry with esbuild the way an app's bundler
 * would (browser platform, ESM, minified, tree-shaken; `@lifeline/*` from their TypeScript
 * sources through the `@lifeline/source` export condition), then gzips it with node:zlib
 * (level 9). Everything in `external` is left out of the count.
 */
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SizeEntry {
  readonly name: string;
  /** The consumer module to bundle, e.g. `export * from '@lifeline/core'`. */
  readonly code: string;
  /** Imports left out of the bundle (and of the number). */
  readonly external: readonly string[];
  /** Budget for min+gzip, bytes; none for informational entries. */
  readonly budget?: number;
}

export interface SizeResult {
  readonly name: string;
  readonly minified: number;
  readonly gzip: number;
  /** Input files bundled (relative to the repo root) with their minified bytes in the output, largest first. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly bytes: number }>;
}

/** 1 KB = 1024 bytes. */
export const KB = 1024;

const REACT = ['react', 'react-dom', 'react/jsx-runtime', 'react/jsx-dev-runtime'];

/** The budgets CI holds (see docs/benchmarks.md) and the informational totals. */
export const ENTRIES: readonly SizeEntry[] = [
  { name: '@lifeline/core (without socket.io-client)', code: "export * from '@lifeline/core';", external: ['socket.io-client'], budget: 5 * KB },
  { name: '@lifeline/react (without react, core)', code: "export * from '@lifeline/react';", external: [...REACT, '@lifeline/core'], budget: 1.5 * KB },
  { name: '@lifeline/vue (without vue, core)', code: "export * from '@lifeline/vue';", external: ['vue', '@lifeline/core'], budget: 1.5 * KB },
  { name: 'React app total: core + react + socket.io-client', code: "export * from '@lifeline/core'; export * from '@lifeline/react';", external: REACT },
  { name: 'socket.io-client alone', code: "export * from 'socket.io-client';", external: [] },
];

/** Bundles and measures one entry. Throws when the entry cannot be bundled. */
export async function measure(entry: SizeEntry): Promise<SizeResult> {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: ROOT, loader: 'ts', sourcefile: 'consumer.ts' },
    outfile: 'out.js',
    bundle: true,
    write: false,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    conditions: ['@lifeline/source'],
    external: [...entry.external],
    define: { 'process.env.NODE_ENV': '"production"' },
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  return {
    name: entry.name,
    minified: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    inputs: Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
      .map(([path, v]) => ({ path, bytes: v.bytesInOutput }))
      .filter((i) => i.path !== 'consumer.ts')
      .sort((a, b) => b.bytes - a.bytes),
  };
}

/** The largest contributors, for a failure message: "packages/core/src/ladder.ts 6.7 KB, …" (minified). */
export function topInputs(r: SizeResult, n = 6): string {
  return r.inputs
    .slice(0, n)
    .map((i) => `${i.path.replace(/^.*node_modules\//, '')} ${(i.bytes / 1024).toFixed(1)} KB`)
    .join(', ');
}
