/**
 * Real headless Chromium for the examples' end-to-end tests: build a Vite app into a temp folder
 * and launch Debian's `/usr/bin/chromium` through playwright-core. playwright-core and vite are
 * imported when first used, so tests that never open a browser do not load them.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import type { Browser, BrowserContext } from 'playwright-core';

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

/** Chromium whose pages are real tabs of one window: see `launchChromiumTabs`. */
export interface ChromiumTabs {
  readonly browser: Browser;
  /** The browser's own (default) context: `newPage()` opens a tab in the one window. */
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Headless Chromium whose pages behave like tabs of one window: only the tab in front is
 * visible (`document.visibilityState` is 'hidden' in the others, `page.bringToFront()` switches),
 * background throttling is on, and `Page.setWebLifecycleState` really freezes a page.
 *
 * `chromium.launch()` cannot give that: Playwright turns focus emulation on for every page it
 * creates (Chromium then keeps the page visible and refuses to freeze it) and passes the flags that
 * turn background throttling off. So this starts `/usr/bin/chromium` itself, on a temp profile,
 * and attaches with `connectOverCDP(…, { noDefaults: true })`, which leaves the browser's own
 * context as the browser made it.
 */
export async function launchChromiumTabs(): Promise<ChromiumTabs> {
  const { chromium } = await import('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'lifeline-tabs-'));
  const child = spawn(
    CHROMIUM_PATH,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const cleanup = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    // Chromium's helpers may still write into the profile for a moment after it exits.
    rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  };
  try {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`chromium printed no DevTools endpoint within 20 s: ${text.slice(-500)}`)), 20_000);
      child.stderr.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const found = /DevTools listening on (ws:\/\/\S+)/.exec(text);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`chromium exited (${code}) before listening: ${text.slice(-500)}`));
      });
    });
    child.stderr.resume();
    const browser = await chromium.connectOverCDP(endpoint, { noDefaults: true });
    const context = browser.contexts()[0]!;
    return {
      browser,
      context,
      async close() {
        const exited = new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null)));
        // A browser attached over CDP is only disconnected by browser.close(): ask it to quit first.
        await browser
          .newBrowserCDPSession()
          .then((cdp) => cdp.send('Browser.close'))
          .catch(() => {});
        await browser.close().catch(() => {});
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
        cleanup();
      },
    };
  } catch (e) {
    cleanup();
    throw e;
  }
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
