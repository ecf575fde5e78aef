/**
 * Bundle-size measurement: bundles a consumer entry with esbuild the way an app's bundler
 * would (browser platform, ESM, minified, tree-shaken; `@lifeline/*` from their TypeScript
 * sources through the `@lifeline/source` export condition), then gzips it with node:zlib
 * (level 9). Everything in `external` is left out of the count.
 */
import { gzipSync } from 'node:zlib';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface SizeEntry {
  readonly name: string;
  /** The consumer module to bundle, e.g. `export * from '@lifeline/core'`. */
  readonly code: string;
  /** Imports left out of the bundle (and of the number). */
  readonly external: readonly string[];
  /** Target for up-front min+gzip, bytes (the issue's number); none for informational entries. */
  readonly budget?: number;
  /**
   * What CI enforces when it is above `budget`: the size measured when the target was missed,
   * plus a little headroom, so the package cannot grow further unnoticed while the gap is
   * worked on (docs/benchmarks.md says why). Lower it whenever the package shrinks.
   */
  readonly ceiling?: number;
  /** CI limit for the lazily loaded chunks (min+gzip), when the entry has any. */
  readonly lazyCeiling?: number;
}

export interface SizeResult {
  readonly name: string;
  /** Code an app loads up front (the entry and everything it imports statically), minified. */
  readonly minified: number;
  /** The same, gzipped as one file (an app's bundler inlines it into its own chunk). */
  readonly gzip: number;
  /** Chunks loaded only through a dynamic `import()` (e.g. the `http` rung), min+gzip; 0 when none. */
  readonly lazyGzip: number;
  /** Input files in the up-front code (relative to the repo root) with their minified bytes, largest first. */
  readonly inputs: ReadonlyArray<{ readonly path: string; readonly bytes: number }>;
}

/** 1 KB = 1024 bytes. */
export const KB = 1024;

const REACT = ['react', 'react-dom', 'react/jsx-runtime', 'react/jsx-dev-runtime'];

/** The budgets (targets and the ceilings CI holds, see docs/benchmarks.md) and the informational totals. */
export const ENTRIES: readonly SizeEntry[] = [
  // Target 5 KB missed: 13.40 KB up front (+ 4.57 KB http rung, lazy) after the lazy split on
  // 2026-11-25; 14.69 KB the same day after eight ladder fixes whose new failure kinds (silent
  // websocket, unacknowledged CONNECT, Session ID unknown, 502 pages) each carry an actionable hint.
  { name: '@lifeline/core (without socket.io-client)', code: "export * from '@lifeline/core';", external: ['socket.io-client'], budget: 5 * KB, ceiling: 15 * KB, lazyCeiling: 5 * KB },
  { name: '@lifeline/react (without react, core)', code: "export * from '@lifeline/react';", external: [...REACT, '@lifeline/core'], budget: 1.5 * KB },
  { name: '@lifeline/vue (without vue, core)', code: "export * from '@lifeline/vue';", external: ['vue', '@lifeline/core'], budget: 1.5 * KB },
  { name: 'React app total: core + react + socket.io-client', code: "export * from '@lifeline/core'; export * from '@lifeline/react';", external: REACT },
  { name: 'socket.io-client alone', code: "export * from 'socket.io-client';", external: [] },
];

/**
 * Bundles and measures one entry, with code splitting as an app's bundler does it: what is
 * reachable through static imports counts as up front; chunks behind a dynamic `import()` are
 * reported apart. Throws when the entry cannot be bundled.
 */
export async function measure(entry: SizeEntry): Promise<SizeResult> {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: ROOT, loader: 'ts', sourcefile: 'consumer.ts' },
    outdir: 'out',
    bundle: true,
    splitting: true,
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
  const outputs = result.metafile.outputs;
  const eager = new Set<string>();
  const visit = (path: string) => {
    if (eager.has(path) || !outputs[path]) return;
    eager.add(path);
    for (const i of outputs[path]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(Object.keys(outputs).find((k) => outputs[k]!.entryPoint === 'consumer.ts')!);
  const contents = (want: boolean) => {
    const files = result.outputFiles.filter((f) => eager.has(relative(ROOT, f.path)) === want);
    return Buffer.concat(files.map((f) => f.contents));
  };
  const up = contents(true);
  const lazy = contents(false);
  const inputs = new Map<string, number>();
  for (const path of eager) for (const [input, v] of Object.entries(outputs[path]!.inputs)) inputs.set(input, (inputs.get(input) ?? 0) + v.bytesInOutput);
  return {
    name: entry.name,
    minified: up.byteLength,
    gzip: gzipSync(up, { level: 9 }).byteLength,
    lazyGzip: lazy.byteLength ? gzipSync(lazy, { level: 9 }).byteLength : 0,
    inputs: [...inputs]
      .map(([path, bytes]) => ({ path, bytes }))
      .filter((i) => i.path !== 'consumer.ts' && i.bytes > 0)
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

/** The limit CI enforces for an entry's up-front size: its ceiling when it has one, else its budget. */
export function enforced(entry: SizeEntry): number | undefined {
  return entry.ceiling ?? entry.budget;
}
