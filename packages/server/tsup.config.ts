import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  // No source maps: dist is not minified (readable as is), and maps doubled what npm installs.
  sourcemap: false,
  clean: true,
  target: 'node20',
  platform: 'node',
  external: ['socket.io', 'redis'],
  // The wire protocol (ids, names, shapes) is written once in @lifeline/core/protocol and bundled in:
  // the server does not depend on the client package at runtime.
  noExternal: ['@lifeline/core'],
});
