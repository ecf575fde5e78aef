import { defineConfig } from 'tsup';

// Two builds: the library (ESM + CJS + types) and the bin (ESM only, with a hashbang). tsup runs
// them in parallel, so the library's `clean` spares the bin's files and the bin does not clean.
export default defineConfig([
  {
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps: dist is not minified (readable as is), and maps doubled what npm installs.
  sourcemap: false,
    clean: ['!cli.js', '!cli.js.map'],
    target: 'node20',
    platform: 'node',
    external: ['socket.io-client', '@lifeline/core'],
  },
  {
    entry: ['src/cli.ts'],
    format: ['esm'],
    // No source maps: dist is not minified (readable as is), and maps doubled what npm installs.
  sourcemap: false,
    clean: false,
    target: 'node20',
    platform: 'node',
    banner: { js: '#!/usr/bin/env node' },
    external: ['socket.io-client', '@lifeline/core'],
  },
]);
