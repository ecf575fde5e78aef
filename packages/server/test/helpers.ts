/** Test wiring: a real Socket.IO server on 127.0.0.1 with the companion, mounted via node:http or Express. */
import express from 'express';
import type { Server, ServerOptions } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { createLifeline, memoryStore, type EventStore, type Lifeline, type LifelineOptions, type StoredEvent } from '@lifeline/server';
import { startServer } from '@lifeline/testkit';

export interface User {
  name: string;
}

export const USERS: Record<string, User> = { 'ada-token': { name: 'ada' }, 'bob-token': { name: 'bob' } };

/** ada may read everything but "secret:*"; bob only "public:*". */
export const baseOptions = (): LifelineOptions<User> => ({
  store: memoryStore({ maxEvents: 100 }),
  authenticate: (auth) => (typeof auth.token === 'string' ? USERS[auth.token] : null),
  authorize: (user, channel) => !channel.startsWith('secret:') && (user.name === 'ada' || channel.startsWith('public:')),
  onError: () => {},
});

export interface Companion {
  lifeline: Lifeline<User>;
  io: Server;
  url: string;
  /** Base URL of the HTTP endpoint ("…/lifeline"). */
  base: string;
  close(): Promise<void>;
}

/**
 * Socket.IO's default heartbeat (25 s + 20 s), not the testkit harness's 2 s + 2 s, for every
 * companion the server tests start: none of them tests Engine.IO liveness, and with the short one
 * an event-loop stall over 2 s while a ping is out (a join storm, a publish flood, or just a loaded
 * CI machine) drops sockets with "ping timeout" mid-test: an ack then fails with "socket has been
 * disconnected", a fan-out room is short of sockets (e2c76ed, c896a88). A test that does test
 * liveness passes its own `pingInterval`/`pingTimeout` in `serverOptions`.
 */
export const HEARTBEAT = { pingInterval: 25_000, pingTimeout: 20_000 } as const;

/**
 * Starts Socket.IO + companion on namespace "/ns" (testkit's server harness, with `HEARTBEAT`);
 * HTTP mounted at /lifeline via node:http or Express, anything else a 404 from the app.
 * `serverOptions` go to `new Server()` (an adapter, connection state recovery…).
 */
export async function startCompanion(
  mount: 'node' | 'express' = 'node',
  options: LifelineOptions<User> = baseOptions(),
  serverOptions: Partial<ServerOptions> = {},
): Promise<Companion> {
  let lifeline!: Lifeline<User>;
  const app = express();
  app.use('/lifeline', (req, res, next) => lifeline.http(req, res, next));
  app.use((_req, res) => void res.status(404).json({ error: 'app 404' }));
  const server = await startServer({
    serverOptions: { ...HEARTBEAT, ...serverOptions },
    setup: (io) => {
      lifeline = createLifeline(io.of('/ns'), options);
    },
    http: mount === 'express' ? app : (req, res, next) => (req.url?.startsWith('/lifeline/') ? lifeline.http(req, res, next) : next()),
  });
  return {
    lifeline,
    io: server.io,
    url: server.url,
    base: `${server.url}/lifeline`,
    async close() {
      await lifeline.close();
      await server.close();
    },
  };
}

/** A plain socket.io-client on "/ns", connected (or rejected with the connect_error). */
export async function socketFor(url: string, auth: Record<string, unknown> = { token: 'ada-token' }): Promise<ClientSocket> {
  const socket = connect(`${url}/ns`, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', (e) => {
      socket.close();
      reject(e);
    });
  });
  return socket;
}

/** The `lifeline:event`s `socket` receives (of `channel` only, when given), filled as they arrive. */
export function record(socket: ClientSocket, channel?: string): StoredEvent[] {
  const seen: StoredEvent[] = [];
  socket.on('lifeline:event', (e: StoredEvent) => {
    if (channel === undefined || e.channel === channel) seen.push(e);
  });
  return seen;
}

/** The ack of `lifeline:join` (docs/protocol.md). */
export interface JoinReply {
  ok: boolean;
  cursor: string;
  code?: string;
  message?: string;
}

/** Sends `lifeline:join` (no cursor: from now) and resolves with its ack. */
export const join = (socket: ClientSocket, channel: string, cursor?: string) =>
  socket.timeout(5000).emitWithAck('lifeline:join', cursor === undefined ? { channel } : { channel, cursor }) as Promise<JoinReply>;

export const authHeaders = (token = 'ada-token') => ({ authorization: `Bearer ${token}` });

/**
 * `inner` with some methods replaced (to count reads, or to publish inside one); the others call
 * through. Spreading a store (`{ ...memoryStore() }`) would copy none of its class's methods.
 */
export function wrapStore(inner: EventStore, overrides: Partial<Pick<EventStore, 'append' | 'readAfter' | 'oldest' | 'latest'>>): EventStore {
  return {
    append: (event, json) => inner.append(event, json),
    readAfter: (cursor, limit) => inner.readAfter(cursor, limit),
    oldest: () => inner.oldest(),
    latest: () => inner.latest(),
    ...overrides,
  };
}
