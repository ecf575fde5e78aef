#!/usr/bin/env node
// `npm run demo`: installs the workspace if needed, then runs the scripted demo from source.
import { spawnSync } from 'node:child_process';

spawnSync(process.execPath, ['scripts/ensure-deps.mjs'], { stdio: 'inherit' });
const r = spawnSync('node_modules/.bin/tsx', ['--conditions=@lifeline/source', 'scripts/demo.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
