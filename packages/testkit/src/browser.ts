/**
 * Real headless Chromium for the examples' end-to-end tests: build a Vite app into a temp folder
 * and launch Debian's `/usr/bin/chromium` through playwright-core. playwright-core and vite are
 * imported when first used, so tests that never open a browser do not load them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';

/** Where Debian's chromium lives (`.ci/run` installs it when `CI=true`). */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Whether a browser suite must be skipped: chromium is missing and this is not CI. In CI a
 * missing browser must fail the run, not skip it quietly.
 */
export const skipWithoutChromium = (): boolean => !existsSync(CHROMIUM_PATH) && process.env.CI !== 'true';

/** Headless Chromium with background noise (updates, sync, QUIC) turned off. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A production build of a Vite app in a temp folder; `remove()` deletes it. */
export interface BuiltApp {
  readonly outDir: string;
  remove(): void;
}

/** Builds the Vite app whose `vite.config.ts` is in `root` into a fresh temp folder. */
export async function buildViteApp(root: string): Promise<BuiltApp> {
  const { build } = await import('vite');
  const outDir = mkdtempSync(join(tmpdir(), 'lifeline-app-'));
  await build({ configFile: join(root, 'vite.config.ts'), root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return { outDir, remove: () => rmSync(outDir, { recursive: true, force: true }) };
}
