// @vitest-environment node
/**
 * The typecheck half of this project is only worth having if its tsconfig really resolves React's
 * declarations to the 18 ones in this folder; resolve each module the bindings import the way tsc
 * does and read the version of the package it lands in.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { typesResolver } from '../resolveTypes';

const tsconfig = fileURLToPath(new URL('tsconfig.json', import.meta.url));
const importer = fileURLToPath(new URL('../../packages/react/src/index.ts', import.meta.url));

it('resolves react and react-dom to @types/react(-dom) 18', () => {
  const types = typesResolver(tsconfig, 'compat/react18');
  const resolved = ['react', 'react/jsx-runtime', 'react-dom', 'react-dom/client'].map((name) => types.describe(name, types.file(name, importer), 1));
  expect(resolved).toEqual([
    'react → @types/react@18',
    'react/jsx-runtime → @types/react@18',
    'react-dom → @types/react-dom@18',
    'react-dom/client → @types/react-dom@18',
  ]);
});
