/**
 * The client: wires the store, the ladder, channels, the outbox and acks behind the public
 * `LifelineClient` interface.
 * @internal
 */
import { Acks } from './acks';
import { ChannelHandle } from './channel';
import { ChannelRegistry } from './channels';
import { TrackedClock, type Clock } from './clock';
import { DEFAULTS, RESERVED_EVENTS, WIRE } from './constants';
import { Emitter } from './emitter';
import { Environment, type EnvironmentSource } from './environment';
import { afterHints, chunkFailed, hintsLoaded, LifelineError, reported, withHint } from './errors';
import { Deliverer } from './events';
import { INSPECTORS } from './internals';
import { Ladder, type LadderDeps } from './ladder';
import type { NormalizedOptions } from './options';
import { Outbox } from './outbox';
import { unsendable } from './payload';
import { defaultStorage, RungMemory, type StorageLike } from './rungMemory';
import { initialState } from './state';
import { StateStore } from './store';
import { TRANSPORTS } from './transports/index';
import type { IncomingEvent, PollCursor, SessionMemory, Transport, TransportFactory, TransportName } from './transports/types';
import { compareIds, isWellFormedId } from './protocol/ids';
import type { AnyEventListener, Channel, ChannelOptions, ConnectionState, EmitOptions, EventMeta, EventSchemas, LifelineClient, TransportChange, VolatileEmitOptions } from './types';

/** Injectable collaborators (tests, `@lifeline/core/testing`). @internal */
export interface ClientDeps {
  readonly clock?: Clock;
  readonly random?: () => number;
  readonly environment?: EnvironmentSource;
  /** `null` disables rung memory. */
  readonly storage?: StorageLike | null;
  readonly factories?: Partial<Readonly<Record<TransportName, TransportFactory>>>;
  readonly headStartMs?: number;
  readonly probationMs?: number;
  /** Deferred-leave delay, ms. @default 0 (one macrotask) */
  readonly leaveDelayMs?: number;
  /** What carries traffic instead of the ladder (`share`: a tab relaying through the leader tab). */
  readonly engine?: (deps: LadderDeps) => Engine;
  /** Sees every incoming event (`share`: the leader relays them to the tabs, which dedupe by their own cursors). */
  readonly tap?: (message: IncomingEvent, transport: TransportName) => void;
}

/** The part of the ladder the client drives; `share` swaps in its own. @internal */
export type Engine = Pick<Ladder, 'active' | 'liveTransports' | 'running' | 'start' | 'stop' | 'rtt' | 'ping'>;

type AnyHandler = (...args: never[]) => void;

const unsendableError = (event: string, why: string | null, cause?: unknown): LifelineError | null =>
  why === null ? null : withHint('BAD_INPUT', `The "${event}" payload cannot be sent: ${why}.`, { event }, 'payload', cause);
/** socket.io-client (or a `toJSON`) threw while encoding the payload. */
const encodeError = (event: string, e: unknown): LifelineError => unsendableError(event, e instanceof Error ? e.message : String(e), e)!;
const RESERVED: ReadonlySet<string> = new Set(RESERVED_EVENTS);
/** The emitter key of `onAny` listeners (no Socket.IO event name starts with NUL). */
const ANY = '\0any';

/** @internal */
export class Client<E extends EventSchemas> implements LifelineClient<E> {
  readonly #clock: TrackedClock;
  readonly #store: StateStore;
  readonly #events = new Emitter<Record<string, (...args: unknown[]) => void>>();
  readonly #channels: ChannelRegistry;
  readonly #outbox: Outbox;
  readonly #acks: Acks;
  readonly #deliverer: Deliverer;
  readonly #ladder: Engine;
  readonly #tap: ClientDeps['tap'];
  readonly #environment: Environment;
  readonly #options: NormalizedOptions;
  readonly #cursorOf: ((event: string, data: unknown) => PollCursor | undefined) | undefined;
  readonly #session: SessionMemory = { report: (e) => this.#error(e) };
  #carrier: TransportName | null = null;
  #closed = false;
  #hintsPending = false;
  /** The presence chunk, imported once (see #onMessage). */
  #presence: Promise<typeof import('./presence')> | undefined;

