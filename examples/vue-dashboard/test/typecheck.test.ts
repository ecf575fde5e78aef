/**
 * The root tsc does not read single-file components (src/env.d.ts only lets it import them):
 * vue-tsc checks the templates and `<script setup>` blocks against their props and composables.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));

it('type-checks the single-file components with vue-tsc', () => {
  const r = spawnSync(fileURLToPath(new URL('../node_modules/.bin/vue-tsc', import.meta.url)), ['-p', 'tsconfig.json', '--noEmit'], { cwd: root, encoding: 'utf8' });
  expect(r.stdout + r.stderr).toBe('');
  expect(r.status).toBe(0);
}, 120_000);
