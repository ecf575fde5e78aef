/**
 * The browser rig of the `share` tests: the page script bundled with esbuild (ESM, code splitting:
 * the share engine is its own chunk), served by a real Socket.IO server with the real companion on
 * the same origin, and one headless Chromium with ONE browser context, so that its pages are tabs
 * of one origin sharing Web Locks and BroadcastChannel.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLifeline, memoryStore, type Lifeline } from '@lifeline/server';
import { CHROMIUM_PATH, launchChromiumTabs, startServer, type TestServer } from '@lifeline/testkit';
import { build } from 'esbuild';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export interface ShareRig {
  readonly server: TestServer;
  readonly lifeline: Lifeline;
  readonly context: BrowserContext;
  /** A new tab on the page; `t.create()` makes a client there. */
  open(): Promise<Page>;
  /** Socket.IO connections the server holds on '/'. */
  connections(): number;
  close(): Promise<void>;
}

const HTML = '<!doctype html><meta charset="utf-8"><title>share</title><script type="module" src="/app/page.js"></script>';

/**
 * `tabs: true`: pages are real tabs of one window (testkit's `launchChromiumTabs`): only the one
 * in front is visible, and `Page.setWebLifecycleState` really freezes a page. Otherwise every
 * page is its own visible window, as Playwright makes them.
 */
export async function startShareRig(setup: (io: TestServer['io']) => void = () => {}, { tabs = false }: { readonly tabs?: boolean } = {}): Promise<ShareRig> {
  const outdir = mkdtempSync(join(tmpdir(), 'lifeline-share-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./page.ts', import.meta.url))],
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome107',
    conditions: ['@lifeline/source'],
    outdir,
    logLevel: 'silent',
  });
  let lifeline: Lifeline | undefined;
  const server = await startServer({
    setup: (io) => {
      lifeline = createLifeline(io.of('/'), { store: memoryStore({ maxEvents: 10_000 }), onError: () => {} });
      setup(io);
    },
    http: (req, res, next) => {
      const path = (req.url ?? '/').split('?')[0]!;
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' });
        return void res.end(HTML);
      }
      if (path.startsWith('/app/') && extname(path) === '.js' && !path.includes('..')) {
        try {
          const body = readFileSync(join(outdir, path.slice('/app/'.length)));
          res.writeHead(200, { 'content-type': 'text/javascript' });
          return void res.end(body);
        } catch {
          // fall through to 404
        }
      }
      lifeline!.http(req, res, next);
    },
  });
  let browser: Browser;
  let context: BrowserContext;
  let closeBrowser: () => Promise<void>;
  if (tabs) {
    const launched = await launchChromiumTabs();
    ({ browser, context } = launched);
    closeBrowser = () => launched.close();
  } else {
    // Playwright turns background throttling off by default; keep it on, as in a user's browser.
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ignoreDefaultArgs: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding', '--disable-backgrounding-occluded-windows'],
    });
    context = await browser.newContext();
    closeBrowser = () => browser.close();
  }
  return {
    server,
    lifeline: lifeline!,
    context,
    async open() {
      const page = await context.newPage();
      await page.goto(server.url + '/');
      await page.waitForFunction(() => 't' in window);
      return page;
    },
    connections: () => server.io.of('/').sockets.size,
    async close() {
      await closeBrowser();
      await lifeline?.close();
      await server.close();
      rmSync(outdir, { recursive: true, force: true });
    },
  };
}
