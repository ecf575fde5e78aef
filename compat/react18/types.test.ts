// @vitest-environment node
/**
 * The typecheck half of this project is only worth having if its tsconfig really resolves React's
 * declarations to the 18 ones in this folder; resolve each module the bindings import the way tsc
 * does and read the version of the package it lands in.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const tsconfig = fileURLToPath(new URL('tsconfig.json', import.meta.url));
const importer = fileURLToPath(new URL('../../packages/react/src/index.ts', import.meta.url));

function packageOf(file: string): { name: string; version: string } {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name && pkg.version) return { name: pkg.name, version: pkg.version };
    } catch { /* no package.json here */ }
  }
  throw new Error(`no package.json above ${file}`);
}

it('resolves react and react-dom to @types/react(-dom) 18', () => {
  const config = ts.getParsedCommandLineOfConfigFile(tsconfig, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  });
  expect(config?.errors).toEqual([]);
  const resolved = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client'].map((name) => {
    const file = ts.resolveModuleName(name, importer, config!.options, ts.sys).resolvedModule?.resolvedFileName;
    if (!file) throw new Error(`tsc cannot resolve '${name}' with compat/react18/tsconfig.json; run npx -y pnpm@10 install`);
    const { name: pkg, version } = packageOf(file);
    return `${name} → ${pkg}@${version.split('.')[0]}`;
  });
  expect(resolved).toEqual([
    'react → @types/react@18',
    'react/jsx-runtime → @types/react@18',
    'react-dom → @types/react-dom@18',
    'react-dom/client → @types/react-dom@18',
  ]);
});
