/**
 * Shared fixtures of the integration tests: a real Socket.IO server with a tiny Lifeline-protocol
 * join handler, behind the testkit fault proxy, and a client with short delays; or a real Socket.IO
 * server running the real `@lifeline/server` companion.
 */
import { createClient, type ClientOptions, type EventSchemas, type LifelineClient } from '@lifeline/core';
import { createLifeline, memoryStore, type EventStore, type Lifeline, type LifelineOptions } from '@lifeline/server';
import { serveJoins, startProxy, startServer, type FaultProxy, type ProxyMode, type TestServer } from '@lifeline/testkit';
import type { Server } from 'socket.io';
import { afterEach } from 'vitest';

export const FAST = { attempts: 3, delayMs: 50, maxDelayMs: 200, jitter: 0.5, timeoutMs: 1000 } as const;

export interface Rig {
  server: TestServer;
  proxy: FaultProxy;
  clients: Array<LifelineClient<EventSchemas>>;
  client<E extends EventSchemas = EventSchemas>(options?: Partial<ClientOptions<E>>): LifelineClient<E>;
  close(): Promise<void>;
}

/** Joins answer `{ ok: true, cursor }` (the one asked for, else `'0'`: testkit's `serveJoins`); `echo` acks its payload. */
export function lifelineHandlers(io: Server): void {
  serveJoins(io);
  io.on('connection', (socket) => {
    socket.on('echo', (data: unknown, ack?: (r: unknown) => void) => ack?.(data));
  });
}

export async function rig(mode: ProxyMode = 'pass', setup: (io: Server) => void = (io) => lifelineHandlers(io)): Promise<Rig> {
  const server = await startServer({ setup });
  const proxy = await startProxy(server.port, mode);
  const clients: Array<LifelineClient<EventSchemas>> = [];
  return {
    server,
    proxy,
    clients,
    client<E extends EventSchemas = EventSchemas>(options: Partial<ClientOptions<E>> = {}) {
      const c = createClient<E>({ url: proxy.url, reconnect: FAST, upgradeIntervalMs: 300, ...options } as ClientOptions<E>);
      clients.push(c as unknown as LifelineClient<EventSchemas>);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await proxy.close();
      await server.close();
    },
  };
}

/**
 * `rig` for a file whose tests each make one rig: registers an `afterEach` that closes the rig of
 * the test that just ran.
 *
 * @example
 * ```ts
 * const rig = rigPerTest();
 * it('…', async () => { const r = await rig('reject-upgrade'); … });
 * ```
 */
export function rigPerTest(): typeof rig {
  let current: Rig | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (...args) => (current = await rig(...args));
}

export interface Companion<User> {
  server: TestServer;
  lifeline: Lifeline<User>;
  /** The companion's HTTP endpoint: `<server url>/lifeline`. */
  base: string;
}

/**
 * A real Socket.IO server with the real `@lifeline/server` companion on `namespace`, its HTTP
 * endpoint under /lifeline. The caller closes `lifeline`, then `server`.
 */
export async function startCompanion<User = unknown>(namespace: string, options: LifelineOptions<User>): Promise<Companion<User>> {
  let lifeline: Lifeline<User> | undefined;
  const server = await startServer({
    setup: (io) => {
      lifeline = createLifeline<User>(io.of(namespace), options);
    },
    http: (req, res, next) => lifeline!.http(req, res, next),
  });
  return { server, lifeline: lifeline!, base: `${server.url}/lifeline` };
}

/** A store whose log can be swapped for an empty one, as a server restart with a memory store does. */
export function restartableStore(maxEvents: number) {
  let inner = memoryStore({ maxEvents });
  const store: EventStore = {
    append: (e) => inner.append(e),
    readAfter: (c, l) => inner.readAfter(c, l),
    oldest: () => inner.oldest(),
    latest: () => inner.latest(),
  };
  return { store, restart: () => void (inner = memoryStore({ maxEvents })) };
}
