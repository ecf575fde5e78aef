import { defineConfig } from 'vitest/config';

// Only the size budgets run as tests (they fail CI when exceeded); the other benchmarks print
// numbers through `pnpm bench` and never fail a build.
export default defineConfig({
  test: {
    name: 'bench',
    environment: 'node',
    include: ['size/size.test.ts', 'size/hints.test.ts'],
    testTimeout: 60_000,
  },
});
