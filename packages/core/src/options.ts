/**
 * Options of `createClient`, their defaults, and `normalizeOptions`, which rejects bad input with
 * a `LifelineError('BAD_INPUT')` that says what to change.
 */
import { defaultIsAuthError } from './authError';
import { lifelineChannelProtocol } from './channelProtocol';
import { DEFAULTS, RESERVED_EVENTS, WIRE } from './constants';
import { show, withHint, type LifelineErrorDetails } from './errors';
import type { SpecificHint } from './hints';
import { isTransportName } from './transports/index';
import type { ChannelProtocol, HttpTransportOptions, PollCursor, TransportFactory, TransportName } from './transports/types';
import type { EventSchemas, ReservedEventName } from './types';

/** Credentials sent in the Socket.IO `auth` payload (and as HTTP headers by the `http` rung). */
export type AuthPayload = Readonly<Record<string, unknown>>;

/** A static auth object, or a function called before EVERY attempt (return a fresh token). */
export type AuthOption = AuthPayload | (() => AuthPayload | Promise<AuthPayload>);

/** Retry and timeout settings. */
export interface ReconnectOptions {
  /** Tries per rung before escalating (and consecutive auth refusals before stopping). @default 3 */
  readonly attempts?: number;
  /** First backoff delay, ms; doubles per failed attempt. @default 1000 */
  readonly delayMs?: number;
  /** Cap of the backoff delay, ms. @default 3000 */
  readonly maxDelayMs?: number;
  /** Fraction (0–1) by which each delay is randomly shortened, also at the cap. @default 0.5 */
  readonly jitter?: number;
  /** Per-attempt connect timeout (handshake + namespace), ms. @default 5000 */
  readonly timeoutMs?: number;
}

/** Limits of the offline outbox. */
export interface OutboxOptions {
  /** Most emits kept while disconnected; more → `OUTBOX_FULL`. @default 100 */
  readonly maxSize?: number;
  /** Oldest queued emit kept, ms; older ones are dropped with a `TIMEOUT` error. @default 60000 */
  readonly maxAgeMs?: number;
}

/**
 * The heartbeat: while nothing arrives for `intervalMs`, the client sends a tiny acknowledged
 * ping; a connection that answered before and now stays silent for `timeoutMs` more is closed
 * as `silent` and reconnected at once. Defaults detect a silent death within 4 s.
 *
 * Servers with `@lifeline/server` answer `lifeline:heartbeat`. Against a server that does not
 * (plain Socket.IO, python-socketio, NestJS without the companion) the first heartbeat of each
 * connection goes unanswered and heartbeats stop on that connection: Engine.IO's own ping
 * (`pingInterval` + `pingTimeout`, 45 s by default) remains, as with plain socket.io-client, and
 * no healthy connection is ever declared dead. See docs/concepts.md, "Liveness".
 *
 * @example
 * ```ts
 * const heartbeat: HeartbeatOptions = { intervalMs: 5000, timeoutMs: 3000, event: 'ping' };
 * ```
 */
export interface HeartbeatOptions {
  /** Send a heartbeat after this long without any incoming frame, ms. @default 2000 */
  readonly intervalMs?: number;
  /** A heartbeat unanswered (and nothing else heard) for this long means the connection died, ms. @default 2000 */
  readonly timeoutMs?: number;
  /**
   * The event to send, acked by the server. Naming one says that the server acks it, so even the
   * first heartbeat of a connection is held to `timeoutMs` (e.g. `'ping'` for a server with
   * `socket.on('ping', (ack) => ack())`). @default 'lifeline:heartbeat' (answered by `@lifeline/server`)
   */
  readonly event?: string;
}

/** `events` may not declare the reserved lifecycle names `error` and `transport`. */
export type NoReservedEvents = { readonly [K in ReservedEventName]?: never };

/**
 * Options of `createClient`.
 *
 * @example
 * ```ts
 * const options: ClientOptions = { url: 'https://api.example.com', namespace: '/notifications' };
 * ```
 */
