/**
 * A fault-injecting HTTP/WebSocket proxy for tests and benchmarks, on 127.0.0.1.
 *
 * It reproduces the ways real proxies break Socket.IO (see shared/design/NOTES.md):
 * - `pass`              forwards everything (a healthy proxy).
 * - `reject-upgrade`    answers every WebSocket upgrade with 400.
 * - `strip-upgrade`     forwards upgrades as plain GETs without Upgrade/Connection (nginx without
 *                       `proxy_set_header Upgrade`): the backend answers 400.
 * - `reset-upgrade`     resets the TCP connection of every upgrade.
 * - `blackhole-upgrade` accepts the upgrade request and never answers.
 * - `down`              answers plain HTTP with 502 and resets upgrades (backend gone).
 * - `blackhole-after-upgrade` completes the upgrade and the Socket.IO handshake (up to the
 *                       namespace CONNECT ack), then silently drops every frame both ways and
 *                       keeps the client's socket open (a middlebox that buffers or filters
 *                       WebSocket frames): the client sees a connection that opens, then stays silent.
 * - `freeze`            the connections open at the switch (upgraded tunnels, held requests and
 *                       idle keep-alive sockets) stop forwarding both ways and stay open; new
 *                       connections pass (a NAT or Wi-Fi access point that forgot the flows, a
 *                       laptop that slept): the client sees nothing at all, no close, no error.
 * - `block-socketio`    answers everything under the Socket.IO path (`/socket.io`: upgrades and
 *                       Engine.IO polling) with 403 and forwards every other path (a web filter or
 *                       WAF rule that blocks Socket.IO while the app's plain HTTP API passes).
 *
 * `setMode` applies to new traffic and drops what the new mode would not have allowed: upgraded
 * connections when upgrades become blocked, everything for `down`, Socket.IO upgrades and held
 * Socket.IO requests for `block-socketio` (upgrades and requests on other paths live on).
 *
 * To add a mode: add it to `ProxyMode`, handle it in `#onUpgrade` and/or `#onRequest`, and say in
 * `#drop` what existing connections it kills.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export type ProxyMode = 'pass' | 'reject-upgrade' | 'strip-upgrade' | 'reset-upgrade' | 'blackhole-upgrade' | 'down' | 'block-socketio' | 'blackhole-after-upgrade' | 'freeze';

/** Whether a request is under the path `block-socketio` blocks: `/socket.io` (Socket.IO's default). */
const isSocketIo = (url: string | undefined) => /^\/socket\.io(?:[/?]|$)/.test(url ?? '');
const FORBIDDEN_PAGE = '<html><body><h1>403 Forbidden</h1>Blocked by policy</body></html>';

export interface ProxyStats {
  /** Plain HTTP requests seen. */
  requests: number;
  /** Upgrade requests seen. */
  upgrades: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  readonly mode: ProxyMode;
  readonly stats: ProxyStats;
  setMode(mode: ProxyMode): void;
  /**
   * Delay before an upgrade that the mode lets through is forwarded, ms (a slow but working
   * WebSocket path: a distant proxy, a congested link). @default 0
   */
  upgradeDelayMs: number;
  /** Open client-side sockets (plain and upgraded). */
  connections(): number;
  close(): Promise<void>;
}

class Proxy implements FaultProxy {
  mode: ProxyMode;
  upgradeDelayMs = 0;
  readonly stats: ProxyStats = { requests: 0, upgrades: 0 };
  readonly #server: http.Server;
  /** Backends, used round-robin per request and per upgrade (one unless given several). */
  readonly #targets: ReadonlyArray<{ host: string; port: number }>;
  #turn = 0;
  /** Client sockets of upgrades (tunnelled or held), with the path each asked for. */
  readonly #upgraded = new Map<net.Socket, string>();
  readonly #all = new Set<net.Socket>();
  /** Client sockets frozen by `freeze`: nothing is forwarded to or from them any more. */
  readonly #frozen = new WeakSet<net.Socket>();
  /** Upstream requests in flight, with the path they asked for. */
  readonly #pending = new Map<http.ClientRequest, string>();
  #port = 0;

