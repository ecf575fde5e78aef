/**
 * `createLifeline(namespace, options)`: attaches the companion to one Socket.IO namespace —
 * auth middleware, `lifeline:join`/`lifeline:leave`, client emits through `on()`, `publish()`
 * and the HTTP endpoint.
 */
import type { Namespace, Socket } from 'socket.io';
import { authFromHandshake, authFromHeaders, resolveUser } from './auth';
import { EventBus } from './bus';
import { LifelineServerError } from './errors';
import { HandlerRegistry } from './handlers';
import { encodeData } from './data';
import { createHttpHandler } from './http/handler';
import { SocketChannels, type JoinAck } from './joins';
import { isName, MAX_NAME } from './names';
import { memoryStore } from './stores/memory';
import type { StoredEvent } from './stores/types';
import type { Lifeline, LifelineOptions } from './types';

const JOIN = 'lifeline:join';
const LEAVE = 'lifeline:leave';

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
  const channels = new SocketChannels(store, namespace);
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
    maxWaitSeconds: options.maxWaitSeconds ?? 30,
    idempotencyKeys: options.idempotencyKeys ?? 10_000,
    onError,
    closed: () => closed,
    async authenticate(req) {
      const user = await resolveUser(authenticate, authFromHeaders(req.headers), (e) => onError(e, { where: 'authenticate' }));
      if (user === undefined) throw new LifelineServerError('UNAUTHORIZED', 'unauthorized: send valid credentials in Authorization: Bearer … or Lifeline-Auth.');
      return user;
    },
    async authorizeAll(user, list) {
      for (const channel of list) {
        if (!(await allowed(user, channel))) throw new LifelineServerError('FORBIDDEN', `Not allowed to read channel "${channel}".`, { channel });
      }
    },
  });

  const authenticateSocket = (socket: Socket) => resolveUser(authenticate, authFromHandshake(socket.handshake.auth), (e) => onError(e, { where: 'authenticate' }));
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
    const onJoin = (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (a: JoinAck) => void) : () => {};
      const { channel, cursor } = (payload ?? {}) as { channel?: unknown; cursor?: unknown };
      if (!isName(channel)) {
        return reply({ ok: false, code: 'BAD_REQUEST', message: `lifeline:join needs { channel: string (1–${MAX_NAME} chars), cursor?: string }.` });
      }
      void userOf(socket)
        .then(async (user) => {
          if (user === undefined) return refuse(socket, reply);
          if (!(await allowed(user, channel))) return reply({ ok: false, code: 'FORBIDDEN', message: `Not allowed to join channel "${channel}".` });
          if (socket.disconnected || closed) return;
          return channels.join(socket, channel, cursor ?? undefined, reply); // null: no cursor; any other non-id: CURSOR_EXPIRED
        })
        .catch((error: unknown) => onError(error, { where: 'lifeline:join' }));
    };
    const onLeave = (payload: unknown, ack?: unknown) => {
      const { channel } = (payload ?? {}) as { channel?: unknown };
      if (typeof channel === 'string') channels.leave(socket, channel);
      if (typeof ack === 'function') (ack as (a: { ok: true }) => void)({ ok: true });
    };
    const onEmit = (event: string, ...args: unknown[]) => {
      if (!handlers.has(event)) return;
      const last = args[args.length - 1];
      const ack = typeof last === 'function' ? (last as (reply: unknown) => void) : undefined;
      const data = ack && args.length === 1 ? null : args[0];
      void userOf(socket)
        .then(async (user) => {
          if (user === undefined) return refuse(socket, ack);
          let reply: unknown;
          try {
            reply = await handlers.run(event, data, user);
          } catch (error) {
            onError(error, { where: `on("${event}") handler` });
            return ack?.({ error: 'HANDLER_ERROR', message: `The "${event}" handler failed.` });
          }
          ack?.(reply);
        })
        // Nothing thrown here may become an unhandled rejection: it would end the server process.
        .catch((error: unknown) => onError(error, { where: `on("${event}")` }));
    };
    const onDisconnect = () => {
      detachers.delete(socket);
      channels.drop(socket);
    };
    socket.on(JOIN, onJoin);
    socket.on(LEAVE, onLeave);
    socket.onAny(onEmit);
    socket.once('disconnect', onDisconnect);
    detachers.set(socket, () => {
      socket.off(JOIN, onJoin);
      socket.off(LEAVE, onLeave);
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
      if (!isName(channel)) {
        throw new TypeError(`publish: channel must be a string of 1–${MAX_NAME} characters, got ${JSON.stringify(channel)}.`);
      }
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
      await store.close?.();
    },
  };
}
