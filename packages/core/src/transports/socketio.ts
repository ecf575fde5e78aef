/**
 * One socket.io-client connection as a Lifeline `Transport`. Shared by `websocket` and `polling`.
 *
 * - Always a fresh `new Manager(...)`: the cached `io()` would share one connection between two
 *   clients of one origin.
 * - `reconnection: false`: the ladder owns retries. `upgrade: false`: Engine.IO's in-band upgrade
 *   can swallow packets behind a proxy that strips Upgrade (NOTES.md); we climb with a separate
 *   connection instead.
 * - Its own timer covers the whole attempt. When it fires after the Engine.IO handshake, the
 *   carrier works and the server's namespace layer never acknowledged the CONNECT (a middleware
 *   that never calls `next()`): `unacknowledged`, not a carrier failure.
 * - Socket.IO `connectionStateRecovery`: socket.io-client keeps the session id and the offset of
 *   the last event on its socket (`_pid`, `_lastOffset`, stable since 4.6) and offers both in its
 *   next CONNECT. Each attempt here is a fresh socket, so a connection that is lost leaves them
 *   in the client's `session` memory, and the next attempt, on either engine, starts from them;
 *   socket.io-client then says whether the server restored the session (`recovered`). A
 *   connection closed on purpose leaves nothing: the server keeps no session for it.
 * - It notes whether anything arrived after `open` (a heartbeat, an event, an ack) and reports the
 *   first such packet as `heard`: a connection that dies without one was silent from the start,
 *   however long the server's ping interval (a middlebox that passes the handshake, then drops
 *   every frame).
 * - The classification of a failure (classify.ts, with every message) is a lazily loaded chunk:
 *   the transport is torn down at once, and reports `close` when it is loaded (at once after
 *   the first time). If it cannot load, the failure is reported as `unreachable` (retried with
 *   backoff) with a short message.
 * @internal
 */
import { Manager, type Socket } from 'socket.io-client';
import type { ClassifyContext } from '../classify';
import { defaultClock } from '../clock';
import { WIRE } from '../constants';
import { chunkFailed, LifelineError } from '../errors';
import type { Liveness } from './liveness';
import { Timer } from '../timer';
import { TransportLifecycle } from './lifecycle';
import type { AckCallback, ChannelParams, IncomingEvent, JoinResult, Transport, TransportContext, TransportEvents, TransportFailure, TransportName } from './types';

type Classify = typeof import('../classify');
let classifier: Classify | undefined;
let loadingClassifier: Promise<Classify | undefined> | undefined;

/**
 * Calls `use` with the classifier: at once when it is loaded, else once its chunk is (with
 * `undefined` when it cannot be loaded; a later failure tries again).
 * @internal
 */
export function withClassifier(use: (c: Classify | undefined) => void): void {
  if (classifier) return use(classifier);
  loadingClassifier ??= import('../classify').then(
    (m) => (classifier = m),
    () => {
      loadingClassifier = undefined;
      return undefined;
    },
  );
  void loadingClassifier.then(use);
}

/** @internal */
export function toIncoming(event: string, args: readonly unknown[]): IncomingEvent {
  const first = args[0];
  if (event === WIRE.event && typeof first === 'object' && first !== null) {
    const e = first as { id?: unknown; channel?: unknown; event?: unknown; data?: unknown };
    if (typeof e.event === 'string') {
      // By assignment, not spreads (this runs per event): only the fields that have a value.
      const m: { -readonly [K in keyof IncomingEvent]: IncomingEvent[K] } = { event: e.event, data: e.data };
      if (e.id !== undefined && e.id !== null) m.id = String(e.id);
      if (typeof e.channel === 'string') m.channel = e.channel;
      return m;
    }
  }
  return args.length > 1 ? { event, data: first, args } : { event, data: first };
}

/** socket.io-client's recovery state on its socket (private fields: what its next CONNECT offers). */
interface Carried {
  _pid?: string | undefined;
  _lastOffset?: string | undefined;
}

/** engine.io-client's polling transport (the parts it sends with; not public API). */
interface PollingParts {
  readonly name: string;
  query: Record<string, string>;
  on(event: 'packet', listener: (packet: { type: string; data?: unknown }) => void): unknown;
  write(packets: ReadonlyArray<{ type: 'close' }>): void;
}