  constructor(targets: ReadonlyArray<{ host: string; port: number }>, mode: ProxyMode) {
    this.#targets = targets;
    this.mode = mode;
    this.#server = http.createServer((req, res) => this.#onRequest(req, res));
    this.#server.on('upgrade', (req, socket, head) => this.#onUpgrade(req, socket as net.Socket, head));
    this.#server.on('connection', (s) => {
      this.#all.add(s);
      s.on('close', () => this.#all.delete(s));
      s.on('error', () => {});
    });
  }

  get port() {
    return this.#port;
  }
  get url() {
    return `http://127.0.0.1:${this.#port}`;
  }

  async listen(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
    return this;
  }

  connections() {
    return this.#all.size;
  }

  setMode(mode: ProxyMode) {
    this.mode = mode;
    this.#drop(mode);
  }

  #drop(mode: ProxyMode) {
    if (mode === 'freeze') {
      for (const s of this.#all) this.#frozen.add(s);
      return;
    }
    if (mode === 'pass') return;
    // `block-socketio` only blocks the Socket.IO path: the app's other upgrades and requests live on.
    const killed = mode === 'block-socketio' ? isSocketIo : () => true;
    for (const [s, path] of this.#upgraded) {
      if (!killed(path)) continue;
      this.#upgraded.delete(s);
      s.destroy();
    }
    if (mode === 'down') {
      for (const r of this.#pending.keys()) r.destroy();
      for (const s of this.#all) s.destroy();
    }
    if (mode === 'block-socketio') {
      for (const [r, path] of this.#pending) if (isSocketIo(path)) r.destroy();
    }
  }

  /** The next backend: round-robin without sticky sessions, like a plain load balancer. */
  #target(): { host: string; port: number } {
    return this.#targets[this.#turn++ % this.#targets.length]!;
  }

  #onRequest(req: http.IncomingMessage, res: http.ServerResponse) {
    this.stats.requests++;
    // A request on a frozen keep-alive socket is never forwarded nor answered.
    if (this.#frozen.has(req.socket)) return void req.resume();
    if (this.mode === 'down') {
      res.writeHead(502, { 'content-type': 'text/html', connection: 'close' });
      res.end('<html><body><h1>502 Bad Gateway</h1>nginx</body></html>');
      return;
    }
    if (this.mode === 'block-socketio' && isSocketIo(req.url)) {
      res.writeHead(403, { 'content-type': 'text/html', connection: 'close' });
      res.end(FORBIDDEN_PAGE);
      return;
    }
    this.#forward(req, res);
  }

  #forward(req: http.IncomingMessage, res: http.ServerResponse) {
    const target = this.#target();
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers: req.headers, agent: false },
      (up) => {
        // Frozen mid-request: the answer is swallowed and the client's socket stays open.
        const frozen = () => this.#frozen.has(req.socket);
        if (frozen()) return void up.resume();
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.on('data', (chunk: Buffer) => {
          if (!frozen()) res.write(chunk);
        });
        up.on('end', () => {
          if (!frozen()) res.end();
        });
      },
    );
    this.#pending.set(upstream, req.url ?? '');
    upstream.on('close', () => this.#pending.delete(upstream));
    upstream.on('error', () => {
      if (this.#frozen.has(req.socket)) return;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway');
    });
    res.on('close', () => upstream.destroy());
    req.on('data', (chunk: Buffer) => {
      if (!this.#frozen.has(req.socket)) upstream.write(chunk);
    });
    req.on('end', () => {
      if (!this.#frozen.has(req.socket)) upstream.end();
    });
  }

  #onUpgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer) {
    this.stats.upgrades++;
    socket.on('error', () => {});
    if (this.upgradeDelayMs > 0) {
      const timer = setTimeout(() => !socket.destroyed && this.#upgrade(req, socket, head), this.upgradeDelayMs);
      socket.once('close', () => clearTimeout(timer));
      return;
    }
    this.#upgrade(req, socket, head);
  }

  #upgrade(req: http.IncomingMessage, socket: net.Socket, head: Buffer) {
    switch (this.mode) {
      case 'reject-upgrade':
        socket.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request');
        return;
      case 'block-socketio':
        if (!isSocketIo(req.url)) return this.#tunnel(req, socket, head);
        socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/html\r\nContent-Length: ${FORBIDDEN_PAGE.length}\r\nConnection: close\r\n\r\n${FORBIDDEN_PAGE}`);
        return;
      case 'reset-upgrade':
      case 'down':
        socket.resetAndDestroy();
        return;
      case 'blackhole-upgrade':
        this.#upgraded.set(socket, req.url ?? ''); // dropped on close() or when the mode changes
        return;
      case 'strip-upgrade':
        this.#stripped(req, socket);
        return;
      case 'blackhole-after-upgrade':
        this.#tunnel(req, socket, head, true);
        return;
      case 'pass':
      case 'freeze': // only what was open at the switch is frozen
        this.#tunnel(req, socket, head);
    }
  }

  /** Forwards an upgrade as a plain GET without Upgrade/Connection and relays the raw answer. */
  #stripped(req: http.IncomingMessage, socket: net.Socket) {
    const headers = { ...req.headers };
    delete headers.upgrade;
    delete headers.connection;
    delete headers['sec-websocket-key'];
    delete headers['sec-websocket-version'];
    delete headers['sec-websocket-extensions'];
    const target = this.#target();
    const upstream = http.request(
      { host: target.host, port: target.port, method: req.method, path: req.url, headers, agent: false },
      (up) => {
        const chunks: Buffer[] = [];
        up.on('data', (c: Buffer) => chunks.push(c));
        up.on('end', () => {
          const body = Buffer.concat(chunks);
          const lines = [`HTTP/1.1 ${up.statusCode ?? 502} ${up.statusMessage ?? ''}`];
          for (const [k, v] of Object.entries(up.headers)) {
            if (k === 'transfer-encoding' || k === 'connection' || k === 'content-length' || v === undefined) continue;
            lines.push(`${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
          }
          lines.push(`content-length: ${body.length}`, 'connection: close');
          socket.end(Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n'), body]));
        });
      },
    );
    upstream.on('error', () => socket.destroy());
    upstream.end();
  }

  /**
   * Relays an upgrade to the backend. With `silenceAfterHandshake`, frames flow until the server
   * has sent a Socket.IO CONNECT ack (a text frame whose payload starts with "40"), then nothing
   * is forwarded either way and the client's socket stays open, even when the backend hangs up.
   * A tunnel whose client socket is frozen (`freeze`) behaves the same from that moment on.
   */
  #tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer, silenceAfterHandshake = false) {
    const target = this.#target();
    let silent = false;
    let seen = '';
    const frozen = () => this.#frozen.has(socket);
    const upstream = net.connect(target.port, target.host, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(lines.join('\r\n') + '\r\n\r\n');
      if (head.length) upstream.write(head);
      if (!silenceAfterHandshake) {
        upstream.on('data', (chunk: Buffer) => {
          if (!frozen()) socket.write(chunk);
        });
        socket.on('data', (chunk: Buffer) => {
          if (!frozen()) upstream.write(chunk);
        });
        // A half-close passes through as it did with pipe(): a client that ends its WebSocket
        // must reach the backend, or neither side ever lets go of the tunnel.
        upstream.on('end', () => {
          if (!frozen()) socket.end();
        });
        socket.on('end', () => {
          if (!frozen()) upstream.end();
        });
        return;
      }
      upstream.on('data', (chunk: Buffer) => {
        if (silent || frozen()) return;
        socket.write(chunk);
        // Unmasked server frame: 0x81 (FIN, text), a 7-bit length, then the payload "40…".
        seen = (seen + chunk.toString('latin1')).slice(-4096);
        if (/\x81[\x00-\x7d]40/.test(seen)) silent = true;
      });
      socket.on('data', (chunk: Buffer) => {
        if (!silent && !frozen()) upstream.write(chunk);
      });
    });
    this.#upgraded.set(socket, req.url ?? '');
    const done = () => {
      this.#upgraded.delete(socket);
      upstream.destroy();
      socket.destroy();
    };
    // A black hole keeps the client's side open when the backend gives up (its ping timeout).
    const upstreamGone = () => (silent || frozen() ? upstream.destroy() : done());
    upstream.on('error', upstreamGone);
    upstream.on('close', upstreamGone);
    socket.on('close', done);
  }

  async close() {
    for (const r of this.#pending.keys()) r.destroy();
    for (const s of this.#all) s.destroy();
    for (const s of this.#upgraded.keys()) s.destroy();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}

/**
 * Starts a fault proxy on 127.0.0.1 in front of `target` (a port on 127.0.0.1 or an http URL).
 * Several targets are used round-robin per request and per upgrade, like a load balancer without
 * sticky sessions (Engine.IO polling then answers "Session ID unknown").
 *
 * @example
 * ```ts
 * const proxy = await startProxy(server.port, 'reject-upgrade');
 * const client = createClient({ url: proxy.url });
 * proxy.setMode('pass');
 * const lb = await startProxy([serverA.port, serverB.port]); // round-robin, no sticky sessions
 * ```
 */
export async function startProxy(target: number | string | ReadonlyArray<number | string>, mode: ProxyMode = 'pass'): Promise<FaultProxy> {
  const parse = (t: number | string) => {
    if (typeof t === 'number') return { host: '127.0.0.1', port: t };
    const u = new URL(t);
    return { host: u.hostname, port: Number(u.port) };
  };
  const targets = (typeof target === 'number' || typeof target === 'string' ? [target] : [...target]).map(parse);
  if (targets.length === 0) throw new TypeError('startProxy needs at least one target');
  return new Proxy(targets, mode).listen();
}
