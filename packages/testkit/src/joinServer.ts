/**
 * A real Socket.IO server on 127.0.0.1 that speaks the Lifeline join protocol minimally and
 * counts what the bindings must get right: joins and leaves per channel, connections. Used by
 * the React and Vue binding tests.
 */
import { serveJoins, type JoinCounts } from './joinProtocol';
import { startServer, type TestServer } from './server';
import { createClient, type ClientOptions, type EventSchemas, type LifelineClient } from '@lifeline/core';
import { WIRE, type WireEvent } from '@lifeline/core/protocol';

export interface JoinServer {
  readonly server: TestServer;
  readonly joins: Record<string, number>;
  readonly leaves: Record<string, number>;
  /** Namespace connections and raw HTTP requests/upgrades seen (both 0 when nothing connected). */
  readonly seen: { connections: number; requests: number };
  /** Sends `lifeline:event` to a channel's room, with an increasing id. */
  publish(channel: string, event: string, data: unknown): void;
  /** Sends a plain event to every socket. */
  broadcast(event: string, data: unknown): void;
  /** Drops every connection (the client reconnects). */
  dropAll(): void;
  client<E extends EventSchemas = EventSchemas>(options?: Partial<ClientOptions<E>>): LifelineClient<E>;
  close(): Promise<void>;
}

export async function startJoinServer(): Promise<JoinServer> {
  const counts: JoinCounts = { joins: {}, leaves: {} };
  const { joins, leaves } = counts;
  const seen = { connections: 0, requests: 0 };
  let id = 0;
  const server = await startServer({
    // Socket.IO's default heartbeat (25 s + 20 s), not the harness's 2 s + 2 s: the bindings'
    // leak tests run 1000 synchronous mount/unmount cycles, which on a loaded machine block the
    // event loop longer than 4 s; the connection then timed out mid-test, the join was never
    // counted and "deferred leave sent" never came. Nothing served here tests liveness.
    serverOptions: { pingInterval: 25_000, pingTimeout: 20_000 },
    setup: (io, httpServer) => {
      httpServer.on('request', () => seen.requests++);
      httpServer.on('upgrade', () => seen.requests++);
      // A join without a cursor starts after the last published event.
      serveJoins(io, { cursor: () => String(id), counts });
      io.on('connection', (socket) => {
        seen.connections++;
        socket.on('echo', (data: unknown, ack: (r: unknown) => void) => ack({ echoed: data }));
      });
    },
  });
  const clients: LifelineClient<EventSchemas>[] = [];
  return {
    server,
    joins,
    leaves,
    seen,
    publish: (channel, event, data) => void server.io.to(channel).emit(WIRE.event, { id: String(++id), channel, event, data } satisfies WireEvent),
    broadcast: (event, data) => void server.io.emit(event, data),
    dropAll: () => void server.io.disconnectSockets(true),
    client<E extends EventSchemas = EventSchemas>(options: Partial<ClientOptions<E>> = {}) {
      const c = createClient<E>({
        url: server.url,
        transports: ['websocket'],
        reconnect: { delayMs: 20, maxDelayMs: 50, timeoutMs: 2000 },
        upgradeIntervalMs: false,
        autoConnect: false,
        ...options,
      } as ClientOptions<E>);
      clients.push(c as unknown as LifelineClient<EventSchemas>);
      return c;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}
