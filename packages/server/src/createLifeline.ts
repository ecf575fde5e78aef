/**
 * `createLifeline(namespace, options)`: attaches the companion to one Socket.IO namespace —
 * auth middleware, `lifeline:join`/`lifeline:leave`, client emits through `on()`, `publish()`
 * and the HTTP endpoint.
 */
import { createHash } from 'node:crypto';
import type { Namespace, Socket } from 'socket.io';
import { authContext, authFromHandshake, authFromHeaders, resolveUser } from './auth';
import { EventBus } from './bus';
import { isServerError, LifelineServerError } from './errors';
import { HandlerRegistry } from './handlers';
import { encodeData } from './data';
import { createHttpHandler } from './http/handler';
import { parseEmitBody, type EmitBody } from './http/parse';
import { SocketChannels, type JoinAck } from './joins';
import { channelRule, isChannel, isName, MAX_NAME } from './names';
import type { LeaveAnswer } from '@lifeline/core/protocol';
import { MAX_CHANNELS } from './limits';
import { memoryStore } from './stores/memory';
import type { StoredEvent } from './stores/types';
import type { Lifeline, LifelineOptions } from './types';
import { parseHistoryQuery, readHistory, type HistoryPage } from './history';
import { WIRE } from './wire';
import { PresenceHub } from './presence/hub';
import type { PresenceIdentity } from './presence/members';

/** Ack of `lifeline:history` (docs/protocol.md). */
type HistoryAck = ({ ok: true } & HistoryPage) | { ok: false; code: string; message: string; max?: number };

const { join: JOIN, leave: LEAVE, history: HISTORY, heartbeat: HEARTBEAT, presence: PRESENCE, emit: EMIT } = WIRE;
/** The `lifeline:*` events a client may send (any other name with the prefix is answered BAD_REQUEST). */
const SERVED: ReadonlySet<string> = new Set([JOIN, LEAVE, HISTORY, HEARTBEAT, EMIT, PRESENCE]);

/** Http pollers whose last presence snapshot is remembered (the oldest are forgotten first). */
const MAX_POLLERS_SEEN = 10_000;

/** Default grace period of presence, ms: a reconnect or rung switch within it is not a leave. */
export const PRESENCE_GRACE_MS = 5000;

/** `presence` option → which channels have it. */
function presenceRule(option: LifelineOptions['presence']): ((channel: string) => boolean) | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return () => true;
  if (typeof option !== 'function') throw new TypeError(`createLifeline: presence must be true or (channel) => boolean, got ${typeof option}.`);
  return (channel) => {
    try {
      return option(channel) === true;
    } catch {
      return false;
    }
  };
}

/** `user.id` when the user has one (a string or a number). */
function defaultPresenceOf(user: unknown): PresenceIdentity | undefined {
  const id = (user as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : undefined;
}

function nonNegative(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0) throw new TypeError(`createLifeline: ${name} must be a number of ms ≥ 0, got ${String(value)}.`);
  return value;
}

/** Ack of `lifeline:leave` (docs/protocol.md). */
type LeaveAck = LeaveAnswer;

/** The payload (first argument) and the ack (last argument, when a function) of a socket event. */
function request<Ack>(args: readonly unknown[]): { payload: unknown; reply: ((ack: Ack) => void) | undefined } {
  const last = args[args.length - 1];
  const reply = typeof last === 'function' ? (last as (ack: Ack) => void) : undefined;
  return { payload: reply && args.length === 1 ? undefined : args[0], reply };
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`createLifeline: ${name} must be a positive integer, got ${String(value)}.`);
  return value;
}

/**
 * Attaches Lifeline to a Socket.IO v4 namespace.
 *
 * @example
 * ```ts
 * const lifeline = createLifeline(io.of('/notifications'), {
 *   store: memoryStore({ maxEvents: 10_000 }),
 *   authenticate: async (auth) => (auth.token === 'secret' ? { name: 'ada' } : null),
 *   authorize: async (user, channel) => channel.startsWith('ticket:'),
 * });
 * app.use('/lifeline', lifeline.http);
 * await lifeline.publish('ticket:42', 'comment:added', { text: 'hi' });
 * ```
 */
