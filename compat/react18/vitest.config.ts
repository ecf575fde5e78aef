/**
 * `@lifeline/react` supports React 18 and 19. The root workspace installs 19; this project runs
 * the same test files (packages/react/src/__tests__) with `react`, `react-dom` and
 * `@testing-library/react` taken from this folder, where pnpm installs React 18 with its own peer
 * set. `setup.ts` fails every test if React here is not 18, so the run cannot silently test 19.
 *
 * It also type-checks against `@types/react` 18: vitest `typecheck` runs tsc on `tsconfig.json`,
 * whose `paths` send `react`, `react-dom` and `@testing-library/react` to this folder. That
 * program holds the package's sources (an error there fails the run as a source error), its
 * `*.test-d.tsx` files, and `typetests/types-react18.test-d.tsx`, which only compiles with the 18
 * types; `types.test.ts` checks that the same tsconfig resolves to the 18 declarations.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';
import { alias, shared } from '../../vitest.shared';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const dir = (pkg: string) => dirname(require.resolve(`${pkg}/package.json`));

export default mergeConfig(shared, defineConfig({
  resolve: {
    alias: [
      ...alias,
      { find: /^react(\/.*)?$/, replacement: `${dir('react')}$1` },
      { find: /^react-dom(\/.*)?$/, replacement: `${dir('react-dom')}$1` },
      { find: /^@testing-library\/react$/, replacement: require.resolve('@testing-library/react') },
    ],
  },
  test: {
    name: '@lifeline/react (React 18)',
    environment: 'jsdom',
    dir: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['packages/react/src/**/*.test.tsx', 'compat/react18/*.test.ts'],
    setupFiles: [`${here}/setup.ts`],
    typecheck: {
      enabled: true,
      include: ['packages/react/src/**/*.test-d.tsx', 'packages/react/typetests/**/*.test-d.tsx', 'compat/react18/typetests/*.test-d.tsx'],
      tsconfig: './tsconfig.json',
      ignoreSourceErrors: false,
    },
  },
}));
