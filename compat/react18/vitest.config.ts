/**
 * `@lifeline/react` supports React 18 and 19. The root workspace installs 19; this project runs
 * the same test files (packages/react/src/__tests__) with `react`, `react-dom` and
 * `@testing-library/react` taken from this folder, where pnpm installs React 18 with its own peer
 * set. `setup.ts` fails every test if React here is not 18, so the run cannot silently test 19.
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
    dir: fileURLToPath(new URL('../../packages/react/src', import.meta.url)),
    include: ['**/*.test.tsx'],
    setupFiles: [`${here}/setup.ts`],
  },
}));
