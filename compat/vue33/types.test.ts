// @vitest-environment node
/**
 * The typecheck half of this project is only worth having if its tsconfig really resolves Vue's
 * declarations to the 3.3 ones in this folder; resolve `vue` and the `@vue/*` declarations it
 * re-exports the way tsc does and read the version of each package.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { typesResolver } from '../resolveTypes';

const tsconfig = fileURLToPath(new URL('tsconfig.json', import.meta.url));
const importer = fileURLToPath(new URL('../../packages/vue/src/index.ts', import.meta.url));

it('resolves vue and the @vue/* packages behind it to 3.3', () => {
  const types = typesResolver(tsconfig, 'compat/vue33');
  // Each declaration file re-exports the next one: vue → runtime-dom → runtime-core → reactivity.
  const vue = types.file('vue', importer);
  const runtimeDom = types.file('@vue/runtime-dom', vue);
  const runtimeCore = types.file('@vue/runtime-core', runtimeDom);
  const resolved = [
    ['vue', vue],
    ['@vue/server-renderer', types.file('@vue/server-renderer', importer)],
    ['@vue/runtime-dom', runtimeDom],
    ['@vue/runtime-core', runtimeCore],
    ['@vue/reactivity', types.file('@vue/reactivity', runtimeCore)],
  ].map(([name, file]) => types.describe(name!, file!, 2));
  expect(resolved).toEqual([
    'vue → vue@3.3',
    '@vue/server-renderer → @vue/server-renderer@3.3',
    '@vue/runtime-dom → @vue/runtime-dom@3.3',
    '@vue/runtime-core → @vue/runtime-core@3.3',
    '@vue/reactivity → @vue/reactivity@3.3',
  ]);
});
