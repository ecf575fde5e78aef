/**
 * Public types of the client: the contract bindings and apps rely on (ARCHITECTURE.md).
 */
import type { AnyLifelineError } from './errors';
import type { StandardSchemaV1 } from './standardSchema';
import type { ChannelParams, TransportName } from './transports/types';

/** Connection lifecycle. */
export type ConnectionStatus = 'idle' | 'connecting' | 'connected' | 'reconnecting' | 'closed';

/**
 * Who holds the connection (see `share`): `solo` — this client has its own (sharing is off, or
 * not possible here: no Web Locks or BroadcastChannel); `leader` — this tab holds the connection
 * every tab shares; `follower` — another tab holds it and relays.
 */
export type ConnectionRole = 'solo' | 'leader' | 'follower';

/**
 * One immutable snapshot of the connection. The same frozen object is returned by
 * `getState()` until something changes.
 */
export interface ConnectionState {
  /** Where the connection stands: `idle`, `connecting`, `connected`, `reconnecting` or `closed`. */
  readonly status: ConnectionStatus;
  /** The carrier in use, or null while not connected. */
  readonly transport: TransportName | null;
  /** Consecutive failed attempts since the last successful connection (0 when connected). */
  readonly attempt: number;
  /** True when connected on a rung below the first of the ladder. */
  readonly fallback: boolean;
  /** The last error worth showing a person, or null. Cleared on connect. */
  readonly lastError: AnyLifelineError | null;
  /**
   * True when this connection resumed the server's Socket.IO session (a server with
   * `connectionStateRecovery`): the server replayed what the break missed. False on a fresh
   * session: refetch what the break may have cost, if it matters.
   */
  readonly recovered: boolean;
  /** `Date.now()` when `status` last changed. */
  readonly since: number;
  /** Who holds the connection: `solo`, or with `share`, `leader` / `follower`. */
  readonly role: ConnectionRole;
}

/** Incoming event schemas: event name → any Standard Schema (zod, valibot, arktype…). */
export type EventSchemas = { readonly [event: string]: StandardSchemaV1 };

/** Names that cannot be declared in `events`: they are lifecycle events of the client. */
export type ReservedEventName = 'error' | 'transport';

/** Event names of a schema map. */
export type EventName<E extends EventSchemas> = Extract<keyof E, string>;

/** Payload type of an event: the schema's output type. */
export type EventPayload<E extends EventSchemas, K extends EventName<E>> = SchemaOutput<E[K]>;

/**
 * Output type of a Standard Schema. Reads `~standard.types.output` by inference instead of an
 * `extends StandardSchemaV1` check: arktype's `Type` is too deep for a structural comparison.
 */
export type SchemaOutput<S> = S extends { readonly '~standard': { readonly types?: infer T } }
  ? NonNullable<T> extends { readonly output: infer O }
    ? O
    : unknown
  : unknown;

/** Facts about one delivered event. */
export interface EventMeta {
  /** Log id, for events published through `@lifeline/server`. */
  readonly id?: string;
  /**
   * Channel: carried by events published through `@lifeline/server`, or named by the channel
   * protocol's `channelOf` for an unmodified server's events.
   */
  readonly channel?: string;
  /** The carrier the event arrived on. */
  readonly transport: TransportName;
  /**
   * Every argument the server emitted, when it sent more than one
   * (`socket.emit('message', user, text)`): the payload is the first; declare the event with
   * `args(schema)` to get them validated and typed as a tuple instead.
   */
  readonly args?: readonly unknown[];
}

/** Handler of an incoming event. */
export type EventHandler<E extends EventSchemas, K extends EventName<E>> = (payload: EventPayload<E, K>, meta: EventMeta) => void;

/** A switch between carriers, announced as the `transport` event. */
export interface TransportChange {
  /** The transport that carried traffic before, or `null` when none did. */
  readonly from: TransportName | null;
  /** The transport carrying traffic now, or `null` when the client stopped. */
  readonly to: TransportName | null;
  /** Why, in words a person can read: "websocket upgrade rejected (400): falling back to polling". */
  readonly reason: string;
}

/** Lifecycle events every client has, whatever its `events` map. */
export interface LifecycleEvents {
  /** A failure worth showing a person; `err.code` to branch on, `err.hint` to act on. */
  error: (error: AnyLifelineError) => void;
  /** The carrier changed (connected, fell back, climbed back, stopped), with a readable reason. */
  transport: (change: TransportChange) => void;
}

