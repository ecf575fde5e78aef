/**
 * `diagnose` against real parts only: a Socket.IO server (with the @lifeline/server companion on
 * "/app") on 127.0.0.1, behind testkit's fault proxy in each way a proxy breaks Socket.IO.
 * After every diagnosis nothing the doctor opened may stay open: not at the proxy, not at the server.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { diagnose, type Diagnosis, type LayerName, type LayerResult } from '@lifeline/doctor';
import { createLifeline, memoryStore, type Lifeline } from '@lifeline/server';
import { freePort, openHandles, startProxy, startServer, waitFor, type FaultProxy, type ProxyMode, type TestServer } from '@lifeline/testkit';

const TOKEN = 'good-token';
let server: TestServer;
let lifeline: Lifeline<{ name: string }> | undefined;
const proxies: FaultProxy[] = [];
let baseline = 0;

const layer = (d: Diagnosis, name: LayerName): LayerResult => d.layers.find((l) => l.layer === name)!;
const statuses = (d: Diagnosis) => Object.fromEntries(d.layers.map((l) => [l.layer, l.status]));

async function proxy(mode: ProxyMode): Promise<FaultProxy> {
  const p = await startProxy(server.port, mode);
  proxies.push(p);
  return p;
}

beforeAll(async () => {
  server = await startServer({
    setup: (io) => {
      lifeline = createLifeline(io.of('/app'), {
        store: memoryStore({ maxEvents: 100 }),
        authenticate: (auth) => (auth.token === TOKEN ? { name: 'ada' } : null),
        authorize: () => true,
        onError: () => {},
      });
    },
    http: (req, res, next) => (req.url?.startsWith('/lifeline/') && lifeline ? lifeline.http(req, res, next) : next()),
  });
  baseline = openHandles().sockets;
});

afterEach(async () => {
  // The doctor closes what it opens: the proxy sees no client socket, the server no Engine.IO
  // client, and once the proxies are gone the process holds the sockets it held before.
  // (A black-holing proxy never reads its side of the held upgrade, so it cannot see it close.)
  try {
    for (const p of proxies) if (p.mode !== 'blackhole-upgrade') await waitFor(() => p.connections() === 0, { timeoutMs: 3000, message: `proxy (${p.mode}) has no open connection` });
    await waitFor(() => server.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'server has no Engine.IO client left' });
  } finally {
    await Promise.all(proxies.splice(0).map((p) => p.close()));
  }
  await waitFor(() => openHandles().sockets <= baseline, { timeoutMs: 3000, message: `no more open sockets than before (${baseline})` });
});

afterAll(async () => {
  await lifeline?.close();
  await server.close();
});

describe('diagnose', () => {
  it('reports every layer ok through a healthy proxy, the companion included', async () => {
    const p = await proxy('pass');
    const d = await diagnose({ url: p.url, namespace: '/app', token: TOKEN, http: `${p.url}/lifeline`, timeoutMs: 3000 });
    expect(statuses(d)).toEqual({ url: 'ok', dns: 'ok', tcp: 'ok', tls: 'skipped', http: 'ok', websocket: 'ok', namespace: 'ok', companion: 'ok' });
    expect(d.ok).toBe(true);
    expect(d.summary.transport).toBe('websocket');
    expect(d.summary.lifeline).toMatch(/Everything works/);
    expect(layer(d, 'websocket').finding).toMatch(/101/);
  });

  it.each(['reject-upgrade', 'strip-upgrade'] as const)('reports WebSocket broken with the nginx fix and polling ok when the proxy does %s', async (mode) => {
    const p = await proxy(mode);
    const d = await diagnose({ url: p.url, timeoutMs: 3000 });
    expect(statuses(d)).toMatchObject({ tcp: 'ok', http: 'ok', websocket: 'broken', namespace: 'ok' });
    const ws = layer(d, 'websocket');
    expect(ws.finding).toMatch(/answered 400/);
    expect(ws.code).toBe('UPGRADE_BLOCKED');
    expect(ws.hint).toContain('proxy_http_version 1.1; proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection "upgrade";');
    expect(ws.hint).toMatch(/falls back to polling/);
    expect(layer(d, 'namespace').finding).toMatch(/over polling/);
    expect(d.ok).toBe(false);
    expect(d.summary).toMatchObject({ transport: 'polling', broken: ['websocket'] });
    expect(d.summary.lifeline).toBe('WebSocket is blocked but polling works: Lifeline will run on polling and probe WebSocket every 30 s.');
  });

  it('tells a stripped upgrade (Socket.IO answered) from a rejected one (the proxy answered)', async () => {
    const stripped = layer(await diagnose({ url: (await proxy('strip-upgrade')).url }), 'websocket');
    const rejected = layer(await diagnose({ url: (await proxy('reject-upgrade')).url }), 'websocket');
    expect(stripped.finding).toMatch(/reached Socket\.IO without its Upgrade\/Connection headers/);
    expect(rejected.finding).toMatch(/rejected, or its Upgrade\/Connection headers are stripped/);
  });

  it('reports a black-holed upgrade as no answer within the timeout', async () => {
    const p = await proxy('blackhole-upgrade');
    const started = Date.now();
    const d = await diagnose({ url: p.url, timeoutMs: 800 });
    expect(Date.now() - started).toBeLessThan(3000);
    const ws = layer(d, 'websocket');
    expect(ws).toMatchObject({ status: 'broken', code: 'TIMEOUT' });
    expect(ws.finding).toMatch(/no answer within 800 ms/);
    expect(layer(d, 'namespace').status).toBe('ok');
    expect(d.summary.transport).toBe('polling');
  });

  it('reports a reset upgrade', async () => {
    const d = await diagnose({ url: (await proxy('reset-upgrade')).url });
    expect(layer(d, 'websocket')).toMatchObject({ status: 'broken', code: 'UPGRADE_BLOCKED' });
    expect(layer(d, 'websocket').finding).toMatch(/reset/);
  });

  it('reports HTTP broken as 502 backend down when the proxy has no backend', async () => {
    const p = await proxy('down');
    const d = await diagnose({ url: p.url, timeoutMs: 3000 });
    expect(statuses(d)).toMatchObject({ tcp: 'ok', http: 'broken', websocket: 'skipped', namespace: 'skipped' });
    const http = layer(d, 'http');
    expect(http.finding).toMatch(/answered 502/);
    expect(http.finding).toMatch(/502 Bad Gateway/); // the proxy's page, quoted
    expect(http.finding).toMatch(/backend behind it is down/);
    expect(d.summary.transport).toBeNull();
  });

  it('reports TCP broken when nothing listens', async () => {
    const port = await freePort();
    const d = await diagnose({ url: `http://127.0.0.1:${port}`, timeoutMs: 2000 });
    expect(statuses(d)).toMatchObject({ url: 'ok', dns: 'ok', tcp: 'broken', tls: 'skipped', http: 'skipped', websocket: 'skipped', namespace: 'skipped' });
    expect(layer(d, 'tcp').finding).toMatch(/refused: nothing is listening/);
    expect(layer(d, 'tcp').hint).toBeTruthy();
  });

  it('names the namespace asked for in the INVALID_NAMESPACE hint', async () => {
    const d = await diagnose({ url: server.url, namespace: '/notifications-typo' });
    const ns = layer(d, 'namespace');
    expect(ns).toMatchObject({ status: 'broken', code: 'INVALID_NAMESPACE' });
    expect(ns.finding).toContain('"/notifications-typo"');
    expect(ns.hint).toContain('"/notifications-typo"');
    expect(ns.hint).toContain("@WebSocketGateway({ namespace: 'notifications' })");
    expect(ns.hint).toContain('"/notifications"');
    expect(d.summary.lifeline).toMatch(/INVALID_NAMESPACE/);
  });

  it('reports a path in the URL as the URL finding, and the namespace socket.io-client would then ask for', async () => {
    const d = await diagnose({ url: `${server.url}/api` });
    const url = layer(d, 'url');
    expect(url).toMatchObject({ status: 'broken', code: 'BAD_INPUT' });
    expect(url.finding).toMatch(/has a path \("\/api"\): Socket\.IO takes it as the namespace/);
    expect(url.hint).toContain("path: '/api/socket.io'");
    expect(url.hint).toContain("namespace: '/api'");
    expect(layer(d, 'namespace')).toMatchObject({ status: 'broken', code: 'INVALID_NAMESPACE' });
    expect(layer(d, 'namespace').finding).toContain('"/api"');
  });

  it('finds the Socket.IO path behind a proxy prefix in the URL and goes on with it', async () => {
    const prefixed = await startServer({ serverOptions: { path: '/api/socket.io' } });
    try {
      const d = await diagnose({ url: `${prefixed.url}/api` });
      expect(statuses(d)).toMatchObject({ url: 'broken', http: 'ok', websocket: 'ok', namespace: 'ok' });
      expect(layer(d, 'http').finding).toMatch(/answers the handshake: "\/api" is a proxy prefix/);
      expect(d.target).toMatchObject({ path: '/api/socket.io', namespace: '/' });
      await waitFor(() => prefixed.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'prefixed server has no client left' });
    } finally {
      await prefixed.close();
    }
  });

  it.each([
    ['polling', 'websocket', /does not allow WebSocket/, 'polling'],
    ['websocket', 'http', /does not allow polling/, 'websocket'],
  ] as const)('tells a server that allows only %s from a broken proxy', async (only, broken, finding, transport) => {
    const single = await startServer({ serverOptions: { transports: [only] } });
    try {
      const d = await diagnose({ url: single.url, timeoutMs: 3000 });
      expect(layer(d, broken)).toMatchObject({ status: 'broken' });
      expect(layer(d, broken).finding).toMatch(finding);
      expect(layer(d, 'namespace').status).toBe('ok');
      expect(d.summary.transport).toBe(transport);
      await waitFor(() => single.io.engine.clientsCount === 0, { timeoutMs: 3000, message: 'no client left' });
    } finally {
      await single.close();
    }
  });

  it('reports an auth middleware refusal as UNAUTHORIZED and asks for --token', async () => {
    const d = await diagnose({ url: server.url, namespace: '/app' });
    const ns = layer(d, 'namespace');
    expect(ns).toMatchObject({ status: 'broken', code: 'UNAUTHORIZED' });
    expect(ns.finding).toMatch(/"unauthorized"/);
    expect(ns.hint).toMatch(/--token/);
    const wrong = layer(await diagnose({ url: server.url, namespace: '/app', token: 'stale' }), 'namespace');
    expect(wrong).toMatchObject({ status: 'broken', code: 'UNAUTHORIZED' });
    expect(wrong.hint).toMatch(/refused this token/);
  });

  it('reports the companion endpoint: 404 on a wrong path, 401 without a token, relative --http resolved', async () => {
    const wrongPath = layer(await diagnose({ url: server.url, namespace: '/app', token: TOKEN, http: `${server.url}/wrong` }), 'companion');
    expect(wrongPath).toMatchObject({ status: 'broken', code: 'PROTOCOL' });
    expect(wrongPath.finding).toMatch(/answered 404.*not mounted at .*\/wrong/);
    const noToken = layer(await diagnose({ url: server.url, http: '/lifeline' }), 'companion');
    expect(noToken).toMatchObject({ status: 'broken', code: 'UNAUTHORIZED' });
    expect(noToken.finding).toContain(`${server.url}/lifeline/poll?wait=0`);
    expect(noToken.hint).toMatch(/--token/);
  });
});
