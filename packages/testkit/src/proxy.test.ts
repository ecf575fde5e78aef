/**
 * The fault proxy must break Socket.IO exactly the way NOTES.md measured real proxies do:
 * these rows pin what a raw socket.io-client sees through each mode.
 */
import http from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Manager } from 'socket.io-client';
import { startProxy, type FaultProxy, type ProxyMode } from './proxy';
import { startServer, type TestServer } from './server';
import { delay, waitFor } from './waitFor';

interface Outcome {
  connected: boolean;
  message?: string;
  type?: string;
  description?: string;
}

function attempt(url: string, transports: ('websocket' | 'polling')[], timeout = 1500): Promise<Outcome> {
  const manager = new Manager(url, { reconnection: false, autoConnect: false, transports, timeout });
  const socket = manager.socket('/');
  return new Promise<Outcome>((resolve) => {
    socket.on('connect', () => resolve({ connected: true }));
    socket.on('connect_error', (err: Error & { type?: string; description?: unknown }) => {
      const d = err.description;
      resolve({
        connected: false,
        message: err.message,
        type: err.type,
        description: d instanceof Error ? d.message : typeof d === 'object' && d && 'message' in d ? String((d as Error).message) : String(d),
      });
    });
    socket.connect();
  }).finally(() => {
    socket.close();
    manager.engine?.close();
  });
}

