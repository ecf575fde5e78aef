/**
 * Frontend and API on two origins, end to end in real headless Chromium (issue #12): the page is
 * served through the testkit proxy on one port, the API (Socket.IO + @lifeline/server) listens on
 * another. With Socket.IO's own `cors` (origin + credentials) and a CORS answer in front of the
 * companion's HTTP endpoint, a cookie session set cross-origin authenticates the client on the
 * websocket, polling and http rungs through `withCredentials` alone, `authenticate` reading the
 * cookie from its request context; without the cookie every rung is refused. A client created
 * without `url` connects to the page's own origin.
 */
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import { createLifeline, type Lifeline } from '@lifeline/server';
import { skipWithoutChromium, startServer, type TestServer } from '@lifeline/testkit';
import { appInChromium, type AppBackend } from '@lifeline/testkit/vitest';
import type { Page } from 'playwright-core';
import { Server } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

const root = fileURLToPath(new URL('./app', import.meta.url));

/**
 * Serves the built page (its own origin), with a Socket.IO server of its own whose `whoami`
 * answers 'same-origin': what a client created without `url` reaches.
 */
async function staticSite(dir: string): Promise<AppBackend> {
  const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    readFile(join(dir, path === '/' ? 'index.html' : path)).then(
      (body) => res.writeHead(200, { 'content-type': types[extname(path || '.html')] ?? 'text/html' }).end(body),
      () => res.writeHead(404).end(),
    );
  });
  const io = new Server(server);
  io.on('connection', (socket) => socket.on('whoami', (_d: unknown, ack: (r: unknown) => void) => ack('same-origin')));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, close: () => new Promise((r) => void io.close(() => r())) };
}

describe.skipIf(skipWithoutChromium())('frontend and API on different origins, in Chromium', () => {
  const rig = appInChromium(root, staticSite);
  let api: TestServer;
  let lifeline: Lifeline<{ name: string }>;
  const pageOrigin = () => rig.proxy.url;
  const cookiesSeen: Array<Record<string, string>> = [];

  beforeAll(async () => {
    api = await startServer({
      serverOptions: { cors: { origin: (origin, cb) => cb(null, origin === pageOrigin()), credentials: true } },
      setup: (io) => {
        lifeline = createLifeline(io.of('/'), {
          authenticate: (_auth, { cookies }) => {
            cookiesSeen.push({ ...cookies });
            return cookies.sid === 's-ada' ? { name: 'ada' } : null;
          },
        });
        lifeline.on('whoami', (_data, user) => user.name);
      },
      // CORS for the API's own routes and the companion's endpoint (its POST /emit is preflighted).
      http: (req, res, next) => {
        if (req.headers.origin === pageOrigin()) {
          res.setHeader('access-control-allow-origin', pageOrigin());
          res.setHeader('access-control-allow-credentials', 'true');
          res.setHeader('vary', 'origin');
        }
        if (req.method === 'OPTIONS') {
          res.setHeader('access-control-allow-methods', 'GET, POST');
          res.setHeader('access-control-allow-headers', 'content-type, authorization, lifeline-auth');
          return void res.writeHead(204).end();
        }
        if (req.url === '/login' && req.method === 'POST') {
          return void res.writeHead(204, { 'set-cookie': 'sid=s-ada; Path=/; HttpOnly; SameSite=Lax' }).end();
        }
        if (req.url?.startsWith('/lifeline/')) {
          req.url = req.url.slice('/lifeline'.length);
          return lifeline.http(req, res, next);
        }
        next();
      },
    });
  });
  afterAll(async () => {
    await lifeline?.close();
    await api?.close();
  });

  const result = async (page: Page) => {
    await page.waitForFunction(() => (window as unknown as { result?: unknown }).result !== undefined, undefined, { timeout: 20_000 });
    return page.evaluate(() => (window as unknown as { result: Record<string, unknown> }).result);
  };

  it('the two origins differ (same host, other port)', () => {
    expect(new URL(api.url).origin).not.toBe(new URL(pageOrigin()).origin);
  });

  it.each(['websocket', 'polling'] as const)('%s: a client created without url connects to the page origin, as io() does', async (transport) => {
    const page = await rig.open(`transport=${transport}&same`);
    expect(await result(page)).toEqual({ who: 'same-origin', transport, lastError: null, errors: [] });
    await page.close();
  });

  it.each(['websocket', 'polling', 'http'] as const)('%s: the cookie session set cross-origin authenticates the client (withCredentials), no token', async (transport) => {
    const page = await rig.open(`api=${encodeURIComponent(api.url)}&transport=${transport}&login`);
    expect(await result(page)).toEqual({ who: 'ada', transport, lastError: null, errors: [] });
    expect(cookiesSeen.at(-1)).toEqual({ sid: 's-ada' });
    await page.context().clearCookies();
    await page.close();
  });

  it.each(['polling', 'http'] as const)('%s: without withCredentials the session cookie is not sent cross-origin: UNAUTHORIZED', async (transport) => {
    const page = await rig.open(`api=${encodeURIComponent(api.url)}&transport=${transport}&login&noCredentials`);
    expect(await result(page)).toMatchObject({ who: 'failed: UNAUTHORIZED', lastError: 'UNAUTHORIZED' });
    await page.context().clearCookies();
    await page.close();
  });

  it.each(['websocket', 'polling', 'http'] as const)('%s: without the cookie the server refuses (UNAUTHORIZED), nothing hangs', async (transport) => {
    const page = await rig.open(`api=${encodeURIComponent(api.url)}&transport=${transport}`);
    const r = await result(page);
    expect(r.who).toMatch(/^failed: /);
    expect(r.lastError).toBe('UNAUTHORIZED');
    await page.close();
  });
});
