/**
 * Real server rendering, then hydration: the page is rendered to HTML by `@vue/server-renderer`
 * in a separate Node process (no window, as on a Nuxt server), then hydrated here (jsdom) by
 * `createSSRApp(…).mount()` with the plugin, which connects the client on install, before
 * hydration, against a real Socket.IO server. Every Vue warning, and the "Hydration completed but
 * contains mismatches" error, fails the test; after hydration the page goes live.
 */
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { App } from 'vue';
import { waitFor } from '@lifeline/testkit';
import { joinServerPerTest } from '@lifeline/testkit/vitest';
import { makeApp } from './hydration/App';

// jsdom's URL is not Node's: resolve paths from the module's file path.
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../../..');
const srv = joinServerPerTest();
let app: App | undefined;
afterEach(() => {
  app?.unmount();
  app = undefined;
  vi.restoreAllMocks();
});

function serverRender(url: string): string {
  const run = spawnSync(process.execPath, ['--conditions=@lifeline/source', '--import', 'tsx', resolve(here, 'hydration/render.ts'), url], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`server render failed: ${run.stderr}`);
  return run.stdout;
}

const text = (id: string) => document.getElementById(id)?.textContent;

describe('server rendering, then hydration', () => {
  it('hydrates without a mismatch while the plugin is already connecting, then shows the live state', async () => {
    const html = serverRender(srv.server.url);
    expect(html).toContain('<span id="state">idle</span>');
    expect(html).toContain('no room');
    document.body.innerHTML = `<div id="app">${html}</div>`;
    const problems: string[] = [];
    const log = (...args: unknown[]) => problems.push(args.map(String).join(' '));
    vi.spyOn(console, 'warn').mockImplementation(log);
    vi.spyOn(console, 'error').mockImplementation(log);
    app = makeApp(srv.server.url);
    app.config.warnHandler = (msg) => problems.push(`[Vue warn] ${msg}`);
    app.mount('#app');
    expect(problems).toEqual([]);
    // Hydrated over the server's markup (the same nodes, not a re-render), then live.
    await waitFor(() => text('state') === 'connected', { message: `live state, got ${text('state')}` });
    expect(text('realtime')).toBe('connected · websocket');
    expect(text('room')).toBe('in ticket:1');
    await waitFor(() => srv.joins['ticket:1'] === 1, { message: 'joined once' });
    srv.publish('ticket:1', 'comment:added', { author: 'ada', text: 'hi' });
    await waitFor(() => text('update') === 'updated', { message: 'event after hydration' });
    expect(problems).toEqual([]);
  });
});
