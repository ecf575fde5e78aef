/**
 * Child process of the server benchmark: one Node process with a Socket.IO server and the
 * companion (when it loads), controlled over IPC. The store outlives restarts, as Redis would.
 *
 * IPC: `mem` (after GC), `stats`, `rooms {names}`, `publish {channel, count, raw}`,
 * `crash {downMs}` (drops every TCP connection, stays down, listens again on the same port),
 * `connections` (connection times since the server came back, ms), `exit`.
 */
import http from 'node:http';
import type { Socket as NetSocket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Server } from 'socket.io';
import { delay } from '@lifeline/testkit';
import { loadServer, type BenchLifeline } from '../lib/lifeline';

const companion = await loadServer();
const store = typeof companion === 'string' ? undefined : companion.memoryStore({ maxEvents: 100_000 });
let httpServer: http.Server;
let io: Server;
let lifeline: BenchLifeline | null = null;
let port = 0;
let upAt = 0;
let connections: number[] = [];
const sockets = new Set<NetSocket>();

async function start() {
  httpServer = http.createServer((req, res) => {
    if (req.url?.startsWith('/lifeline') && lifeline) return lifeline.http(req, res, () => notFound(res));
    if (!req.url?.startsWith('/socket.io')) notFound(res);
  });
  httpServer.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  io = new Server(httpServer);
  if (typeof companion !== 'string') lifeline = companion.createLifeline(io.of('/'), { store });
  io.on('connection', (s) => {
    connections.push(performance.now());
    s.on('raw:join', (channel: string, ack?: () => void) => {
      void s.join(channel);
      ack?.();
    });
  });
  await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
  port = (httpServer.address() as AddressInfo).port;
  upAt = performance.now();
  connections = [];
}

async function stop() {
  for (const s of sockets) s.destroy();
  await lifeline?.close?.();
  await new Promise<void>((resolve) => io.close(() => resolve()));
  if (httpServer.listening) await new Promise<void>((resolve) => httpServer.close(() => resolve()));
}

function notFound(res: http.ServerResponse) {
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
}

type Msg = { id?: number; cmd: string; names?: string[]; channel?: string; count?: number; raw?: boolean; downMs?: number };
const reply = (m: Msg, body: Record<string, unknown>) => process.send!({ id: m.id, ...body });

process.on('message', async (m: Msg) => {
  switch (m.cmd) {
    case 'mem': {
      const gc = (globalThis as { gc?: () => void }).gc;
      for (let i = 0; i < 3; i++) {
        gc?.();
        await delay(20);
      }
      const u = process.memoryUsage();
      return reply(m, { heapUsed: u.heapUsed, external: u.external, rss: u.rss, gc: Boolean(gc) });
    }
    case 'stats': {
      let websocket = 0;
      for (const s of io.of('/').sockets.values()) if (s.conn.transport.name === 'websocket') websocket++;
      return reply(m, { sockets: io.of('/').sockets.size, websocket, engine: io.engine.clientsCount, waitingPolls: lifeline?.stats().waitingPolls ?? 0 });
    }
    case 'rooms':
      return reply(m, { sizes: (m.names ?? []).map((n) => io.of('/').adapter.rooms.get(n)?.size ?? 0) });
    case 'publish': {
      const t = performance.now();
      for (let i = 0; i < (m.count ?? 0); i++) {
        if (m.raw || !lifeline) io.to(m.channel!).emit('tick', { seq: i });
        else await lifeline.publish(m.channel!, 'tick', { seq: i });
      }
      return reply(m, { ms: performance.now() - t });
    }
    case 'crash': {
      // Down from the moment connections drop until the server listens again (stopping takes time).
      const t = performance.now();
      await stop();
      await delay(m.downMs ?? 1000);
      await start();
      return reply(m, { downMs: upAt - t });
    }
    case 'connections':
      return reply(m, { times: connections.map((t) => t - upAt) });
    case 'exit':
      await stop();
      process.exit(0);
  }
});

// The parent went away without saying `exit` (crash, timeout): do not outlive it.
process.on('disconnect', () => process.exit(0));
await start();
process.send!({ ready: true, url: `http://127.0.0.1:${port}`, companion: typeof companion === 'string' ? companion : null });