describe('startProxy', () => {
  let server: TestServer;
  let proxy: FaultProxy;
  beforeAll(async () => {
    server = await startServer({ setup: (io) => { io.on('connection', (s) => s.emit('hello', 'world')); } });
    proxy = await startProxy(server.port);
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  const ws: Array<[ProxyMode, Partial<Outcome>]> = [
    ['pass', { connected: true }],
    ['reject-upgrade', { connected: false, type: 'TransportError', description: 'Unexpected server response: 400' }],
    ['strip-upgrade', { connected: false, type: 'TransportError', description: 'Unexpected server response: 400' }],
    ['reset-upgrade', { connected: false, type: 'TransportError' }],
    ['blackhole-upgrade', { connected: false, message: 'timeout' }],
    ['down', { connected: false, type: 'TransportError' }],
    ['block-socketio', { connected: false, type: 'TransportError', description: 'Unexpected server response: 403' }],
  ];
  it.each(ws)('websocket through %s', async (mode, expected) => {
    proxy.setMode(mode);
    expect(await attempt(proxy.url, ['websocket'], 800)).toMatchObject(expected);
  });

  const polling: Array<[ProxyMode, Partial<Outcome>]> = [
    ['reject-upgrade', { connected: true }],
    ['strip-upgrade', { connected: true }],
    ['reset-upgrade', { connected: true }],
    ['blackhole-upgrade', { connected: true }],
    ['down', { connected: false, message: 'xhr poll error', description: '502' }],
    ['block-socketio', { connected: false, message: 'xhr poll error', description: '403' }],
  ];
  it.each(polling)('polling through %s', async (mode, expected) => {
    proxy.setMode(mode);
    expect(await attempt(proxy.url, ['polling'])).toMatchObject(expected);
  });

  it('drops live websocket connections when upgrades become blocked', async () => {
    proxy.setMode('pass');
    const manager = new Manager(proxy.url, { reconnection: false, transports: ['websocket'] });
    const socket = manager.socket('/');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const reason = new Promise<string>((r) => socket.once('disconnect', r));
    proxy.setMode('reject-upgrade');
    expect(await reason).toBe('transport close');
    socket.close();
  });

  it('block-socketio forwards every path outside /socket.io and cuts held polling requests', async () => {
    proxy.setMode('pass');
    const manager = new Manager(proxy.url, { reconnection: false, transports: ['polling'] });
    const socket = manager.socket('/');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    const reason = new Promise<string>((r) => socket.once('disconnect', r));
    proxy.setMode('block-socketio');
    expect(await reason).toBe('transport error'); // the held long-poll was cut
    socket.close();
    const other = await fetch(`${proxy.url}/api/anything`);
    expect(other.status).toBe(404); // the backend's own answer, forwarded
    expect(other.headers.get('content-type')).toBe('application/json');
    await other.text();
    const blocked = await fetch(`${proxy.url}/socket.io/?EIO=4&transport=polling`);
    expect(blocked.status).toBe(403);
    await blocked.text();
  });
});

/** An upgrade to the app's own protocol on `path` (not Socket.IO); resolves with the raw socket. */
function appUpgrade(url: string, path: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${url}${path}`, { agent: false, headers: { connection: 'Upgrade', upgrade: 'echo' } });
    req.on('upgrade', (_res, socket: net.Socket) => resolve(socket));
    req.on('response', (res) => reject(new Error(`no upgrade: ${res.statusCode}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Writes `text` and resolves with what comes back, or with 'closed' when the socket goes away. */
function roundTrip(socket: net.Socket, text: string): Promise<string> {
  return new Promise((resolve) => {
    if (socket.destroyed) return resolve('closed');
    socket.once('data', (d: Buffer) => resolve(d.toString()));
    socket.once('close', () => resolve('closed'));
    socket.write(text);
  });
}

describe('startProxy: block-socketio and live upgrades', () => {
  it('switching to block-socketio drops the live Socket.IO websocket and keeps the app\'s other upgraded connection', async () => {
    const server = await startServer({
      setup: (_io, httpServer) => {
        // The app's own upgrade (a plain WebSocket-like echo) next to Socket.IO.
        httpServer.on('upgrade', (req, socket: net.Socket) => {
          if (!req.url?.startsWith('/app/')) return;
          socket.on('error', () => {});
          socket.write('HTTP/1.1 101 Switching Protocols\r\nUpgrade: echo\r\nConnection: Upgrade\r\n\r\n');
          socket.on('data', (d: Buffer) => socket.write(d));
        });
      },
    });
    const proxy = await startProxy(server.port);
    const manager = new Manager(proxy.url, { reconnection: false, transports: ['websocket'] });
    const socket = manager.socket('/');
    const app = await appUpgrade(proxy.url, '/app/live');
    try {
      await new Promise<void>((r) => socket.once('connect', () => r()));
      expect(await roundTrip(app, 'before')).toBe('before');
      const reason = new Promise<string>((r) => socket.once('disconnect', r));
      proxy.setMode('block-socketio');
      expect(await reason).toBe('transport close'); // Socket.IO is cut
      expect(await roundTrip(app, 'after')).toBe('after'); // the app's own connection is not
    } finally {
      socket.close();
      app.destroy();
      await proxy.close();
      await server.close();
    }
  });
});

describe('startProxy: blackhole-after-upgrade and round-robin', () => {
  it('blackhole-after-upgrade: the Socket.IO handshake completes, then no frame passes either way and the socket stays open', async () => {
    let fromClient = 0;
    const server = await startServer({
      serverOptions: { pingInterval: 300, pingTimeout: 200 },
      setup: (io) => {
        io.on('connection', (s) => s.on('up', () => fromClient++));
      },
    });
    const proxy = await startProxy(server.port, 'blackhole-after-upgrade');
    const manager = new Manager(proxy.url, { reconnection: false, transports: ['websocket'] });
    const socket = manager.socket('/');
    try {
      await new Promise<void>((r) => socket.once('connect', () => r()));
      const got: unknown[] = [];
      socket.on('later', (x: unknown) => got.push(x));
      const reason = new Promise<string>((r) => socket.once('disconnect', r));
      server.io.emit('later', 1);
      socket.emit('up', 1);
      // The server gives up on the missing pongs; the client only notices by its own ping timeout.
      expect(await reason).toBe('ping timeout');
      expect(got).toEqual([]); // nothing from the server reached the client
      expect(fromClient).toBe(0); // nothing from the client reached the server
      expect(proxy.stats.upgrades).toBe(1);
    } finally {
      socket.close();
      await proxy.close();
      await server.close();
    }
  });

  it('several targets are used round-robin: polling gets "Session ID unknown", websocket connects', async () => {
    const a = await startServer();
    const b = await startServer();
    const proxy = await startProxy([a.port, b.port]);
    try {
      const polled = await attempt(proxy.url, ['polling']);
      expect(polled).toMatchObject({ connected: false, message: 'xhr post error', type: 'TransportError', description: '400' });
      expect(await attempt(proxy.url, ['websocket'])).toMatchObject({ connected: true });
    } finally {
      await proxy.close();
      await a.close();
      await b.close();
    }
  });
});

describe('startProxy: freeze', () => {
  it.each(['websocket', 'polling'] as const)('freeze over %s: open connections stop forwarding both ways and stay open; new connections pass', async (transport) => {
    let fromClient = 0;
    const server = await startServer({
      setup: (io) => {
        io.on('connection', (s) => s.on('up', () => fromClient++));
      },
    });
    const proxy = await startProxy(server.port);
    const frozen = new Manager(proxy.url, { reconnection: false, transports: [transport] }).socket('/');
    const fresh = new Manager(proxy.url, { reconnection: false, autoConnect: false, transports: [transport] }).socket('/');
    try {
      await new Promise<void>((r) => frozen.once('connect', () => r()));
      const got: unknown[] = [];
      frozen.on('later', (x: unknown) => got.push(x));
      let disconnected = false;
      frozen.on('disconnect', () => (disconnected = true));
      server.io.emit('later', 0);
      await waitFor(() => expect(got).toEqual([0]));
      const before = proxy.connections();
      proxy.setMode('freeze');
      server.io.emit('later', 1);
      frozen.emit('up', 1);
      // A new connection passes while the old one is frozen.
      const fresher = new Promise<unknown>((r) => fresh.once('later', r));
      await new Promise<void>((r) => fresh.connect().once('connect', () => r()));
      server.io.emit('later', 2);
      expect(await fresher).toBe(2);
      await delay(300);
      expect(got).toEqual([0]); // nothing from the server reached the frozen client
      // Nothing the frozen client sent reached the server. (Over polling each POST may take a new
      // TCP connection, which passes as a new flow through a real NAT does: only the held GET and
      // the sockets open at the switch are frozen.)
      if (transport === 'websocket') expect(fromClient).toBe(0);
      expect(disconnected).toBe(false); // and it was not told
      expect(proxy.connections()).toBeGreaterThanOrEqual(before);
    } finally {
      frozen.io.engine?.close();
      frozen.close();
      fresh.close();
      await proxy.close();
      await server.close();
    }
  });
});

describe('startProxy: upgradeDelayMs', () => {
  it('a slow but working WebSocket path: the upgrade is answered after the delay', async () => {
    const server = await startServer();
    const proxy = await startProxy(server.port);
    try {
      proxy.upgradeDelayMs = 600;
      const started = Date.now();
      expect(await attempt(proxy.url, ['websocket'], 3000)).toMatchObject({ connected: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(590);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
