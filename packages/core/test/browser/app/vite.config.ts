import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page of crossOrigin.test.ts: @lifeline/core from its sources.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { alias: { '@lifeline/core': fileURLToPath(new URL('../../../src/index.ts', import.meta.url)) } },
});
