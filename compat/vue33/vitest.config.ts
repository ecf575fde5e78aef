/**
 * `@lifeline/vue` declares `vue >= 3.3`. The root workspace installs the newest 3.x; this project
 * runs the same test files (packages/vue/src/__tests__) with `vue`, `@vue/server-renderer` (the
 * exact version vue 3.3 depends on) and `@testing-library/vue` taken from this folder. `setup.ts`
 * fails every test if Vue here is not 3.3, so the run cannot silently test the newest version.
 *
 * It also type-checks against Vue 3.3's declarations: vitest `typecheck` runs tsc on
 * `tsconfig.json`, whose `paths` send `vue`, `@vue/server-renderer` and `@testing-library/vue` to
 * this folder. That program holds the package's sources (an error there fails the run as a
 * source error), its `*.test-d.ts` files, and `typetests/types-vue33.test-d.ts`, which only
 * compiles with the 3.3 types; `types.test.ts` checks that the same tsconfig resolves to 3.3.
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
    dir: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['packages/vue/src/**/*.test.ts', 'compat/vue33/*.test.ts'],
    setupFiles: [`${here}/setup.ts`],
    typecheck: {
      enabled: true,
      include: ['packages/vue/src/**/*.test-d.ts', 'packages/vue/typetests/**/*.test-d.ts', 'compat/vue33/typetests/*.test-d.ts'],
      tsconfig: './tsconfig.json',
      ignoreSourceErrors: false,
    },
  },
}));
