import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'es2020',
  external: ['react', '@lifeline/core'],
  // Every export is client-only; a banner survives bundlers that drop module-level directives.
  banner: { js: "'use client';" },
});
