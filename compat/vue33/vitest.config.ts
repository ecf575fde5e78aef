/**
 * `@lifeline/vue` declares `vue >= 3.3`. The root workspace installs the newest 3.x; this project
 * runs the same test files (packages/vue/src/__tests__) with `vue`, `@vue/server-renderer` (the
 * exact version vue 3.3 depends on) and `@testing-library/vue` taken from this folder. `setup.ts`
 * fails every test if Vue here is not 3.3, so the run cannot silently test the newest version.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { alias, shared } from '../../vitest.shared';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const fromVue = createRequire(require.resolve('vue'));

export default mergeConfig(shared, defineConfig({
  resolve: {
    alias: [
      ...alias,
      { find: /^vue$/, replacement: require.resolve('vue') },
      { find: /^@vue\/server-renderer$/, replacement: fromVue.resolve('@vue/server-renderer') },
      { find: /^@testing-library\/vue$/, replacement: require.resolve('@testing-library/vue') },
    ],
  },
  test: {
    name: '@lifeline/vue (Vue 3.3)',
    environment: 'jsdom',
    dir: fileURLToPath(new URL('../../packages/vue/src', import.meta.url)),
    include: ['**/*.test.ts'],
    setupFiles: [`${here}/setup.ts`],
  },
}));
