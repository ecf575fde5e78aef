import { defineConfig, mergeConfig } from 'vitest/config';
import { shared } from '../../vitest.shared';

export default mergeConfig(shared, defineConfig({
  test: {
    name: '@lifeline/vue',
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    typecheck: { enabled: true, include: ['src/**/*.test-d.ts', 'src/**/*.test-d.tsx', 'typetests/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
  },
}));
