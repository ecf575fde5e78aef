/**
 * Socket.IO's own `connectionStateRecovery` on an unmodified server (no companion): each of
 * Lifeline's attempts is a fresh socket, and it must offer the session id and offset as
 * socket.io-client does, so that a short break loses nothing, on the same rung and across
 * websocket ↔ polling.
 */
import { createClient, type TransportName } from '@lifeline/core';
import { delay, startProxy, startServer, waitFor, type ProxyMode } from '@lifeline/testkit';
import type { Server } from 'socket.io';
import { describe, expect, it } from 'vitest';
import { FAST } from './setup';

/** Ticks `io.emit('tick', n)` every 20 ms; `stop()` ends them and says how many were sent. */
function ticker(io: Server) {
  let n = 0;
  const timer = setInterval(() => io.emit('tick', ++n), 20);
  return {
    stop: () => (clearInterval(timer), n),
  };
}

/** Numbers missing between the first and the last received, and numbers received twice. */
function gaps(got: number[]) {
  const lost: number[] = [];
  for (let i = got[0]!; i <= got.at(-1)!; i++) if (!got.includes(i)) lost.push(i);
  return { lost: lost.length, duplicated: got.length - new Set(got).size };
}

/** Connects, ticks, breaks the connection with `mode` for `ms` (then `pass` again unless `keep`), and counts. */
async function breakFor(mode: ProxyMode, ms: number, recovery: boolean, { transports, keep = false }: { transports?: TransportName[]; keep?: boolean } = {}) {
  // Short heartbeats: a polling client that vanishes between two requests is noticed by the
  // server only when a ping goes unanswered, and a session is kept for recovery only once the
  // server has seen its socket go.
  const heartbeat = { pingInterval: 100, pingTimeout: 100 };
  const server = await startServer({ serverOptions: recovery ? { ...heartbeat, connectionStateRecovery: { maxDisconnectionDuration: 60_000 } } : heartbeat });
  const proxy = await startProxy(server.port);
  const client = createClient({ url: proxy.url, reconnect: FAST, upgradeIntervalMs: false, ...(transports ? { transports } : {}) });
  const got: number[] = [];
  client.on('tick', (n) => got.push(n as number));
  const ticks = ticker(server.io);
  try {
    await waitFor(() => client.getState().status === 'connected', { message: 'connected' });
    expect(client.getState().recovered).toBe(false); // a first connection resumes nothing
    await waitFor(() => got.length >= 10, { message: 'ticks flow' });
    const first = client.getState().transport;
    const before = got.length;
    proxy.setMode(mode); // drops the connection mid-stream
    await waitFor(() => client.getState().status !== 'connected', { message: 'the break is noticed' });
    await delay(ms);
    if (!keep) {
      await waitFor(() => server.io.of('/').sockets.size === 0, { message: 'the server saw the socket go' });
      proxy.setMode('pass');
    }
    await waitFor(() => client.getState().status === 'connected' && got.length > before + 10, { message: 'ticks flow again', timeoutMs: 8000 });
    const sent = ticks.stop();
    await waitFor(() => got.at(-1) === sent, { message: 'the last tick arrives' });
    return { ...gaps(got), state: client.getState(), first };
  } finally {
    ticks.stop();
    client.close();
    await proxy.close();
    await server.close();
  }
}

describe('connectionStateRecovery on an unmodified Socket.IO server', () => {
  it('a 300 ms reset mid-stream (ticks every 20 ms) loses nothing on the same rung, and the state says recovered', async () => {
    const { lost, duplicated, state, first } = await breakFor('down', 300, true, { transports: ['websocket'] });
    expect(first).toBe('websocket');
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(state).toMatchObject({ status: 'connected', transport: 'websocket', recovered: true });
  });

  it('the same break on a server without recovery loses ticks and says so (recovered: false)', async () => {
    const { lost, state } = await breakFor('down', 300, false);
    expect(lost).toBeGreaterThan(0);
    expect(state).toMatchObject({ status: 'connected', recovered: false });
  });

  it('recovers across engines: a websocket session resumed over polling when upgrades start failing', async () => {
    const { lost, duplicated, state, first } = await breakFor('reject-upgrade', 0, true, { keep: true });
    expect(first).toBe('websocket');
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(state).toMatchObject({ transport: 'polling', recovered: true });
  });

  it('polling to polling: the session id rides the Engine.IO polling CONNECT too', async () => {
    const { lost, duplicated, state } = await breakFor('down', 300, true, { transports: ['polling'] });
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });
    expect(state).toMatchObject({ transport: 'polling', recovered: true });
  });
});
