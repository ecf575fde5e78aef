/** Test wiring: a real Socket.IO server on 127.0.0.1 with the companion, mounted via node:http or Express. */
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server, type ServerOptions } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { createLifeline, memoryStore, type Lifeline, type LifelineOptions } from '@lifeline/server';

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
 * Starts Socket.IO + companion on namespace "/ns"; HTTP mounted at /lifeline via node:http or
 * Express. `serverOptions` go to `new Server()` (an adapter, connection state recovery…).
 */
export async function startCompanion(
  mount: 'node' | 'express' = 'node',
  options: LifelineOptions<User> = baseOptions(),
  serverOptions: Partial<ServerOptions> = {},
): Promise<Companion> {
  const server = http.createServer();
  const io = new Server(server, { pingInterval: 2000, pingTimeout: 2000, ...serverOptions });
  const lifeline = createLifeline(io.of('/ns'), options);
  if (mount === 'express') {
    const app = express();
    app.use('/lifeline', lifeline.http);
    app.use((_req, res) => void res.status(404).json({ error: 'app 404' }));
    server.on('request', app);
  } else {
    server.on('request', (req, res) => {
      if (req.url?.startsWith('/lifeline/')) return lifeline.http(req, res, () => res.writeHead(404).end('{}'));
      if (!req.url?.startsWith('/socket.io')) res.writeHead(404).end('{}');
    });
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    lifeline,
    io,
    url,
    base: `${url}/lifeline`,
    async close() {
      await lifeline.close();
      io.disconnectSockets(true);
      const closed = new Promise<void>((resolve) => io.close(() => resolve()));
      server.closeAllConnections();
      await closed;
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

export const authHeaders = (token = 'ada-token') => ({ authorization: `Bearer ${token}` });
