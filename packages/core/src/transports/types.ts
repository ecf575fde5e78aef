import type { LifelineError } from '../errors';
import type { HeartbeatContext } from '../heartbeat';

/** The built-in rungs of the ladder, best first by default. */
export type TransportName = 'websocket' | 'polling' | 'http';

/**
 * What failed, classified by the transport (see `classify.ts`). Only `ladderPolicy.ts` decides
 * what to do about it.
 *
 * - `upgrade-blocked`: HTTP answers but the WebSocket upgrade is rejected, stripped or reset.
 * - `unreachable`: nothing answers (refused, reset, 5xx from a proxy, DNS).
 * - `timeout`: no answer within `timeoutMs`.
 * - `unacknowledged`: the carrier opened (Engine.IO handshake done) but the namespace CONNECT was
 *   not acknowledged within `timeoutMs` (a server middleware that never calls `next()`). The
 *   server's problem, not the carrier's: retried on the same rung, never escalated.
 * - `silent`: opened, then died within the probation window, or died without the server having
 *   sent a single packet (not even a heartbeat) after the handshake.
 * - `session-unknown`: Engine.IO polling answered "Session ID unknown" (no sticky sessions).
 * - `unauthorized` / `forbidden`: the server refused the credentials.
 * - `invalid-namespace`: the server has no such namespace (configuration: terminal).
 * - `protocol`: an answer that is not what the protocol says (HTML error page…).
 * - `server-closed`: the server closed an established connection (deploy, restart).
 * - `transport-closed`: an established connection dropped (network, proxy).
 */
export type TransportFailureKind =
  | 'upgrade-blocked'
  | 'unreachable'
  | 'timeout'
  | 'unacknowledged'
  | 'silent'
  | 'session-unknown'
  | 'unauthorized'
  | 'forbidden'
  | 'invalid-namespace'
  | 'protocol'
  | 'server-closed'
  | 'transport-closed'
  | 'closed';

/** A classified failure with the user-facing error that explains it. */
export interface TransportFailure {
  /** What failed, for `ladderPolicy` to decide on. */
  readonly kind: TransportFailureKind;
  /** Short human-readable reason, used in `transport` events: "websocket upgrade rejected (400)". */
  readonly reason: string;
  /** The error to surface as `lastError` / `error` event, when there is one worth showing. */
  readonly error?: LifelineError;
  /** Whether the connection had opened before failing. */
  readonly opened: boolean;
  /**
   * The TCP connection itself was refused (`ECONNREFUSED`): nothing listens at that address, so
   * every carrier to it would be refused too (a server that is down or restarting). Set where the
   * platform tells (Node); browsers do not expose why a WebSocket failed.
   */
  readonly refused?: boolean;
}

/** An event received from the server, normalized across carriers. */
export interface IncomingEvent {
  /** Event name, as the server emitted it. */
  readonly event: string;
  /** The payload (the first argument of the server's emit). */
  readonly data: unknown;
  /**
   * Every argument of the server's emit, when it sent more than one
   * (`socket.emit('message', user, text)`); absent for one argument (then it is `data`).
   */
  readonly args?: readonly unknown[];
  /** Log id (cursor) for events published through `@lifeline/server`. */
  readonly id?: string;
  /** Channel (room) for events published through `@lifeline/server`. */
  readonly channel?: string;
}

/** Server's answer to a join. */
export type JoinResult =
  | { readonly ok: true; readonly cursor?: string | undefined }
  | {
      readonly ok: false;
      /** `LIMIT`: the server holds no more channels for this connection; `BAD_REQUEST`: it refused the name. */
      readonly code: 'FORBIDDEN' | 'CURSOR_EXPIRED' | 'LIMIT' | 'BAD_REQUEST' | 'TIMEOUT' | 'PROTOCOL';
      readonly message?: string;
      /** With `CURSOR_EXPIRED`: the server's latest id, to resume from so nothing published meanwhile is lost. */
      readonly cursor?: string | undefined;
    };

/** Ack callback: `error` is set when the server did not acknowledge (timeout, closed…). */
export type AckCallback = (error: LifelineError | null, reply?: unknown) => void;

