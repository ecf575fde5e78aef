/**
 * The heartbeat and `client.ping()` live in a lazily loaded chunk (transports/liveness.ts). When
 * it cannot load (a deploy removed it, or the CDN is down while the socket is up), the client
 * keeps working on Engine.IO's own ping, no unhandled rejection escapes, and `client.ping()`
 * rejects with a typed UNREACHABLE that says what to do (not a raw import error).
 */
import { createLifeline, type Lifeline } from '@lifeline/server';
import { startServer, waitFor } from '@lifeline/testkit';
import { afterEach, expect, it, vi } from 'vitest';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  vi.doUnmock('../../src/transports/liveness');
});

it('a liveness chunk that cannot load: events still flow, ping() is UNREACHABLE with a hint, nothing leaks', async () => {
  vi.doMock('../../src/transports/liveness', () => {
    throw new Error('Failed to fetch dynamically imported module');
  });
  const { createClient, loadHints } = await import('@lifeline/core');
  const { inspectClient } = await import('@lifeline/core/testing');
  await loadHints();
  let lifeline: Lifeline | undefined;
  const server = await startServer({ setup: (io) => void (lifeline = createLifeline(io.of('/'), { onError: () => {} })) });
  cleanups.push(() => server.close(), () => lifeline!.close());
  const client = createClient({ url: server.url, heartbeat: { intervalMs: 200, timeoutMs: 500 } });
  cleanups.push(() => client.close());
  const got: number[] = [];
  client.channel('room').on('n', (n) => got.push(n as number));
  await waitFor(() => client.getState().status === 'connected');
  await waitFor(() => {
    void lifeline!.publish('room', 'n', 0); // until the join is in place
    return got.length > 0;
  });
  const error = await client.ping().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ name: 'LifelineError', code: 'UNREACHABLE' });
  expect((error as { hint: string }).hint).toMatch(/reload/i);
  // Several heartbeat intervals later the connection is still up, nothing was torn down.
  await new Promise((r) => setTimeout(r, 800));
  expect(client.getState().status).toBe('connected');
  const before = got.length;
  void lifeline!.publish('room', 'n', 99);
  await waitFor(() => expect(got.length).toBe(before + 1));
  client.close();
  expect(inspectClient(client)).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
});
