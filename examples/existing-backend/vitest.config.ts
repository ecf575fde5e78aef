import { defineConfig, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

export default mergeConfig(shared, defineConfig({
  test: { name: 'example-existing-backend', environment: 'node', include: ['e2e/**/*.test.ts'], testTimeout: 60_000 },
}));
