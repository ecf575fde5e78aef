import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: dist is not minified (readable as is), and maps doubled what npm installs.
  sourcemap: false,
  clean: true,
  // Modern output, as Vite 7 builds apps by default ('baseline-widely-available'): class fields and
  // `#private` stay native. An app that targets older browsers (Safari 14) has its bundler lower
  // them; publishing lowered code would make every app pay for the WeakMap helpers. Node 20 runs
  // it as is. Keep equal to BUNDLER_TARGET in bench/size/measure.ts.
  target: ['chrome107', 'edge107', 'firefox104', 'safari16', 'node20'],
  external: ['react', '@lifeline/core'],
  // Every export is client-only: src/index.ts starts with 'use client', which esbuild keeps at the
  // top of both bundles. No banner on top of it: two directives made Vite warn twice per build
  // (scripts/dist.test.ts checks there is exactly one).
});
