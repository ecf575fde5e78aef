import { defineConfig } from 'vitest/config';

// Repository checks: the published packages build, pass publint, load in ESM and CJS, and the
// whole repo (docs snippets included) type-checks.
export default defineConfig({
  test: { name: 'repo', environment: 'node', include: ['*.test.ts'], testTimeout: 240_000, hookTimeout: 240_000 },
});
