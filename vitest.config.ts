import { defineConfig } from 'vitest/config';

// Each package keeps its own config (environment, typecheck); this file only lists them.
export default defineConfig({
  test: {
    projects: ['packages/*/vitest.config.ts', 'examples/*/vitest.config.ts', 'compat/*/vitest.config.ts', '{bench,scripts}/vitest.config.ts'],
  },
});