export interface ClientOptions<E extends EventSchemas = EventSchemas> {
  /**
   * Origin of the Socket.IO server (http(s) or ws(s), no namespace in the path). In a browser it
   * may be omitted or relative (resolved against `location`, as `io()` does). Where there is no
   * `location` (server rendering), such a client never connects: safe to create at module scope.
   * @default the page's origin
   */
  readonly url?: string;
  /**
   * Query parameters of every socket handshake (socket rungs) and of the `http.poll` request.
   * Never put tokens here: URLs end up in logs; credentials belong in `auth`. @default {}
   */
  readonly query?: Readonly<Record<string, string>>;
  /**
   * Send cookies to a server on another origin: socket.io-client's `withCredentials` on the
   * socket rungs (the server's `cors` must allow credentials) and `credentials: 'include'` on the
   * `http` rung's requests. @default false
   */
  readonly withCredentials?: boolean;
  /** Socket.IO namespace. @default '/' */
  readonly namespace?: string;
  /** Socket.IO path on the server. @default '/socket.io' */
  readonly path?: string;
  /** Auth payload, or a (possibly async) function called before every attempt. @default {} */
  readonly auth?: AuthOption;
  /** Incoming event schemas (any Standard Schema): typed handlers, validated at runtime. @default {} */
  readonly events?: E & NoReservedEvents;
  /** The ladder, best first. @default ['websocket', 'polling'] (+ 'http' when `http` is set) */
  readonly transports?: readonly TransportName[];
  /** Retry and timeout settings. */
  readonly reconnect?: ReconnectOptions;
  /** Options of the `http` rung; giving them adds `'http'` to the default ladder. */
  readonly http?: HttpTransportOptions;
  /** How often to probe the first rung while on a lower one, ms; `false` disables. @default 30000 */
  readonly upgradeIntervalMs?: number | false;
  /** Connect at creation. Set `false` to connect later (e.g. in an effect). @default true */
  readonly autoConnect?: boolean;
  /** Liveness checks over the Socket.IO rungs, or `false` for none. @default { intervalMs: 2000, timeoutMs: 2000 } */
  readonly heartbeat?: HeartbeatOptions | false;
  /** Limits of the offline outbox. */
  readonly outbox?: OutboxOptions;
  /** How channel joins are spoken. @default the Lifeline protocol (`lifeline:join`/`lifeline:leave`) */
  readonly channels?: ChannelProtocol;
  /**
   * Recognizes an auth refusal in a server `connect_error`. @default matches "unauthorized",
   * "jwt expired", "invalid token", "invalid credentials", "authentication error", "forbidden" (→ `FORBIDDEN`)
   */
  readonly isAuthError?: (error: { message: string; data?: unknown }) => boolean;
  /**
   * Where an event sits in your app's own sequence (`seq`, a timestamp, an id your REST endpoint
   * takes as `since`), or `undefined` for events outside it. With it, an `http.poll` adapter's
   * first poll resumes after the last event seen on a socket rung, a climb back overlaps both
   * rungs, and an event at or before the last position seen is dropped as a duplicate: positions
   * must increase (numbers by value, strings as `cursor.ts` orders ids). See docs/rest-adapter.md.
   */
  readonly cursorOf?: (event: string, data: unknown) => PollCursor | undefined;
  /** Extra socket.io-client Manager options (advanced); Lifeline's own always win. @default {} */
  readonly socketOptions?: Readonly<Record<string, unknown>>;
  /** Replace or add transport implementations by name (advanced, e.g. tests). @default built-ins */
  readonly transportFactories?: Partial<Readonly<Record<TransportName, TransportFactory>>>;
  /**
   * One connection for every tab of the origin: clients with the same key (derived from `url`,
   * `namespace`, `path`, plus `key` when given) elect one leader tab that holds the connection
   * and relays to the others. Put the user in `key` when `auth` is a function (a static `auth`
   * object is part of the key already). Where Web Locks or BroadcastChannel are missing, the
   * client is an ordinary per-tab one (`role: 'solo'` in the state). See docs/concepts.md.
   * @default false
   */
  readonly share?: boolean | { readonly key: string };
}