export function createLifeline<User = unknown>(namespace: Namespace, options: LifelineOptions<User> = {}): Lifeline<User> {
  if (!namespace || typeof namespace.use !== 'function' || typeof namespace.on !== 'function') {
    throw new TypeError('createLifeline: pass a Socket.IO v4 Namespace, e.g. createLifeline(io.of("/notifications"), options).');
  }
  const store = options.store ?? memoryStore();
  const authenticate = options.authenticate ?? (() => ({}) as User);
  const authorize = options.authorize ?? (() => true);
  const onError = options.onError ?? ((error: unknown, { where }: { where: string }) => console.error(`[lifeline] ${where} failed:`, error));
  const bus = new EventBus();
  const handlers = new HandlerRegistry<User>();
  const maxChannels = positiveInteger(options.maxChannels ?? MAX_CHANNELS, 'maxChannels');
  const channels = new SocketChannels(store, namespace, maxChannels);
  const presenceOn = presenceRule(options.presence);
  const presenceOf = options.presenceOf ?? defaultPresenceOf;
  /** `presenceOf(user)`, or undefined (not tracked) when it throws or gives no id. */
  const identify = (user: User): PresenceIdentity | undefined => {
    try {
      const who = presenceOf(user);
      return who && (typeof who.id === 'string' || typeof who.id === 'number') && String(who.id) !== '' ? { id: String(who.id), data: who.data } : undefined;
    } catch (error) {
      onError(error, { where: 'presenceOf' });
      return undefined;
    }
  };
  let wakePolls: (channel: string) => void = () => {};
  /** The presence snapshot each http poller was last sent (JSON), bounded. */
  const seenByPoller = new Map<string, string>();
  const presence = presenceOn
    ? new PresenceHub({
        graceMs: nonNegative(options.presenceGraceMs ?? PRESENCE_GRACE_MS, 'presenceGraceMs'),
        share: options.presenceStore,
        send: (channel, message, to, except) => {
          // Each socket is in the room named after its id: one broadcast, encoded once for all.
          // Changes only to sockets whose join was answered: one still reading its replay gets
          // the snapshot after its ack first (a change before it would not follow its version).
          const ids = to ?? channels.socketsOf(channel, true).map((socket) => socket.id).filter((id) => !except?.has(id));
          if (ids.length) namespace.local.to([...ids]).emit(PRESENCE, message);
        },
        wake: (channel) => wakePolls(channel),
      })
    : undefined;
  /** Each socket's authentication: settled by the middleware, or started on first use (below). */
  const users = new WeakMap<Socket, Promise<User | undefined>>();
  let closed = false;

  const allowed = async (user: User, channel: string) => {
    try {
      return (await authorize(user, channel)) === true;
    } catch (error) {
      onError(error, { where: 'authorize' });
      return false;
    }
  };

  const http = createHttpHandler<User>({
    store,
    bus,
    handlers,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    bodyTimeoutMs: positiveInteger(options.bodyTimeoutMs ?? 10_000, 'bodyTimeoutMs'),
    maxChannels,
    maxWaitSeconds: options.maxWaitSeconds ?? 30,
    idempotencyKeys: options.idempotencyKeys ?? 10_000,
    onError,
    closed: () => closed,
    presence:
      presence &&
      ((sid, user, list, expires) => {
        const who = identify(user);
        const on = list.filter(presenceOn!);
        if (who) presence.poll(sid, who, on, expires);
        return Object.fromEntries(on.map((c) => [c, presence.members(c)]));
      }),
    presenceChanged: (sid, json, record = true) => {
      const same = seenByPoller.get(sid) === json;
      if (!record) return !same;
      seenByPoller.delete(sid); // re-inserted last: the oldest poller is forgotten first
      seenByPoller.set(sid, json);
      if (seenByPoller.size > MAX_POLLERS_SEEN) seenByPoller.delete(seenByPoller.keys().next().value!);
      return !same;
    },
    async authenticate(req) {
      const user = await resolveUser(authenticate, authFromHeaders(req.headers), authContext(req.headers), (e) => onError(e, { where: 'authenticate' }));
      if (user === undefined) throw new LifelineServerError('UNAUTHORIZED', 'unauthorized: send valid credentials in Authorization: Bearer … or Lifeline-Auth.');
      return user;
    },
    async authorizeAll(user, list) {
      for (const channel of list) {
        if (!(await allowed(user, channel))) throw new LifelineServerError('FORBIDDEN', `Not allowed to read channel "${channel}".`, { channel });
      }
    },
  });

  wakePolls = (channel) => http.waiters.wake(channel);

  const authenticateSocket = (socket: Socket) => resolveUser(authenticate, authFromHandshake(socket.handshake.auth), authContext(socket.handshake.headers), (e) => onError(e, { where: 'authenticate' }));
  namespace.use((socket, next) => {
    void authenticateSocket(socket).then((user) => {
      if (user === undefined) return next(new Error('unauthorized'));
      users.set(socket, Promise.resolve(user));
      next();
    });
  });
  /**
   * The socket's user. Connection state recovery skips middlewares by default
   * (`skipMiddlewares: true`), so a restored socket arrives without one: it is authenticated from
   * its handshake on first use. One whose credentials no longer pass gets `refuse(…)`: the answer
   * `UNAUTHORIZED`, then a disconnect, as the middleware would have refused it.
   */
  const userOf = (socket: Socket): Promise<User | undefined> => {
    let user = users.get(socket);
    if (!user) users.set(socket, (user = authenticateSocket(socket)));
    return user;
  };
  const UNAUTHORIZED = { ok: false, code: 'UNAUTHORIZED', message: 'unauthorized' } as const;
  const refuse = (socket: Socket, answer?: (a: typeof UNAUTHORIZED) => void) => {
    answer?.(UNAUTHORIZED);
    socket.disconnect(true);
  };

  /** Removes the listeners added to each connected socket (close() runs them). */
  const detachers = new Map<Socket, () => void>();
  const onConnection = (socket: Socket) => {
    if (socket.recovered) channels.forgetRestoredRooms(socket);
    // Every lifeline:* event is answered whatever its arguments: the ack is the last argument when
    // it is a function (socket.io-client puts it there), the payload the one before it.
    const onJoin = (...args: unknown[]) => {
      const { payload, reply } = request<JoinAck>(args);
      const { channel, cursor } = (typeof payload === 'object' && payload !== null ? payload : {}) as { channel?: unknown; cursor?: unknown };
      if (args.length !== (reply ? 2 : 1) || !isChannel(channel)) {
        return reply?.({ ok: false, code: 'BAD_REQUEST', message: `lifeline:join takes one payload { channel, cursor?: string } (and an ack). ${channelRule(channel)}` });
      }
      const answer = reply ?? (() => {});
      void userOf(socket)
        .then(async (user) => {
          if (user === undefined) return refuse(socket, answer);
          if (!(await allowed(user, channel))) return answer({ ok: false, code: 'FORBIDDEN', message: `Not allowed to join channel "${channel}".` });
          if (socket.disconnected || closed) return;
          const on = presence !== undefined && presenceOn!(channel);
          const who = on ? identify(user) : undefined;
          const joined = !on
            ? answer
            : (ack: JoinAck) => {
                answer(ack);
                if (!ack.ok || socket.disconnected || closed) return;
                // The snapshot comes with the next batch, also to a socket whose user is no member.
                if (who) presence.connect(channel, socket.id, who, undefined, socket.id);
                else presence.resync(channel, socket.id);
              };
          return channels.join(socket, channel, cursor ?? undefined, joined); // null: no cursor; any other non-id: CURSOR_EXPIRED
        })
        .catch((error: unknown) => onError(error, { where: 'lifeline:join' }));
    };
    const onLeave = (...args: unknown[]) => {
      const { payload, reply } = request<LeaveAck>(args);
      const { channel } = (typeof payload === 'object' && payload !== null ? payload : {}) as { channel?: unknown };
      if (args.length !== (reply ? 2 : 1) || typeof channel !== 'string') {
        return reply?.({ ok: false, code: 'BAD_REQUEST', message: 'lifeline:leave takes one payload { channel: string } (and an ack).' });
      }
      channels.leave(socket, channel);
      presence?.disconnect(channel, socket.id);
      reply?.({ ok: true });
    };
    const onHistory = (...args: unknown[]) => {
      const { payload, reply } = request<HistoryAck>(args);
      if (!reply) return; // history without an ack has nobody to answer
      const { channel, limit, before } = (typeof payload === 'object' && payload !== null ? payload : {}) as { channel?: unknown; limit?: unknown; before?: unknown };
      if (args.length !== 2 || !isChannel(channel)) {
        return reply({ ok: false, code: 'BAD_REQUEST', message: `lifeline:history takes one payload { channel, limit, before?: string } (and an ack). ${channelRule(channel)}` });
      }
      void userOf(socket)
        .then(async (user) => {
          if (user === undefined) return refuse(socket, reply);
          const query = parseHistoryQuery(channel, limit, before);
          if (!(await allowed(user, channel))) return reply({ ok: false, code: 'FORBIDDEN', message: `Not allowed to read channel "${channel}".` });
          reply({ ok: true, ...(await readHistory(store, query)) });
        })
        .catch((error: unknown) => {
          if (isServerError(error)) return reply({ ok: false, code: error.code, message: error.message, ...(error.details as { max?: number }) });
          onError(error, { where: 'lifeline:history' });
          reply({ ok: false, code: 'HISTORY_FAILED', message: 'The log could not be read.' });
        });
    };
    const onEmit = (name: string, ...args: unknown[]) => {
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
      let event = name;
      let data = ack && args.length === 1 ? null : args[0];
      let key: string | undefined;
      if (name === EMIT) {
        // `{ event, data, id }`: run once per id, like POST /emit. Ids are scoped to the user (its presence
        // identity), else to the handshake's credentials: a tab's emit sent again by a new leader, which
        // may have run `auth` anew, still finds the first run.
        let body: EmitBody;
        try {
          body = parseEmitBody(data);
        } catch (error) {
          return ack?.({ ok: false, code: 'BAD_REQUEST', message: error instanceof Error ? error.message : String(error) });
        }
        ({ event, data } = body);
        if (!handlers.has(event)) {
          // The app's own socket.on() listeners get it as a direct emit would reach them (no idempotency there).
          for (const listener of socket.listeners(event)) (listener as (...a: unknown[]) => void)(...(ack ? [data, ack] : [data]));
          return;
        }
        key = body.id;
      }
      if (!handlers.has(event)) {
        // The lifeline: prefix is the companion's (on() refuses it): an unknown one is answered.
        if (typeof event === 'string' && event.startsWith(WIRE.prefix) && !SERVED.has(event)) {
          ack?.({ ok: false, code: 'BAD_REQUEST', message: `Unknown event "${event.slice(0, 60)}": the lifeline: prefix is reserved for the companion (${[...SERVED].join(', ')}).` });
        }
        return;
      }
      void userOf(socket)
        .then(async (user) => {
          if (user === undefined) return refuse(socket, ack);
          const run = () =>
            handlers.run(event, data, user).catch((error: unknown) => {
              onError(error, { where: `on("${event}") handler` });
              throw error;
            });
          const scope = () => identify(user)?.id ?? createHash('sha256').update(JSON.stringify(socket.handshake.auth ?? null)).digest('base64url');
          const outcome = key === undefined ? await run().then((value) => ({ ok: true as const, value }), () => ({ ok: false as const })) : await http.cache.run(`socket:${scope()}:${key}`, run);
          ack?.(outcome.ok ? outcome.value : { error: 'HANDLER_ERROR', message: `The "${event}" handler failed.` });
        })
        // Nothing thrown here may become an unhandled rejection: it would end the server process.
        .catch((error: unknown) => onError(error, { where: `on("${event}")` }));
    };
    /** `{ channel }`: the client missed a presence change (a gap in versions): a snapshot to this socket, if it is joined. */
    const onPresence = (...args: unknown[]) => {
      const { channel } = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as { channel?: unknown };
      if (!presence || typeof channel !== 'string' || !presenceOn!(channel) || !channels.socketsOf(channel).includes(socket)) return;
      presence.resync(channel, socket.id);
    };
    const onHeartbeat = (...args: unknown[]) => {
      const ack = args[args.length - 1];
      if (typeof ack === 'function') (ack as () => void)();
    };
    const onDisconnect = () => {
      detachers.delete(socket);
      channels.drop(socket);
      presence?.disconnectAll(socket.id);
    };
    socket.on(JOIN, onJoin);
    socket.on(LEAVE, onLeave);
    socket.on(HISTORY, onHistory);
    socket.on(HEARTBEAT, onHeartbeat);
    socket.on(PRESENCE, onPresence);
    socket.onAny(onEmit);
    socket.once('disconnect', onDisconnect);
    detachers.set(socket, () => {
      socket.off(JOIN, onJoin);
      socket.off(LEAVE, onLeave);
      socket.off(HISTORY, onHistory);
      socket.off(HEARTBEAT, onHeartbeat);
      socket.off(PRESENCE, onPresence);
      socket.offAny(onEmit);
      socket.off('disconnect', onDisconnect);
    });
  };
  namespace.on('connection', onConnection);
  const offDeliver = bus.on((event) => channels.deliver(event));
  // A shared log (Redis with a subscriber) feeds live events from every node, this one included.
  const offStore = store.subscribe?.((event) => bus.emit(event));

  return {
    store,
    http: http.handler,
    on: (event, handler) => handlers.on(event, handler),
    stats: () => ({ waitingPolls: http.waiters.size, busListeners: bus.size, rememberedEmitIds: http.cache.size, socketSubscriptions: channels.size }),
    async publish(channel: string, event: string, data?: unknown): Promise<StoredEvent> {
      if (!isChannel(channel)) throw new TypeError(`publish: ${channelRule(channel)}`);
      if (!isName(event)) {
        throw new TypeError(`publish: event must be a string of 1–${MAX_NAME} characters, got ${JSON.stringify(event)}.`);
      }
      const payload = data === undefined ? null : data;
      // Checked before anything is logged or sent; the store reuses the encoding.
      const json = encodeData(payload, `publish("${channel}", "${event}")`, { channel, event });
      const stored = await store.append({ channel, event, data: payload }, json);
      if (!offStore) bus.emit(stored);
      return stored;
    },
    async close() {
      if (closed) return;
      closed = true;
      http.waiters.releaseAll();
      http.cache.clear();
      namespace.off('connection', onConnection);
      for (const detach of detachers.values()) detach();
      detachers.clear();
      offDeliver();
      offStore?.();
      channels.clear();
      presence?.close();
      await options.presenceStore?.close();
      await store.close?.();
    },
  };
}