/**
 * Closes the Engine.IO session that a polling handshake still in flight is making.
 * engine.io-client closes such a transport by waiting for its `open`, then removes that very
 * listener with the others, so the server kept the session until its ping timeout (45 s by
 * default): one extra session per connect for every client whose polling attempt lost the
 * head-start race. Call after the engine was closed (closing removes every transport listener).
 */
function closeHandshake(transport: unknown): void {
  const t = transport as PollingParts;
  t.on('packet', (p) => {
    if (p.type !== 'open' || typeof p.data !== 'string') return;
    try {
      t.query.sid = (JSON.parse(p.data) as { sid: string }).sid;
      t.write([{ type: 'close' }]);
    } catch {
      /* no session named: nothing to close */
    }
  });
}

/** @internal */
export class SocketIoTransport implements Transport {
  readonly name: TransportName;
  readonly #ctx: TransportContext;
  readonly #engine: 'websocket' | 'polling';
  readonly #life = new TransportLifecycle(() => this.#teardown());
  readonly #classify: ClassifyContext;
  /** The whole attempt: Engine.IO handshake plus namespace CONNECT. */
  readonly #timer = new Timer(
    defaultClock,
    () => {
      const engineOpen = this.#engineOpen;
      this.#fail((c, ctx) => (engineOpen ? c.classifyUnacknowledged(ctx) : c.classifyConnectError(new Error('timeout'), ctx)));
    },
    true,
  );
  #socket: Socket | null = null;
  #engineOpen = false;
  #opened = false;
  #heard = false;
  /** Heartbeat and pings (liveness.ts, loaded on first use). */
  #live: Promise<Liveness> | undefined;
  #liveNow: Liveness | undefined;
  recovered = false;
  /** Events socket.io-client hands over before `connect`: a restored session's replay. */
  #early: IncomingEvent[] = [];

  constructor(name: TransportName, engine: 'websocket' | 'polling', ctx: TransportContext) {
    this.name = name;
    this.#engine = engine;
    this.#ctx = ctx;
    this.#classify = { transport: name, url: ctx.url + ctx.path, namespace: ctx.namespace, timeoutMs: ctx.timeoutMs, isAuthError: ctx.isAuthError };
  }

  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void {
    return this.#life.on(event, listener);
  }

  connect(): void {
    if (this.#socket || this.#life.dead) return;
    const ctx = this.#ctx;
    const { url, path, namespace, auth, timeoutMs, socketOptions, query, withCredentials } = ctx;
    const manager = new Manager(url, {
      ...socketOptions,
      ...(query ? { query: { ...query } } : {}),
      ...(withCredentials !== undefined ? { withCredentials } : {}),
      path,
      reconnection: false,
      autoConnect: false,
      transports: [this.#engine],
      upgrade: false,
      // No Manager timer (its code takes `false`, its type not): #timer covers the handshake too, and reads pending I/O before it judges.
      timeout: false as unknown as number,
    });
    const socket = manager.socket(namespace, { auth: { ...auth } });
    const session = this.#ctx.session;
    if (session) Object.assign(socket, { _pid: session.pid, _lastOffset: session.offset } satisfies Carried);
    this.#socket = socket;
    manager.on('open', this.#onEngineOpen);
    // Heartbeats and every decoded packet; the namespace CONNECT itself arrives before `open`.
    manager.on('ping', this.#onPacket);
    manager.on('packet', this.#onPacket);
    socket.on('connect', () => {
      this.#timer.cancel();
      this.recovered = socket.recovered;
      this.#opened = true;
      // A liveness chunk that cannot load leaves Engine.IO's own ping in charge (as against an
      // unmodified server); `client.ping()` reports it as UNREACHABLE.
      if (ctx.heartbeat) this.#liveness().catch(() => {});
      this.#life.events.emit('open');
      for (const m of this.#early.splice(0)) if (!this.#life.dead) this.#life.events.emit('message', m);
    });
    socket.on('connect_error', (err: Error) => this.#fail((c, ctx) => c.classifyConnectError(err, ctx), err.message));
    socket.on('disconnect', (reason: string) => {
      const heard = this.#heard;
      this.#fail((c, ctx) => c.classifyDisconnect(reason, heard, ctx), reason);
    });
    socket.onAny((event: string, ...args: unknown[]) => {
      // A restored session's missed events come before `connect` (socket.io-client's receive
      // buffer): they follow `open`, in order, once the ladder has made this transport active.
      if (!this.#opened) this.#early.push(toIncoming(event, args));
      else if (!this.#life.dead) this.#life.events.emit('message', toIncoming(event, args));
    });
    this.#timer.schedule(timeoutMs);
    socket.connect();
  }

  send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean): void {
    const socket = this.#socket;
    if (volatile) {
      // socket.io's own volatile: dropped unless the engine can write it now (never buffered).
      if (socket && !this.#life.dead) socket.volatile.emit(event, ...(data === undefined ? [] : [data]));
      return;
    }
    if (!socket || this.#life.dead) {
      ack?.(new LifelineError('CLOSED', `Cannot send "${event}": the ${this.name} transport is closed.`, { event }), undefined);
      return;
    }
    const args: unknown[] = data === undefined ? [] : [data];
    if (ack) socket.emit(event, ...args, (reply: unknown) => ack(null, reply));
    else socket.emit(event, ...args);
  }

  #emitWithAck = (event: string, data: unknown, timeoutMs: number): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const socket = this.#socket;
      if (!socket || this.#life.dead) return reject(new Error('transport closed'));
      socket.timeout(timeoutMs).emit(event, data, (err: Error | null, reply: unknown) => (err ? reject(err) : resolve(reply)));
    });

  /** Called on the active transport only (open): a heartbeat or the universal question (liveness.ts). */
  ping(timeoutMs: number): Promise<void> {
    return this.#liveness().then((l) => l.ping(timeoutMs));
  }

  #liveness(): Promise<Liveness> {
    return (this.#live ??= import('./liveness').then(
      ({ Liveness }) => (this.#liveNow = new Liveness(this.#socket!, this.name, this.#ctx.heartbeat, (f) => this.#fail(f), () => this.#life.dead)),
      (e) => {
        this.#live = undefined; // the next ping tries again
        throw chunkFailed('liveness', e);
      },
    ));
  }

  join(channel: string, cursor: string | undefined, params?: ChannelParams): Promise<JoinResult> {
    return this.#ctx.channelProtocol.join(this.#emitWithAck, channel, cursor, params);
  }

  leave(channel: string, params?: ChannelParams): Promise<void> {
    return this.#ctx.channelProtocol.leave(this.#emitWithAck, channel, params);
  }

  history(channel: string, query: { readonly limit: number; readonly before?: string | undefined }, timeoutMs: number): Promise<unknown> {
    return this.#emitWithAck(WIRE.history, { channel, ...query }, timeoutMs); // a rejection is a TIMEOUT (history.ts)
  }

  close(): void {
    this.#life.close();
  }

  /**
   * Dead and torn down now; `close` with the failure: at once when it is given, else once the
   * classifier (a lazy chunk) is loaded to make it.
   */
  #fail(failure: TransportFailure | ((c: Classify, ctx: ClassifyContext) => TransportFailure), what = 'timeout'): void {
    if (this.#life.dead) return;
    const session = this.#ctx.session;
    const carried = this.#socket as Carried | null;
    if (session && carried) [session.pid, session.offset] = [carried._pid, carried._lastOffset];
    if (typeof failure !== 'function') return this.#life.fail(failure);
    if (!this.#life.die()) return;
    const opened = this.#opened;
    withClassifier((c) => {
      const ctx = this.#classify;
      this.#life.report(c ? failure(c, ctx) : { kind: 'unreachable', opened, reason: `${this.name} failed (${what})`, error: new LifelineError('UNREACHABLE', `The ${this.name} connection to ${ctx.url} failed: ${what}.`, { url: ctx.url, transport: this.name, serverMessage: what }) });
    });
  }

  #onEngineOpen = (): void => {
    this.#engineOpen = true;
  };

  #onPacket = (): void => {
    this.#liveNow?.heard();
    if (!this.#opened || this.#heard || this.#life.dead) return;
    this.#heard = true;
    this.#life.events.emit('heard');
  };

  #teardown(): void {
    this.#timer.cancel();
    this.#liveNow?.stop();
    const socket = this.#socket;
    if (!socket) return;
    socket.offAny();
    socket.off();
    socket.io.off('open', this.#onEngineOpen).off('ping', this.#onPacket).off('packet', this.#onPacket);
    const engine = socket.io.engine as typeof socket.io.engine | undefined;
    const handshaking = engine?.readyState === 'opening' && engine.transport?.name === 'polling' ? engine.transport : null;
    // disconnect() destroys the socket; with no other socket the Manager closes its engine.
    socket.disconnect();
    engine?.close();
    if (handshaking) closeHandshake(handshaking);
  }
}
