/**
 * Shared vitest settings for every package: `@lifeline/*` imports resolve to each package's
 * `src/` (the `@lifeline/source` condition in their exports maps), so a fresh clone runs tests
 * with no prior build.
 */
import { fileURLToPath } from 'node:url';
import type { ViteUserConfig } from 'vitest/config';

const pkg = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

export const alias = [
  { find: /^@lifeline\/core$/, replacement: pkg('core/src/index.ts') },
  { find: /^@lifeline\/core\/testing$/, replacement: pkg('core/src/testing.ts') },
  { find: /^@lifeline\/core\/protocols$/, replacement: pkg('core/src/protocols.ts') },
  { find: /^@lifeline\/core\/protocol$/, replacement: pkg('core/src/protocol/index.ts') },
  { find: /^@lifeline\/react$/, replacement: pkg('react/src/index.ts') },
  { find: /^@lifeline\/vue$/, replacement: pkg('vue/src/index.ts') },
  { find: /^@lifeline\/server$/, replacement: pkg('server/src/index.ts') },
  { find: /^@lifeline\/doctor$/, replacement: pkg('doctor/src/index.ts') },
  { find: /^@lifeline\/testkit$/, replacement: pkg('testkit/src/index.ts') },
];

export const shared: ViteUserConfig = {
  resolve: { alias },
  test: {
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
};
