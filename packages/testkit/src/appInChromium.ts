/**
 * The rig of an example's end-to-end test: the example's Vite app built once, served by its
 * backend behind the fault proxy, and one headless Chromium, all started in `beforeAll` and
 * released in `afterAll`. Imported from `@lifeline/testkit/vitest` (it registers hooks).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { buildViteApp, launchChromium, type BuiltApp } from './browser';
import { startProxy, type FaultProxy } from './proxy';

/** A backend that serves the built app (and its API) on `port`. */
export interface AppBackend {
  readonly port: number;
  close(): Promise<void>;
}

export interface AppInChromium<B extends AppBackend> {
  /** The fault proxy in front of the backend: `setMode(…)` breaks what the page talks to. */
  readonly proxy: FaultProxy;
  readonly backend: B;
  /** A new page on the app through the proxy, with `query` as its search string (its own browser context). */
  open(query?: string): Promise<Page>;
  /** A browser context of its own: its pages are tabs of one origin (Web Locks, BroadcastChannel). */
  newContext(): Promise<BrowserContext>;
}

/**
 * @example
 * ```ts
 * const rig = appInChromium(fileURLToPath(new URL('..', import.meta.url)), (staticDir) => startTicketDesk({ staticDir }));
 * it('shows updates', async () => { const page = await rig.open(); rig.proxy.setMode('reject-upgrade'); … });
 * ```
 */
export function appInChromium<B extends AppBackend>(root: string, serve: (staticDir: string) => Promise<B>): AppInChromium<B> {
  let app: BuiltApp | undefined;
  let backend: B | undefined;
  let proxy: FaultProxy | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await buildViteApp(root);
    backend = await serve(app.outDir);
    proxy = await startProxy(backend.port);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    await backend?.close();
    app?.remove();
  });
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('appInChromium: the rig exists only once beforeAll has run; use it inside it() or a hook');
    return value;
  };
  return {
    get proxy() {
      return ready(proxy);
    },
    get backend() {
      return ready(backend);
    },
    newContext: () => ready(browser).newContext(),
    async open(query = '') {
      const page = await ready(browser).newPage();
      await page.goto(`${ready(proxy).url}/?${query}`);
      return page;
    },
  };
}