/** Listeners a transport reports to. Each fires for the current connection only. */
export interface TransportEvents {
  /** Fully connected (namespace acknowledged): ready to send and join. */
  open: () => void;
  /** An event from the server. */
  message: (message: IncomingEvent) => void;
  /**
   * The first packet after `open` arrived (a heartbeat, an event, an ack): traffic flows both ways.
   * A carrier whose `open` already proves that (an HTTP answer) reports it right after `open`.
   * After a climb to a better rung went silent, the ladder promotes the next probe only once it
   * has reported `heard`.
   */
  heard: () => void;
  /** The connection ended or could not be made. Fires at most once per transport instance. */
  close: (failure: TransportFailure) => void;
  /**
   * The server no longer has the cursor of a channel this transport had joined (its log moved
   * past it, or it restarted with an empty log): events in between are gone, and the transport
   * now follows the channel from the server's latest id. The client reports it once as a
   * `CURSOR_EXPIRED` error naming the channel.
   *
   * Optional to emit: a join asking for an expired cursor is answered through `join()`'s
   * `JoinResult` (`code: 'CURSOR_EXPIRED'`) instead. The `http` rung emits it for channels already
   * joined; the Socket.IO rungs only learn of expiry through join answers.
   */
  expired: (channel: string, message: string) => void;
}

/**
 * One connection over one carrier. Connects once and never reconnects by itself: the ladder
 * owns retries. After `close` fired or `close()` was called, the instance is dead.
 */
export interface Transport {
  /** Which rung this transport is. */
  readonly name: TransportName;
  /** Start connecting; reports `open` or `close(failure)`. */
  connect(): void;
  /**
   * Send an event; with `ack`, the server's reply (or an error) is reported once. With
   * `volatile`, best effort: no ack, no retry, dropped when the carrier cannot take it now.
   */
  send(event: string, data: unknown, ack?: AckCallback, volatile?: boolean): void;
  /** Join a channel, asking for everything after `cursor`, with its `params` (when it has any). */
  join(channel: string, cursor: string | undefined, params?: ChannelParams): Promise<JoinResult>;
  /** Leave a channel. */
  leave(channel: string, params?: ChannelParams): Promise<void>;
  /**
   * Ask for a channel's last events (docs/protocol.md, "History"). Resolves with the server's
   * answer as received (`{ ok: true, events, cursor }` or `{ ok: false, code, message }`), never
   * rejects. Optional: without it, `channel.history()` and `rewind` are refused as unsupported.
   */
  history?(channel: string, query: { readonly limit: number; readonly before?: string | undefined }, timeoutMs: number): Promise<unknown>;
  /**
   * One round trip to the server; resolves when it answered, rejects with a `LifelineError`
   * (`TIMEOUT` after `timeoutMs`). Optional: without it `client.ping()` sends the heartbeat
   * event with an ack through `send`.
   */
  ping?(timeoutMs: number): Promise<void>;
  /** True when this connection resumed the server's Socket.IO session (`connectionStateRecovery`): nothing was missed. */
  readonly recovered?: boolean;
  /** True when `send` cannot carry emits (a `http.poll` adapter without `send`): the client keeps them in the outbox. */
  readonly receiveOnly?: boolean;
  /** Polls once more now and resolves after its events were delivered (before a climb away from this rung). */
  flush?(): Promise<void>;
  /** Tear down: release sockets, timers, listeners and in-flight requests. No `close` event. */
  close(): void;
  /** Listen; returns `off`. */
  on<K extends keyof TransportEvents>(event: K, listener: TransportEvents[K]): () => void;
}

/**
 * A position in an app's own event stream, as a REST endpoint returns it: a number (`seq`, a
 * timestamp) or an opaque string. Lifeline hands it back to the adapter exactly as it got it.
 */
export type PollCursor = string | number;

/** One event a `http.poll` adapter returns. */
export interface PollEvent {
  /** Event name: handlers registered with `client.on(event)` receive it. */
  readonly event: string;
  /** The payload. */
  readonly data: unknown;
  /** The event's identity (any string or number): an event whose id was delivered before is dropped. */
  readonly id?: string | number | undefined;
  /** The channel it belongs to, when the endpoint says so (delivered to `room.on` handlers too). */
  readonly channel?: string | undefined;
}

/** Result of a user-supplied `http.poll` adapter. */
export interface PollResult {
  /** Events since the cursor asked for, oldest first. */
  readonly events: ReadonlyArray<PollEvent>;
  /** Where to continue next time (passed back as `cursor` on the next poll), when the endpoint has one. */
  readonly cursor?: PollCursor | undefined;
}

