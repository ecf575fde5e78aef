// @vitest-environment node
/**
 * The typecheck half of this project is only worth having if its tsconfig really resolves Vue's
 * declarations to the 3.3 ones in this folder; resolve `vue` and the `@vue/*` declarations it
 * re-exports the way tsc does and read the version of each package.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const tsconfig = fileURLToPath(new URL('tsconfig.json', import.meta.url));
const importer = fileURLToPath(new URL('../../packages/vue/src/index.ts', import.meta.url));

function packageOf(file: string): { name: string; version: string } {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch { /* no package.json here */ }
  }
  throw new Error(`no package.json above ${file}`);
}

it('resolves vue and the @vue/* packages behind it to 3.3', () => {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  expect(config?.errors).toEqual([]);
  const resolve = (name: string, from: string): string => {
    const file = ts.resolveModuleName(name, from, config!.options, ts.sys).resolvedModule?.resolvedFileName;
    if (!file) throw new Error(`tsc cannot resolve '${name}' with compat/vue33/tsconfig.json; run npx -y pnpm@10 install`);
    return file;
  };
  // Each declaration file re-exports the next one: vue → runtime-dom → runtime-core → reactivity.
  const vue = resolve('vue', importer);
  const runtimeDom = resolve('@vue/runtime-dom', vue);
  const runtimeCore = resolve('@vue/runtime-core', runtimeDom);
  const resolved = [
    ['vue', vue],
    ['@vue/server-renderer', resolve('@vue/server-renderer', importer)],
    ['@vue/runtime-dom', runtimeDom],
    ['@vue/runtime-core', runtimeCore],
    ['@vue/reactivity', resolve('@vue/reactivity', runtimeCore)],
  ].map(([name, file]) => {
    const { name: pkg, version } = packageOf(file!);
    return `${name} → ${pkg}@${version.split('.').slice(0, 2).join('.')}`;
  });
  expect(resolved).toEqual([
    'vue → vue@3.3',
    '@vue/server-renderer → @vue/server-renderer@3.3',
    '@vue/runtime-dom → @vue/runtime-dom@3.3',
    '@vue/runtime-core → @vue/runtime-core@3.3',
    '@vue/reactivity → @vue/reactivity@3.3',
  ]);
});