  constructor(options: NormalizedOptions, deps: ClientDeps = {}) {
    this.#options = options;
    const clock = (this.#clock = new TrackedClock(deps.clock));
    this.#store = new StateStore(initialState(clock.now()));
    this.#environment = new Environment(deps.environment);
    this.#outbox = new Outbox(options.outbox.maxSize, options.outbox.maxAgeMs);
    this.#acks = new Acks(clock);
    this.#channels = new ChannelRegistry({
      clock,
      leaveDelayMs: deps.leaveDelayMs ?? 0,
      active: () => this.#ladder.active,
      error: this.#error,
      namespace: options.namespace,
      deliver: (m, t) => this.#onMessage(m, t),
      onState: (l) => this.#store.subscribe(l),
      schemas: options.events,
      channelOf: options.channels.channelOf?.bind(options.channels),
    });
    this.#tap = deps.tap;
    this.#deliverer = new Deliverer(options.events, this.#deliver, this.#error);
    this.#cursorOf = options.cursorOf;
    const storage = deps.storage === null ? undefined : (deps.storage ?? defaultStorage());
    this.#ladder = (deps.engine ?? ((d: LadderDeps) => new Ladder(d)))({
      options,
      clock,
      random: deps.random ?? Math.random,
      factories: { ...TRANSPORTS, ...options.transportFactories, ...deps.factories },
      environment: this.#environment,
      memory: new RungMemory(storage, `${options.url}${options.path}${options.namespace}`, DEFAULTS.rungMemoryTtlMs, clock.now),
      store: this.#store,
      joins: this.#channels.names,
      session: this.#session,
      headStartMs: deps.headStartMs,
      probationMs: deps.probationMs,
      hooks: {
        join: (t) => this.#join(t),
        activated: (t, joined) => this.#activated(t, joined),
        message: (m, name) => this.#onMessage(m, name),
        error: this.#error,
      },
    });
    // The `transport` event is derived from state actions, never assembled ad hoc.
    this.#store.subscribe((state, _prev, action) => {
      const to = action.type === 'connected' ? state.transport : action.type === 'stopped' || action.type === 'closed' ? null : this.#carrier;
      if (to === this.#carrier) return;
      const change: TransportChange = { from: this.#carrier, to, reason: action.reason };
      this.#carrier = to;
      this.#events.emit('transport', change);
    });
    // A lastError made before the hint texts loaded reads in full once they have: tell the
    // subscribers (a status badge showing the hint renders again).
    this.#store.subscribe((state) => {
      if (!state.lastError || hintsLoaded() || this.#hintsPending) return;
      this.#hintsPending = true;
      afterHints(() => this.#store.dispatch({ type: 'hints', at: this.#clock.now(), reason: 'hint texts loaded' }));
    });
    INSPECTORS.set(this, () => ({
      timers: this.#clock.pending,
      listeners: this.#events.listenerCount() + this.#channels.listenerCount() + this.#store.listenerCount + this.#environment.listenerCount,
      sockets: this.#ladder.liveTransports.length,
      transports: this.#ladder.liveTransports,
    }));
  }

  getState = (): ConnectionState => this.#store.getState();

  subscribeState = (listener: (state: ConnectionState) => void): (() => void) => this.#store.subscribe((state) => listener(state));

  on(event: string, handler: AnyHandler): () => void {
    if (typeof handler !== 'function') throw withHint('BAD_INPUT', `on("${event}") needs a handler function.`, { event }, 'handler');
    if (this.#closed) return () => {};
    return this.#events.on(event, handler as (...args: unknown[]) => void);
  }

  onAny(listener: AnyEventListener): () => void {
    return this.on(ANY, listener);
  }

  channel(name: string, options?: ChannelOptions): Channel<E> {
    if (typeof name !== 'string' || name === '') throw withHint('BAD_INPUT', `channel() needs a non-empty name, got ${JSON.stringify(name)}.`, {}, 'channelName');
    if (this.#closed) throw this.#closedError(`join channel "${name}"`);
    const { rewind, since, params } = options ?? {};
    if ((rewind !== undefined && !(Number.isSafeInteger(rewind) && rewind > 0 && rewind <= 1000)) || (since !== undefined && !isWellFormedId(since))) {
      throw withHint('BAD_INPUT', `channel("${name}"): bad rewind or since.`, { channel: name }, 'channelOptions');
    }
    const why = params === undefined ? null : typeof params !== 'object' ? 'not an object' : unsendable(params);
    if (why !== null) throw withHint('BAD_INPUT', `Channel "${name}" params: ${why}.`, { channel: name }, 'channelParams');
    return new ChannelHandle<E>(this.#channels, name, options);
  }

  emit(event: string, data?: unknown): void;
  emit(event: string, data: unknown, options: VolatileEmitOptions): void;
  emit<R = unknown>(event: string, data: unknown, options: EmitOptions & { readonly ack: true; readonly volatile?: false }): Promise<R>;
  emit<R = unknown>(event: string, data?: unknown, options?: EmitOptions): Promise<R> | void {
    const wantsAck = options?.ack === true;
    const volatile = options?.volatile === true;
    const refused =
      typeof event !== 'string' || event === ''
        ? withHint('BAD_INPUT', `emit() needs an event name, got ${JSON.stringify(event)}.`, {}, 'eventName')
        : this.#closed
          ? this.#closedError(`emit "${event}"`)
          : volatile && wantsAck
            ? withHint('BAD_INPUT', `emit("${event}"): volatile cannot have an ack.`, { event }, 'volatileAck')
            : unsendableError(event, unsendable(data));
    if (refused) {
      if (wantsAck) return new Promise((_, reject) => afterHints(() => reject(refused)));
      throw refused;
    }
    if (!wantsAck) {
      const failed = this.#send(event, data, undefined, volatile);
      if (failed?.code === 'BAD_INPUT') throw failed; // OUTBOX_FULL already was an `error` event
      return;
    }
    const timeoutMs = options?.timeoutMs ?? DEFAULTS.ackTimeoutMs;
    const { promise, callback } = this.#acks.create<R>(event, timeoutMs);
    const failed = this.#send(event, data, callback);
    if (failed) callback(failed);
    return promise;
  }

  get rtt(): number | null {
    return this.#ladder.rtt;
  }

  ping(options?: { readonly timeoutMs?: number }): Promise<number> {
    return this.#closed ? Promise.reject(this.#closedError('ping')) : this.#ladder.ping(options?.timeoutMs);
  }

  connect(): void {
    if (this.#closed) throw this.#closedError('connect');
    // Server rendering (no `location` for a missing or relative `url`): never connect.
    if (this.#options.url === '') return;
    this.#ladder.start();
  }

  disconnect(): void {
    if (this.#closed || !this.#ladder.running) return;
    this.#ladder.stop('disconnect() called');
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#ladder.stop('close() called');
    this.#deliverer.stop();
    const closed = this.#closedError('wait for an ack');
    this.#acks.rejectAll(closed);
    this.#outbox.drain(); // an ack emit queued there is in #acks too: rejected just above
    this.#channels.clear();
    this.#store.dispatch({ type: 'closed', at: this.#clock.now(), reason: 'close() called' });
    this.#events.removeAll();
    this.#store.clear();
  }

  #closedError(what: string): LifelineError {
    return new LifelineError('CLOSED', `Cannot ${what}: the client was closed.`);
  }

  /** Emits `error` once the hint texts are loaded (at once when they are), so it carries the full hint. */
  #error = (error: LifelineError): void => {
    afterHints(() => {
      if (!this.#closed) this.#events.emit('error', error);
    });
  };

  /**
   * Sends now when connected with nothing queued, else queues. Returns an error when the payload
   * could not be encoded (e.g. a `toJSON` that throws) or the outbox is full (for an emit without
   * ack, that is also an `error` event).
   */
  #send(event: string, data: unknown, ack: ((e: LifelineError | null, r?: unknown) => void) | undefined, volatile?: boolean): LifelineError | undefined {
    const active = this.#ladder.active;
    // A volatile emit goes now or never: never the outbox, never a retry. A receive-only rung (an
    // http.poll adapter without `send`) carries no emits: they wait for a socket rung (volatile ones: never).
    if ((active && !active.receiveOnly && this.#outbox.size === 0) || volatile) {
      try {
        if (!active?.receiveOnly) active?.send(event, data, ack, volatile);
      } catch (e) {
        return encodeError(event, e);
      }
      return undefined;
    }
    this.#expire();
    if (this.#outbox.push({ event, data, at: this.#clock.now(), ack })) return undefined;
    const full = reported('OUTBOX_FULL', 'outboxFull', { event });
    if (!ack) this.#error(full);
    return full;
  }

  #expire(): void {
    for (const item of this.#outbox.expire(this.#clock.now())) {
      (item.ack ?? this.#error)(reported('TIMEOUT', 'outboxAge', { event: item.event }));
    }
  }

  /**
   * Before a probe takes over: join its channels, and with `cursorOf` let the rung it replaces
   * poll once more. The switch follows within microtasks (no socket packet in between), so what
   * was published before it came over the old rung, what after over the new one, and an event
   * both carried is dropped by position.
   */
  async #join(transport: Transport): Promise<boolean> {
    const joined = await this.#channels.joinAll(transport);
    if (this.#cursorOf) await this.#ladder.active?.flush?.();
    return joined;
  }

  #activated(transport: Transport, joined: boolean): void {
    if (!joined) void this.#channels.joinAll(transport);
    if (transport.receiveOnly) return;
    this.#expire();
    for (const item of this.#outbox.drain()) {
      // One payload that fails to encode now (a toJSON that throws) fails alone, not the flush.
      try {
        transport.send(item.event, item.data, item.ack);
      } catch (e) {
        (item.ack ?? this.#error)(encodeError(item.event, e));
      }
    }
  }

  #onMessage(message: IncomingEvent, transport: TransportName): void {
    this.#tap?.(message, transport);
    // Presence is applied by a lazily loaded module, in arrival order: every frame waits on the one
    // import() promise (its callbacks run in order; two import() calls may settle in either order:
    // under tsx a snapshot applied after the change that followed it lost that change for good).
    if (message.event === WIRE.presence) {
      const chunk = (this.#presence ??= import('./presence'));
      return void chunk.then(
        (m) => m.applyPresence(this.#channels, message, this.#ladder.active),
        (e) => {
          if (this.#presence === chunk) this.#presence = undefined; // the next frame tries again
          this.#error(chunkFailed('presence', e));
        },
      );
    }
    if (!this.#channels.accept(message)) return; // already seen (dedupe by id)
    if (!this.#advance(message)) return; // `cursorOf`: at or before the last position seen
    // An unmodified server's `io.to(room).emit` carries no channel: the protocol may name it.
    const channel = message.channel ?? this.#channels.channelOf(message);
    // Built by assignment, not spreads (this runs per event): only the fields that have a value.
    const meta: { -readonly [K in keyof EventMeta]: EventMeta[K] } = { transport };
    if (message.id !== undefined) meta.id = message.id;
    if (channel !== undefined) meta.channel = channel;
    if (message.args) meta.args = message.args;
    this.#deliverer.push(message.event, message.data, meta);
  }

  /** `cursorOf`: false for an event at or before the last position seen; else it becomes the position. */
  #advance({ event, data }: IncomingEvent): boolean {
    let at: PollCursor | undefined;
    try {
      at = this.#cursorOf?.(event, data);
    } catch {
      // The app's function failed on an odd payload: deliver it, as one outside the sequence.
    }
    const last = this.#session.cursor;
    if (at == null) return true;
    if (last != null && compareIds(String(at), String(last)) <= 0) return false;
    this.#session.cursor = at;
    return true;
  }

  #deliver = (event: string, payload: unknown, meta: EventMeta): void => {
    if (meta.channel !== undefined) this.#channels.get(meta.channel)?.handlers.emit(event, payload, meta);
    if (RESERVED.has(event)) return;
    this.#events.emit(event, payload, meta);
    // onAny: every argument as received (once validation passed), as socket.io-client's. The
    // argument list is built only when someone listens (this runs per event).
    if (this.#events.listenerCount(ANY)) this.#events.emit(ANY, event, ...(meta.args ?? (payload === undefined ? [] : [payload])));
  };
}
