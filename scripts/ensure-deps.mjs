#!/usr/bin/env node
// Installs the workspace with pnpm 10 (fetched through npx: corepack cannot be used on every
// machine) when node_modules is missing or older than the lockfile. Needs only Node and npm.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.modules.yaml';
const stale = !existsSync(marker) || (existsSync('pnpm-lock.yaml') && statSync('pnpm-lock.yaml').mtimeMs > statSync(marker).mtimeMs);
if (stale) {
  const frozen = existsSync('pnpm-lock.yaml') ? ' --frozen-lockfile' : '';
  execSync(`npx -y pnpm@10 install${frozen}`, { stdio: 'inherit' });
}