/** Options of one `emit`. */
export interface EmitOptions {
  /** Wait for the server's acknowledgement; `emit` then returns a promise of the reply. */
  readonly ack?: boolean;
  /** How long to wait for the ack, ms. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Fire and forget: sent only if connected right now, else dropped. Never queued in the outbox,
   * never retried, never replayed (typing indicators, cursors). Cannot be combined with `ack`.
   * On the `http` rung it is one best-effort `POST /emit`.
   */
  readonly volatile?: boolean;
}

/** Options of a volatile emit (`{ volatile: true }`): no ack, nothing queued. */
export interface VolatileEmitOptions {
  /** Sent only if connected right now; dropped otherwise, silently. */
  readonly volatile: true;
  readonly ack?: false;
}

/**
 * Options of `client.channel(name, options)`. They count when the handle creates the channel
 * (no other handle holds it yet); a channel already joined continues as it is.
 *
 * @example
 * ```ts
 * client.channel('ticket:42', { rewind: 20 });      // the last 20 events first, then live
 * client.channel('ticket:42', { since: '1041' });   // everything after id 1041 (a server-rendered page)
 * client.channel('logs', { params: { level: 'error' } }); // the server's filters, on every join
 * ```
 */
export interface ChannelOptions {
  /**
   * Join with the channel's last `rewind` events (1–1000) delivered first, to the same handlers
   * as live events, then continue live with nothing lost or doubled in between.
   */
  readonly rewind?: number;
  /**
   * Continue from exactly this event id: every event after it is delivered, then live (a page
   * rendered on the server up to `id`). Takes precedence over `rewind`.
   */
  readonly since?: string;
  /**
   * Parameters of the join (a server's per-channel filters), passed to the channel protocol on
   * every join and re-join. A handle with different params re-joins the channel with them; one
   * without `params` keeps the channel's. JSON data. @default undefined
   */
  readonly params?: ChannelParams;
}

