/**
 * Public types of `@lifeline/server` (ARCHITECTURE.md, "Public API of @lifeline/server").
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { EventStore, StoredEvent } from './stores/types';
import type { PresenceShare } from './presence/hub';
import type { PresenceIdentity } from './presence/members';

/**
 * Credentials as the client sent them: the Socket.IO `auth` payload, or over HTTP the
 * `Lifeline-Auth` header's object with `token` taken from `Authorization: Bearer …`.
 */
export type AuthPayload = Readonly<Record<string, unknown>> & { readonly token?: unknown };

/**
 * The request that carried the credentials: the socket handshake's HTTP request, or the HTTP
 * poll/emit request. Lets a cookie-session app authenticate from its session cookie.
 */
export interface AuthContext {
  /** Request headers (lower-case names), as Node gives them. */
  readonly headers: IncomingHttpHeaders;
  /** Cookies of the `Cookie` header, by name (values URL-decoded). */
  readonly cookies: Readonly<Record<string, string>>;
}

/**
 * Turns credentials into a user; `null`/`undefined` (or a throw) refuses them. `context` is the
 * request (headers, cookies), on the socket handshake and on HTTP alike.
 */
export type Authenticate<User> = (auth: AuthPayload, context: AuthContext) => User | null | undefined | Promise<User | null | undefined>;

/** Decides whether `user` may read `channel`; asked on every join and every HTTP poll. */
export type Authorize<User> = (user: User, channel: string) => boolean | Promise<boolean>;

/** Handles a client emit; the (awaited) return value is the ack. */
export type EmitHandler<User> = (data: unknown, user: User) => unknown;

/**
 * Options of `createLifeline`.
 * @example
 * ```ts
 * const options: LifelineOptions<{ id: string }> = {
 *   store: memoryStore({ maxEvents: 10_000 }),
 *   authenticate: async ({ token }) => (typeof token === 'string' ? await users.byToken(token) : null),
 *   authorize: (user, channel) => channel === `user:${user.id}`,
 * };
 * ```
 */
export interface LifelineOptions<User = unknown> {
  /** The event log. @default memoryStore() */
  readonly store?: EventStore;
  /**
   * Authenticates socket handshakes (as namespace middleware, refusing with "unauthorized") and
   * HTTP requests, from the same `AuthPayload` shape and the request's headers and cookies
   * (`authenticate(auth, { headers, cookies })`).
   * @default every client is accepted as the user `{}`
   */
  readonly authenticate?: Authenticate<User>;
  /** Channel authorization, on every join and every poll, over every carrier. @default allow all */
  readonly authorize?: Authorize<User>;
  /** Largest accepted `POST /emit` body, bytes. @default 65536 */
  readonly maxBodyBytes?: number;
  /**
   * How long a `POST /emit` body may take to arrive, ms. A body still incomplete then (a client
   * that declared a `Content-Length` and stalled) is answered 408 `REQUEST_TIMEOUT` and its
   * connection closed. @default 10000
   */
  readonly bodyTimeoutMs?: number;
  /**
   * Most channels one socket may be joined to at once, and one HTTP poll may name. A join past it
   * is acked `{ ok: false, code: 'LIMIT', max }` (the socket keeps its other channels); a poll
   * naming more is a 400 `LIMIT` with `max`. Clients report it as a `BAD_INPUT` error naming the
   * channel. @default 100
   */
  readonly maxChannels?: number;
  /** How many successful emit ids are remembered for idempotency (oldest forgotten first; a failed run is not remembered). @default 10000 */
  readonly idempotencyKeys?: number;
  /** Largest `wait` a poll may ask for, seconds. @default 30 */
  readonly maxWaitSeconds?: number;
  /**
   * Presence: who is in a channel. `true` for every channel, or a function choosing channels.
   * Members are users (`presenceOf`), visible only to sockets and polls that `authorize` let join
   * the channel, over every carrier. @default false
   */
  readonly presence?: boolean | ((channel: string) => boolean);
  /**
   * The presence identity and public data of a user: one member per `id`, however many
   * connections it has. A user for whom it returns nothing (or throws) is not tracked.
   * @default (user) => ({ id: user.id }) when the user has a string or number `id`
   */
  readonly presenceOf?: (user: User) => PresenceIdentity | null | undefined;
  /**
   * How long a member whose last connection went away stays a member, ms: a reconnect or a
   * transport switch within it is not seen by others. @default 5000
   */
  readonly presenceGraceMs?: number;
  /** Shares presence between nodes (`redisPresence({ client, subscriber })`). @default this node only */
  readonly presenceStore?: PresenceShare;
  /** Called when an `on` handler, `authenticate` or `authorize` throws. @default console.error */
  readonly onError?: (error: unknown, context: { readonly where: string }) => void;
}

/** The `(req, res, next?)` handler serving `GET …/poll` and `POST …/emit`. */
export type LifelineHttpHandler = (req: IncomingMessage, res: ServerResponse, next?: (error?: unknown) => void) => void;

/** Counters returned by `lifeline.stats()`. */
export interface LifelineStats {
  /** HTTP long-polls being held right now. */
  readonly waitingPolls: number;
  /** Listeners on the in-process event bus: 1 for socket delivery, plus 1 while any poll waits (waiting polls are indexed by channel behind it). */
  readonly busListeners: number;
  /** Emit ids remembered for idempotency (successful runs, and runs in progress). */
  readonly rememberedEmitIds: number;
  /** Channel subscriptions of connected sockets (socket × channel). */
  readonly socketSubscriptions: number;
}

/** A companion attached to one Socket.IO namespace. */
export interface Lifeline<User = unknown> {
  /**
   * Logs an event with the next id and sends it to every client that joined `channel`, over
   * every carrier.
   * @example
   * ```ts
   * await lifeline.publish('ticket:42', 'comment:added', { text: 'hi' });
   * ```
   */
  publish(channel: string, event: string, data?: unknown): Promise<StoredEvent>;
  /**
   * Handles `event` emitted by clients over Socket.IO or `POST /emit`; returns `off`.
   * @example
   * ```ts
   * lifeline.on('comment:add', async (data, user) => ({ ok: true }));
   * ```
   */
  on(event: string, handler: EmitHandler<User>): () => void;
  /** HTTP endpoint for the `http` transport: mount it at a prefix, e.g. `app.use('/lifeline', lifeline.http)`. */
  readonly http: LifelineHttpHandler;
  /** The store in use. */
  readonly store: EventStore;
  /**
   * Live counters, for metrics and leak checks.
   * @example
   * ```ts
   * gauge.set(lifeline.stats().waitingPolls);
   * ```
   */
  stats(): LifelineStats;
  /**
   * Answers waiting polls (empty) and removes everything the companion added: its timers, its
   * listeners on the namespace, on every connected socket and on the event bus, the rooms it put
   * sockets into, and the store's subscription. Later HTTP requests get 503. The auth middleware
   * stays in place (Socket.IO cannot remove a middleware, and a namespace that suddenly let
   * everyone in would be worse): it keeps authenticating new sockets.
   * @example
   * ```ts
   * process.on('SIGTERM', () => void lifeline.close().then(() => io.close()));
   * ```
   */
  close(): Promise<void>;
}

export type { EventStore, StoredEvent, NewEvent } from './stores/types';
export type { Member, PresenceIdentity } from './presence/members';
export type { PresenceShare, PresenceMessage } from './presence/hub';
