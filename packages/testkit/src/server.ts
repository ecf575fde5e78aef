/**
 * A Socket.IO server on 127.0.0.1 for tests. `setup(io)` wires handlers (namespaces, the
 * companion, counters); `restart()` closes every connection and listens again on the same port
 * with a fresh `io` (setup runs again): gracefully, as a deploy that says goodbye would, or with
 * `{ crash: true }` as a killed process would; `close()` awaits all sockets.
 */
import http from 'node:http';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';

export interface TestServerOptions {
  setup?: (io: Server, httpServer: http.Server) => void | Promise<void>;
  port?: number;
  serverOptions?: Partial<ServerOptions>;
  /** Extra plain-HTTP handler (e.g. the companion's `http`), tried before a 404. */
  http?: (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void;
}

export interface RestartOptions {
  /**
   * Drop every TCP connection without a word, as a killed process or a lost host does: no
   * Socket.IO DISCONNECT packet, no WebSocket close frame, no answer to held polls. Clients see
   * `transport close` (or `transport error`) and reconnect. Without it the restart is graceful:
   * every socket gets a DISCONNECT packet first, which tells a socket.io-client not to reconnect
   * by itself (`io server disconnect`).
   * @default false
   */
  crash?: boolean;
  /** How long the server stays down (nothing listens on its port) before it listens again. @default 0 */
  downMs?: number;
}

export interface TestServer {
  readonly io: Server;
  readonly httpServer: http.Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
  /** Closes every connection (gracefully unless `crash`), then listens again on the same port. */
  restart(options?: RestartOptions): Promise<void>;
}

class Harness implements TestServer {
  io!: Server;
  httpServer!: http.Server;
  port: number;
  readonly #options: TestServerOptions;
  readonly #sockets = new Set<NetSocket>();

  constructor(options: TestServerOptions) {
    this.#options = options;
    this.port = options.port ?? 0;
  }

  get url() {
    return `http://127.0.0.1:${this.port}`;
  }

  async start() {
    const extra = this.#options.http;
    this.httpServer = http.createServer((req, res) => {
      if (extra) return extra(req, res, () => notFound(res));
      // socket.io handles its own path; anything else is a 404.
      if (!req.url?.startsWith(this.#options.serverOptions?.path ?? '/socket.io')) notFound(res);
    });
    this.httpServer.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    this.io = new Server(this.httpServer, { pingInterval: 2000, pingTimeout: 2000, ...this.#options.serverOptions });
    await this.#options.setup?.(this.io, this.httpServer);
    await new Promise<void>((resolve, reject) => {
      this.httpServer.once('error', reject);
      this.httpServer.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (this.httpServer.address() as AddressInfo).port;
    return this;
  }

  async close() {
    await this.#stop(false);
  }

  async restart({ crash = false, downMs = 0 }: RestartOptions = {}) {
    await this.#stop(crash);
    if (downMs > 0) await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.start();
  }

  async #stop(crash: boolean) {
    if (crash) {
      // Gone before Socket.IO can say anything: it learns of the closed transports a tick later.
      for (const s of this.#sockets) s.destroy();
      await new Promise((resolve) => setImmediate(resolve));
    } else {
      this.io.disconnectSockets(true);
    }
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    if (this.httpServer.listening) await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
  }
}

function notFound(res: http.ServerResponse) {
  if (res.headersSent) return;
  res.writeHead(404, { 'content-type': 'application/json' });
  res.end('{"error":"not found"}');
}

/**
 * Starts a Socket.IO server on 127.0.0.1 (port 0 unless given).
 *
 * @example
 * ```ts
 * const server = await startServer({ setup: (io) => { io.on('connection', (s) => s.emit('hello', 1)); } });
 * ```
 */
export function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  return new Harness(options).start();
}