/** A `channel.history(query)` request. */
export interface HistoryQuery {
  /** How many events, 1–1000 (the last ones before `before`). */
  readonly limit: number;
  /** Only events before this id (page back with the oldest id you have). @default the end of the log */
  readonly before?: string;
  /** How long to wait for a connection and the answer, ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** One event of a channel's history, typed from `events` like live events. */
export type HistoryEvent<E extends EventSchemas = EventSchemas> = {
  readonly [K in EventName<E>]: { readonly id: string; readonly event: K; readonly data: EventPayload<E, K> };
}[EventName<E>];

/** Listener of every incoming event (`client.onAny`): its name, then all its arguments. */
export type AnyEventListener = (event: string, ...args: unknown[]) => void;

/** A member of a channel's presence: a user, however many connections (tabs, devices) it has. */
export interface PresenceMember {
  /** The user's id, as the server's `presenceOf(user)` gives it. */
  readonly id: string;
  /** The user's public data (`presenceOf(user).data`), `null` when none. */
  readonly data: unknown;
  /** Its connections to the channel right now (0 during the server's grace period after the last one went away). */
  readonly connections: number;
}

/** Who is in a channel (`channel.presence`), kept up to date by `@lifeline/server` with `presence` on. */
export interface ChannelPresence {
  /** The members now: a frozen array, the same one until something changed (for `useSyncExternalStore`). */
  get(): readonly PresenceMember[];
  /** Called with the new members on every change; returns `off` (also released by the handle's `leave()`). */
  subscribe(listener: (members: readonly PresenceMember[]) => void): () => void;
  /** A member joined or left (reconnects and rung switches within the server's grace period are neither); returns `off`. */
  on(event: 'join' | 'leave', listener: (member: PresenceMember) => void): () => void;
}

/** A handle on a joined channel, returned by `client.channel(name)`. */
export interface Channel<E extends EventSchemas = EventSchemas> {
  /** The channel (room) name. */
  readonly name: string;
  /**
   * Listen to an event delivered on this channel only; returns `off`. An event belongs to the
   * channel when it carries it (`@lifeline/server`) or when the channel protocol's `channelOf`
   * names it, on every rung alike. With a custom `channels` protocol that has no `channelOf`, an
   * event of that name arriving without a channel is reported once as a `BAD_INPUT` error.
   */
  on<K extends EventName<E>>(event: K, handler: EventHandler<E, K>): () => void;
  /**
   * The channel's last events from the server's log, oldest first, each validated by its schema
   * (an invalid one is left out and reported as a `VALIDATION` error). Rejects with `FORBIDDEN`
   * when the server does not let this user join the channel, `TIMEOUT` when not connected in time.
   * `T` defaults to the entries typed from `events` (narrow on `event` to type `data`).
   * @example
   * ```ts
   * const last = await channel.history({ limit: 50 });
   * const older = await channel.history({ limit: 50, before: last[0]?.id });
   * ```
   */
  history<T = HistoryEvent<E>>(query: HistoryQuery): Promise<ReadonlyArray<T>>;
  /**
   * Who is in the channel, with `@lifeline/server`'s `presence` on (empty otherwise).
   * @example
   * ```ts
   * const off = channel.presence.subscribe((members) => render(members.map((m) => m.id)));
   * channel.presence.on('join', (m) => toast(`${m.id} is here`));
   * ```
   */
  readonly presence: ChannelPresence;
  /** Release this handle; the server leave is sent when the last handle is released. Idempotent. */
  leave(): void;
}

/** The client. `E` is the map of incoming event schemas. */
export interface LifelineClient<E extends EventSchemas = EventSchemas> {
  /**
   * Listen to a lifecycle event (`error`, `transport`) or an incoming event (typed from
   * `events`); returns `off`. The lifecycle overload comes first so that `error` keeps its type
   * on clients without an `events` map.
   */
  on<K extends keyof LifecycleEvents>(event: K, handler: LifecycleEvents[K]): () => void;
  on<K extends EventName<E>>(event: K, handler: EventHandler<E, K>): () => void;
  /**
   * Listen to every incoming event (not the lifecycle events): its name, then all its
   * arguments, as socket.io-client's `onAny` (validated first when `events` declares it);
   * returns `off`.
   */
  onAny(listener: AnyEventListener): () => void;
  /** Join a channel (ref-counted): every handle must be released with `leave()`. */
  channel(name: string, options?: ChannelOptions): Channel<E>;
  /** Send an event; queued in the outbox while disconnected. */
  emit(event: string, data?: unknown): void;
  /**
   * Send an event only if connected right now (`{ volatile: true }`): dropped while disconnected,
   * never queued, retried or replayed.
   * @example
   * ```ts
   * client.emit('typing', { ticket: 42 }, { volatile: true });
   * ```
   */
  emit(event: string, data: unknown, options: VolatileEmitOptions): void;
  /** Send an event and wait for the server's reply; rejects with `ACK_TIMEOUT`, `OUTBOX_FULL` or `CLOSED`. */
  emit<R = unknown>(event: string, data: unknown, options: EmitOptions & { readonly ack: true; readonly volatile?: false }): Promise<R>;
  /** The current snapshot (bound: safe to pass around). */
  readonly getState: () => ConnectionState;
  /** Called with every new snapshot; returns `off` (bound: safe to pass around). */
  readonly subscribeState: (listener: (state: ConnectionState) => void) => () => void;
  /**
   * Round trip over the current transport, ms: a heartbeat answered by the companion (or the
   * `heartbeat.event` handler), else a request any Socket.IO server answers; on the `http` rung a
   * request to the endpoint. Rejects with `TIMEOUT` when unanswered within `timeoutMs`
   * (default 5000), with `UNREACHABLE` when not connected, `CLOSED` after `close()`.
   *
   * @example
   * ```ts
   * const ms = await client.ping();
   * ```
   */
  ping(options?: { readonly timeoutMs?: number }): Promise<number>;
  /**
   * The last round trip measured, ms (by `ping()` or a heartbeat answer), or `null` before the
   * first. A plain getter, outside the state snapshot, so heartbeats never re-render a UI bound
   * to `subscribeState`: read it when you draw (e.g. on a timer).
   */
  readonly rtt: number | null;
  /** Start connecting (no-op when already connecting or connected, and during server rendering: see `url`). */
  connect(): void;
  /** Drop the connection and stop retrying; `connect()` resumes. Channels and handlers are kept. */
  disconnect(): void;
  /** Release everything: sockets, timers, listeners; pending acks reject with `CLOSED`. Final. */
  close(): void;
}