/** What a `http.poll` adapter is asked for. */
export interface PollRequest {
  /**
   * Where to continue: what the previous poll returned as `cursor` (same value, same type), also
   * across reconnects. Before any poll: the position of the last event seen on a socket rung
   * (given by the `cursorOf` option), or `undefined` = "from now".
   */
  readonly cursor: PollCursor | undefined;
  /** Every channel the client has joined, on every poll (the first one included). */
  readonly channels: readonly string[];
  /** The auth payload of this attempt: the same object the sockets send in their `auth`. */
  readonly auth: Readonly<Record<string, unknown>>;
  /** The client's `query` option (never credentials). */
  readonly query: Readonly<Record<string, string>>;
  /** Aborted when the transport closes or a join wants an answer now: pass it to `fetch`. */
  readonly signal: AbortSignal;
}

/**
 * A user-supplied poll function that plugs an existing REST endpoint into the ladder. To refuse,
 * throw (or reject with) anything that has the HTTP `status` (a `Response`, an error with
 * `status`/`statusCode`, or `response.status` as axios and ky put it): 401 stops as
 * `UNAUTHORIZED`, 403 as `FORBIDDEN`; every other failure is retried and reported once.
 */
export type PollAdapter = (request: PollRequest) => Promise<PollResult>;

/** Maps one `emit` to a REST call on the `http` rung; what it resolves with is the ack reply. */
export type SendAdapter = (event: string, data: unknown, context: { readonly auth: Readonly<Record<string, unknown>>; readonly signal: AbortSignal }) => Promise<unknown>;

/**
 * What one client carries from one attempt to the next (every attempt gets a fresh transport).
 * @internal
 */
export interface SessionMemory {
  /** Socket.IO `connectionStateRecovery`: the session id the server gave, offered on every CONNECT. */
  pid?: string | undefined;
  /** Socket.IO `connectionStateRecovery`: the offset of the last event received. */
  offset?: string | undefined;
  /** The app's position: the last cursor an adapter returned or `cursorOf` gave. */
  cursor?: PollCursor | undefined;
  /** Ids of adapter events already delivered, oldest first (bounded; made by the http rung). */
  seen?: Set<string>;
  /** An adapter failure was reported and nothing succeeded since (report once per outage). */
  failing?: boolean;
  /** The `http` rung's poller id (`sid`): one per client, so presence sees one connection across reconnects. */
  sid?: string;
  /** Reports an error as the client's `error` event. */
  readonly report: (error: LifelineError) => void;
}

/**
 * Parameters of one channel (`client.channel(name, { params })`), e.g. a server's per-channel
 * filters. Passed to the `ChannelProtocol` on every join and re-join; JSON data.
 */
export type ChannelParams = Readonly<Record<string, unknown>>;

/** An emit-with-ack over the current socket: resolves with the server's reply, rejects on timeout. */
export type ChannelEmit = (event: string, data: unknown, timeoutMs: number) => Promise<unknown>;

/** One channel a protocol is asked to join (see `batchedChannelProtocol`). */
export interface ChannelJoinRequest {
  /** The channel (room) name. */
  readonly channel: string;
  /** Last id seen on it (only servers with an event log use it). */
  readonly cursor: string | undefined;
  /** Its `params`, when `client.channel(name, { params })` gave any. */
  readonly params: ChannelParams | undefined;
}

/**
 * How channel joins are spoken to a server, and which incoming events belong to which channel.
 * The default speaks the Lifeline protocol (`lifeline:join` / `lifeline:leave` with acks, events
 * that carry their channel); an app whose server expects e.g.
 * `emit('subscribe', { channels: [name] })` supplies its own.
 *
 * To join several channels in one request (`subscribe { channels: [...] }`), build it with
 * `batchedChannelProtocol`.
 *
 * @example
 * ```ts
 * const channels: ChannelProtocol = {
 *   join: async (emit, channel, _cursor, params) =>
 *     ((await emit('subscribe', { channels: [channel], ...params }, 5000)) as { success?: boolean }).success ? { ok: true } : { ok: false, code: 'FORBIDDEN' },
 *   leave: async (emit, channel) => void (await emit('unsubscribe', { channels: [channel] }, 5000)),
 *   // `io.to('ticket:42').emit('ticket:updated', ticket)` carries no channel: say which it is
 *   channelOf: (event, [data]) => (event === 'ticket:updated' ? `ticket:${(data as { id: string }).id}` : undefined),
 * };
 * ```
 */
