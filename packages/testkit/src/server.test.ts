/**
 * `restart()` of the server harness: a graceful restart says goodbye (a socket.io-client stays
 * away), a crash does not (the client reconnects by itself), as a raw socket.io-client sees them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Manager, type Socket } from 'socket.io-client';
import { startServer, type TestServer } from './server';
import { delay } from './waitFor';

let server: TestServer | undefined;
let socket: Socket | undefined;
afterEach(async () => {
  socket?.io.engine?.close();
  socket?.close();
  await server?.close();
  server = socket = undefined;
});

/** A server counting namespace connections (across restarts) and a reconnecting client on it. */
async function connected(): Promise<{ connections: () => number }> {
  let n = 0;
  server = await startServer({ setup: (io) => void io.on('connection', () => n++) });
  socket = new Manager(server.url, { transports: ['websocket'], reconnectionDelay: 20, reconnectionDelayMax: 50, randomizationFactor: 0 }).socket('/');
  const s = socket;
  await new Promise<void>((r) => s.once('connect', () => r()));
  return { connections: () => n };
}

const next = (s: Socket, event: 'connect' | 'disconnect') => new Promise<string>((r) => s.once(event, (reason?: string) => r(reason ?? event)));

describe('startServer: restart', () => {
  it('graceful (default): the client is told to disconnect and does not come back', async () => {
    const { connections } = await connected();
    const reason = next(socket!, 'disconnect');
    await server!.restart();
    expect(await reason).toBe('io server disconnect');
    await delay(300); // many reconnect delays
    expect(socket!.connected).toBe(false);
    expect(connections()).toBe(1);
  });

  it('crash: the connection just drops, and the client reconnects by itself to the new server', async () => {
    const { connections } = await connected();
    const reason = next(socket!, 'disconnect');
    const back = reason.then(() => next(socket!, 'connect'));
    await server!.restart({ crash: true });
    expect(await reason).toBe('transport close');
    await back;
    expect(connections()).toBe(2);
  });

  it('crash with downMs: nothing listens for that long, then the same port answers again', async () => {
    await connected();
    const port = server!.port;
    const reason = next(socket!, 'disconnect');
    const refused: number[] = [];
    socket!.io.on('reconnect_error', () => refused.push(Date.now()));
    const t0 = Date.now();
    const back = reason.then(() => next(socket!, 'connect')).then(() => Date.now() - t0);
    await server!.restart({ crash: true, downMs: 400 });
    expect(await reason).toBe('transport close');
    expect(await back).toBeGreaterThanOrEqual(400);
    expect(refused.length).toBeGreaterThan(0); // the client tried and found nobody
    expect(server!.port).toBe(port);
  });
});