/** What `share` asked for, normalized. @internal */
export interface ShareSettings {
  /** `share.key`, when given. */
  readonly key: string | undefined;
  /** The `auth` option as given: a static object is part of the key (never shared across different ones). */
  readonly auth: AuthOption | undefined;
}

/** @internal */
export interface NormalizedOptions {
  /** '' during server rendering (no `location` to resolve a missing or relative `url` against). */
  readonly url: string;
  readonly query: Readonly<Record<string, string>> | undefined;
  readonly withCredentials: boolean | undefined;
  readonly namespace: string;
  readonly path: string;
  readonly auth: () => Promise<AuthPayload>;
  readonly events: EventSchemas;
  readonly transports: readonly TransportName[];
  readonly reconnect: Required<ReconnectOptions>;
  readonly http: HttpTransportOptions | undefined;
  readonly upgradeIntervalMs: number | false;
  readonly autoConnect: boolean;
  /** `custom`: the app named the event, so its server answers it. */
  readonly heartbeat: (Required<HeartbeatOptions> & { readonly custom: boolean }) | false;
  readonly outbox: Required<OutboxOptions>;
  readonly channels: ChannelProtocol;
  readonly isAuthError: (error: { message: string; data?: unknown }) => boolean;
  readonly socketOptions: Readonly<Record<string, unknown>> | undefined;
  readonly cursorOf: ((event: string, data: unknown) => PollCursor | undefined) | undefined;
  readonly transportFactories: Partial<Readonly<Record<TransportName, TransportFactory>>>;
  readonly share: ShareSettings | null;
}

/**
 * A `BAD_INPUT` naming the option and the value given. The message is short (it ships with the
 * page); what the option must be and what to pass instead is the `hint`, from the lazily loaded
 * hint texts (hints.ts `SPECIFIC[hint]`, which reads `option` and `value` from the details).
 */
const bad = (option: string, value: unknown, hint: SpecificHint, facts?: LifelineErrorDetails<'BAD_INPUT'>) =>
  withHint('BAD_INPUT', `Bad \`${option}\`: ${show(value)}.`, { option, value, ...facts }, hint);

function num(value: unknown, option: string, fallback: number, min: number, max = 1 / 0): number {
  if (value === undefined) return fallback;
  if (!(Number.isFinite(value) && (value as number) >= min && (value as number) <= max)) throw bad(option, value, 'number', { min, max, fallback });
  return value as number;
}

