/**
 * The server every delivery benchmark talks to: a real Socket.IO server on 127.0.0.1 that
 * publishes a numbered `tick` on a fixed interval — through the companion (`lifeline.publish`
 * on channel `bench`, with ids) or as a plain `io.emit` for raw socket.io-client baselines — and
 * a small REST endpoint `GET /api/ticks?since=N` for the hand-written polling baseline.
 */
import type http from 'node:http';
import { startServer, type TestServer } from '@lifeline/testkit';
import type { BenchLifeline, ServerModule } from './lifeline';

export const CHANNEL = 'bench';

export interface TickServer {
  readonly url: string;
  readonly port: number;
  readonly server: TestServer;
  /** The companion, when started with one. */
  readonly lifeline: BenchLifeline | null;
  /** Last published sequence number (0 before the first tick). */
  last(): number;
  /** Publish one tick now (also what the interval does). */
  tick(): number;
  /** Plain HTTP requests seen per endpoint: `/api/ticks`, `/lifeline`. */
  readonly requests: Map<string, number>;
  /** Stop ticking (the server keeps serving). */
  stop(): void;
  /**
   * A deploy: drops every connection and listens again on the same port with a fresh `io` and
   * companion over the same store (as Redis would keep it). Nothing is published meanwhile.
   */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TickServerOptions {
  /** Publish through the companion (channel `bench`) instead of `io.emit`. */
  readonly companion?: ServerModule | undefined;
  /** Tick interval, ms; 0 = only manual `tick()`. @default 20 */
  readonly intervalMs?: number;
  /** `new Server()` options (e.g. Socket.IO's default 25 s + 20 s pings instead of testkit's 2 s + 2 s). */
  readonly serverOptions?: Partial<import('socket.io').ServerOptions>;
}

export async function startTickServer(options: TickServerOptions = {}): Promise<TickServer> {
  const log: number[] = [];
  const requests = new Map<string, number>();
  let lifeline: BenchLifeline | null = null;
  let paused = false;
  const store = options.companion?.memoryStore({ maxEvents: 100_000 });
  const count = (key: string) => requests.set(key, (requests.get(key) ?? 0) + 1);

  const rest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const since = new URL(req.url ?? '/', 'http://x').searchParams.get('since');
    const ticks = since === null ? log.slice(-1) : log.filter((s) => s > Number(since));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ticks }));
  };

  const server = await startServer({
    ...(options.serverOptions ? { serverOptions: options.serverOptions } : {}),
    setup: async (io) => {
      if (!options.companion) return;
      // On a restart the old companion goes only once its connections are gone (see `restart`).
      await lifeline?.close();
      lifeline = options.companion.createLifeline(io.of('/'), { store });
    },
    http: (req, res, next) => {
      const url = req.url ?? '/';
      if (url.startsWith('/api/ticks')) {
        count('/api/ticks');
        return rest(req, res);
      }
      if (url.startsWith('/lifeline') && lifeline) {
        count('/lifeline');
        // Mount like `app.use('/lifeline', lifeline.http)`: the handler sees the rest of the path.
        Object.assign(req, { originalUrl: url, baseUrl: '/lifeline', url: url.slice('/lifeline'.length) || '/' });
        return lifeline.http(req, res, next);
      }
      if (!url.startsWith('/socket.io')) next();
    },
  });

  let seq = 0;
  const tick = () => {
    if (paused) return seq;
    seq++;
    log.push(seq);
    if (lifeline) void lifeline.publish(CHANNEL, 'tick', { seq }).catch(() => {});
    else server.io.emit('tick', { seq });
    return seq;
  };
  const interval = options.intervalMs ?? 20;
  const timer = interval > 0 ? setInterval(tick, interval) : undefined;

  return {
    url: server.url,
    port: server.port,
    server,
    get lifeline() {
      return lifeline;
    },
    last: () => seq,
    tick,
    requests,
    stop: () => clearInterval(timer),
    restart: async () => {
      paused = true;
      // A process going away drops its TCP connections; it does not say goodbye (a socket.io
      // DISCONNECT packet would tell raw clients not to reconnect at all).
      await server.restart({ crash: true });
      paused = false;
    },
    close: async () => {
      clearInterval(timer);
      await lifeline?.close?.();
      await server.close();
    },
  };
}
