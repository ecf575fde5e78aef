/**
 * Child process of the server benchmark: one Node process with a Socket.IO server and the
 * companion (when it loads), controlled over IPC. The store outlives restarts, as Redis would.
 *
 * IPC: `mem` (after GC), `stats`, `rooms {names}`, `publish {channel, count, raw}`,
 * `crash {downMs}` (drops every TCP connection, stays down, listens again on the same port),
 * `connections` (connection times since the server came back, ms), `exit`.
 * `--proxy`: also the testkit's proxy in this process, in front of the server, as nginx would be:
 * while the server is down it resets WebSocket upgrades and answers HTTP with 502 (`ready.proxyUrl`).
 */
import { performance } from 'node:perf_hooks';
import { delay, startProxy, startServer } from '@lifeline/testkit';
import { loadServer, type BenchLifeline } from '../lib/lifeline';

const companion = await loadServer();
const store = typeof companion === 'string' ? undefined : companion.memoryStore({ maxEvents: 100_000 });
let lifeline: BenchLifeline | null = null;
let connections: number[] = [];

const server = await startServer({
  // Socket.IO's own defaults (the harness shortens pings for tests): what an app runs with.
  serverOptions: { pingInterval: 25_000, pingTimeout: 20_000 },
  setup: async (io) => {
    // On a crash the old companion goes only once its connections are gone.
    await lifeline?.close?.();
    if (typeof companion !== 'string') lifeline = companion.createLifeline(io.of('/'), { store });
    connections = [];
    io.on('connection', (s) => {
      connections.push(performance.now());
      s.on('raw:join', (channel: string, ack?: () => void) => {
        void s.join(channel);
        ack?.();
      });
    });
  },
  http: (req, res, next) => {
    if (req.url?.startsWith('/lifeline') && lifeline) return lifeline.http(req, res, next);
    if (!req.url?.startsWith('/socket.io')) next();
  },
});
const proxy = process.argv.includes('--proxy') ? await startProxy(server.port) : undefined;
let upAt = performance.now();
const io = () => server.io;

async function stop() {
  await proxy?.close();
  await server.close();
  await lifeline?.close?.();
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
      for (const s of io().of('/').sockets.values()) if (s.conn.transport.name === 'websocket') websocket++;
      return reply(m, { sockets: io().of('/').sockets.size, websocket, engine: io().engine.clientsCount, waitingPolls: lifeline?.stats().waitingPolls ?? 0 });
    }
    case 'cpu': {
      const u = process.cpuUsage();
      return reply(m, { cpuMs: (u.user + u.system) / 1000, at: performance.now() });
    }
    case 'rooms':
      return reply(m, { sizes: (m.names ?? []).map((n) => io().of('/').adapter.rooms.get(n)?.size ?? 0) });
    case 'publish': {
      const t = performance.now();
      for (let i = 0; i < (m.count ?? 0); i++) {
        if (m.raw || !lifeline) io().to(m.channel!).emit('tick', { seq: i });
        else await lifeline.publish(m.channel!, 'tick', { seq: i });
      }
      return reply(m, { ms: performance.now() - t });
    }
    case 'crash': {
      // Down from the moment connections drop until the server listens again (stopping takes time).
      const t = performance.now();
      await server.restart({ crash: true, downMs: m.downMs ?? 1000 });
      upAt = performance.now();
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
process.send!({ ready: true, url: server.url, proxyUrl: proxy?.url ?? null, companion: typeof companion === 'string' ? companion : null });