/** @internal */
export function normalizeOptions(options: ClientOptions<EventSchemas>): NormalizedOptions {
  if (typeof options != 'object' || !options) throw bad('options', options, 'optionsObject');
  const { url, namespace = DEFAULTS.namespace, path = DEFAULTS.path, http, auth, share } = options;
  const base = (globalThis as { location?: { href?: unknown } }).location?.href;
  // Relative as io() takes it: omitted, a path ('/'), or protocol-relative ('//api.example.com').
  const ssr = (url === undefined || String(url).startsWith('/')) && typeof base != 'string';
  let parsed: URL;
  try {
    // Omitted or relative: the page's origin, as io() does. Without a page (server rendering)
    // there is nothing to resolve against: the client stays idle (`url` '' below).
    parsed = new URL(ssr ? 'http://ssr.invalid' : String(url ?? '/'), base as string | undefined);
  } catch {
    throw bad('url', url, 'url');
  }
  if (!/^(https?|wss?):$/.test(parsed.protocol)) throw bad('url', url, 'urlScheme');
  if (parsed.pathname.length > 1) throw bad('url', url, 'urlPath', { path: parsed.pathname, origin: parsed.origin });
  if (typeof namespace != 'string' || namespace[0] != '/') throw bad('namespace', namespace, 'namespace');
  if (typeof path != 'string' || path[0] != '/') throw bad('path', path, 'path');

  const transports = options.transports ?? (http ? ['websocket', 'polling', 'http'] : ['websocket', 'polling']);
  if (!Array.isArray(transports) || !transports.length) throw bad('transports', transports, 'transports');
  for (const t of transports) if (!isTransportName(t)) throw bad('transports', t, 'transport');
  if (new Set(transports).size < transports.length) throw bad('transports', transports, 'transportTwice');
  if (transports.includes('http') && !http && !options.transportFactories?.http) throw bad('http', http, 'httpOptions');

  const r = options.reconnect ?? {};
  const delayMs = num(r.delayMs, 'reconnect.delayMs', DEFAULTS.delayMs, 0);
  const reconnect: Required<ReconnectOptions> = {
    attempts: Math.floor(num(r.attempts, 'reconnect.attempts', DEFAULTS.attempts, 1)),
    delayMs,
    maxDelayMs: num(r.maxDelayMs, 'reconnect.maxDelayMs', Math.max(DEFAULTS.maxDelayMs, delayMs), delayMs),
    jitter: num(r.jitter, 'reconnect.jitter', DEFAULTS.jitter, 0, 1),
    timeoutMs: num(r.timeoutMs, 'reconnect.timeoutMs', DEFAULTS.timeoutMs, 1),
  };
  const upgradeIntervalMs = options.upgradeIntervalMs === false ? false : num(options.upgradeIntervalMs, 'upgradeIntervalMs', DEFAULTS.upgradeIntervalMs, 1);
  const hb = options.heartbeat ?? {};
  if (hb !== false && (typeof hb != 'object' || !hb || (hb.event !== undefined && (typeof hb.event != 'string' || !hb.event)))) throw bad('heartbeat', hb, 'heartbeat');
  const heartbeat = hb && {
    intervalMs: num(hb.intervalMs, 'heartbeat.intervalMs', DEFAULTS.heartbeatIntervalMs, 100),
    timeoutMs: num(hb.timeoutMs, 'heartbeat.timeoutMs', DEFAULTS.heartbeatTimeoutMs, 100),
    event: hb.event ?? WIRE.heartbeat,
    custom: !!hb.event,
  };
  const o = options.outbox ?? {};
  const outbox: Required<OutboxOptions> = {
    maxSize: Math.floor(num(o.maxSize, 'outbox.maxSize', DEFAULTS.outboxMaxSize, 0)),
    maxAgeMs: num(o.maxAgeMs, 'outbox.maxAgeMs', DEFAULTS.outboxMaxAgeMs, 0),
  };

  if (auth !== undefined && typeof auth != 'function' && (typeof auth != 'object' || !auth)) throw bad('auth', auth, 'auth');
  const events = (options.events ?? {}) as EventSchemas;
  for (const [name, schema] of Object.entries(events)) {
    if ((RESERVED_EVENTS as readonly string[]).includes(name)) throw bad('events', name, 'reserved', { event: name });
    if (typeof schema != 'object' || !schema || !('~standard' in schema)) throw bad(`events["${name}"]`, schema, 'schema', { event: name });
  }
  if (share != null && typeof share != 'boolean' && typeof share.key != 'string') throw bad('share', share, 'share');

  return {
    url: ssr ? '' : parsed.origin.replace(/^ws/, 'http'),
    query: options.query,
    withCredentials: options.withCredentials,
    namespace,
    path,
    auth: async () => (typeof auth == 'function' ? await auth() : (auth ?? {})),
    events,
    transports,
    reconnect,
    http,
    upgradeIntervalMs,
    autoConnect: options.autoConnect ?? true,
    heartbeat,
    outbox,
    channels: options.channels ?? lifelineChannelProtocol,
    isAuthError: options.isAuthError ?? defaultIsAuthError,
    socketOptions: options.socketOptions,
    cursorOf: options.cursorOf,
    transportFactories: options.transportFactories ?? {},
    share: share ? { key: (share as { key?: string }).key, auth } : null,
  };
}