export interface ChannelProtocol {
  /**
   * Join `channel` through `emit` (an emit-with-ack), asking for what came after `cursor`, with
   * the channel's `params` (called again on every re-join, and when the params change).
   */
  join(emit: ChannelEmit, channel: string, cursor: string | undefined, params?: ChannelParams): Promise<JoinResult>;
  /** Leave `channel` through `emit`. */
  leave(emit: ChannelEmit, channel: string, params?: ChannelParams): Promise<void>;
  /**
   * The channel an incoming event belongs to, for events that do not carry one (an unmodified
   * server's `io.to(room).emit(event, data)`): from the event name, its arguments, or both.
   * `joined` holds the channels joined now, with their params. Return `undefined` for an event
   * of no channel (it still reaches `client.on`). Without `channelOf`, only events that carry
   * their channel on the wire reach `room.on`; one that `room.on` listens for arriving without
   * a channel is reported once as `BAD_INPUT` (never dropped in silence).
   */
  channelOf?(event: string, args: readonly unknown[], joined: ReadonlyMap<string, ChannelParams | undefined>): string | undefined;
}

/** Everything a transport needs for one attempt. Built by the ladder from normalized options. */
export interface TransportContext {
  /** Origin of the Socket.IO server, e.g. "https://api.example.com". */
  readonly url: string;
  /** Socket.IO namespace, e.g. "/notifications". */
  readonly namespace: string;
  /** Socket.IO path on the server, e.g. "/socket.io". */
  readonly path: string;
  /** Auth for this attempt (the result of the user's `auth` function, already awaited). */
  readonly auth: Readonly<Record<string, unknown>>;
  /** Per-attempt connect timeout, ms. */
  readonly timeoutMs: number;
  /** How channels are joined over Socket.IO carriers. */
  readonly channelProtocol: ChannelProtocol;
  /** Predicate that recognizes an auth refusal in a server `connect_error`. */
  readonly isAuthError: (error: { message: string; data?: unknown }) => boolean;
  /** Options of the `http` rung (absent when the app did not configure one). */
  readonly http?: HttpTransportOptions | undefined;
  /**
   * The channels the client will join on this transport once it opens (names; read at connect).
   * Only a transport that must name channels before `open` reads it (the `http` rung's
   * `http.poll` adapter, whose first poll would otherwise skip their events); the client joins
   * every channel through `join(channel, cursor)` after `open` in any case.
   */
  readonly joins?: (() => readonly string[]) | undefined;
  /** Extra socket.io-client Manager options (advanced), merged under Lifeline's own. */
  readonly socketOptions?: Readonly<Record<string, unknown>> | undefined;
  /** Query parameters of the handshake on the socket rungs (never credentials). */
  readonly query?: Readonly<Record<string, string>> | undefined;
  /** Send cookies cross-origin: socket.io-client's `withCredentials`, `credentials: 'include'` on `http`. */
  readonly withCredentials?: boolean | undefined;
  /**
   * Heartbeat settings for this connection (absent when `heartbeat: false`). A transport that
   * has no liveness check of its own may ignore it; one that uses it closes with a `silent`
   * failure when the connection stops answering.
   * @internal
   */
  readonly heartbeat?: HeartbeatContext | undefined;
  /** What the client carries from one attempt to the next (recovery, cursor, dedupe). @internal */
  readonly session?: SessionMemory | undefined;
}

/** Options of the `http` rung. Either `url` (the Lifeline HTTP protocol) or `poll` (an adapter). */
export interface HttpTransportOptions {
  /** Base URL of the Lifeline HTTP endpoint, e.g. "https://api.example.com/lifeline". */
  readonly url?: string;
  /** A custom poll function for an existing REST endpoint, instead of the Lifeline HTTP protocol (docs/rest-adapter.md). */
  readonly poll?: PollAdapter;
  /**
   * With `poll`: maps an `emit` to a REST call, so emits (and their acks) work on the `http` rung.
   * Without it, emits made on that rung wait in the outbox for a socket rung.
   */
  readonly send?: SendAdapter;
  /** Interval between plain polls, ms (used when long-poll is off or not honoured). @default 3000 */
  readonly intervalMs?: number;
  /** Long-poll wait, seconds (0 = plain interval polling). @default 25 */
  readonly wait?: number;
  /** A `fetch` implementation (tests, React Native). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Creates a transport for one attempt. */
export type TransportFactory = (context: TransportContext) => Transport;
