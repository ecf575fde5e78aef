/**
 * A Socket.IO server on 127.0.0.1 for tests. `setup(io)` wires handlers (namespaces, the
 * companion, counters); `restart()` kills every connection and listens again on the same port
 * with a fresh `io` (setup runs again), as a deploy would; `close()` awaits all sockets.
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

export interface TestServer {
  readonly io: Server;
  readonly httpServer: http.Server;
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
  restart(): Promise<void>;
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
    this.io.disconnectSockets(true);
    for (const s of this.#sockets) s.destroy();
    await new Promise<void>((resolve) => this.io.close(() => resolve()));
    if (this.httpServer.listening) await new Promise<void>((resolve) => this.httpServer.close(() => resolve()));
  }

  async restart() {
    await this.close();
    await this.start();
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
