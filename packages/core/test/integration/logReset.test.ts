/**
 * A log that starts over, against the real companion and a real server restart: a memory store
 * (a restarted process), and a real redis-server whose log is replaced (a new key) or wiped
 * (FLUSHDB). On every rung the client reports `CURSOR_EXPIRED` once for its channel and then
 * receives every event published after the reset, whether it was published before or after the
 * client's re-join, exactly once and in order. (The http rung used to go deaf here: its poll
 * from the transport's new cursor hid the channel's stale cursor from the server.)
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClient as createRedis } from 'redis';
import { createClient, type LifelineClient, type LifelineError, type TransportName } from '@lifeline/core';
import { createLifeline, memoryStore, redisStore, type EventStore, type Lifeline } from '@lifeline/server';
import { delay, freePort, startServer, waitFor, type TestServer, REDIS_BIN, spawnRedis } from '@lifeline/testkit';
import { FAST } from './setup';


const redisAvailable = existsSync(REDIS_BIN);
let redisProc: ChildProcess | undefined;
let redis: ReturnType<typeof createRedis> | undefined;

beforeAll(async () => {
  if (!redisAvailable) return;
  const port = await freePort();
  redisProc = spawnRedis(port);
  redis = createRedis({ url: `redis://127.0.0.1:${port}` });
  redis.on('error', () => {});
  await waitFor(async () => {
    await redis!.connect();
    return true;
  }, { timeoutMs: 5000, intervalMs: 50, message: 'redis-server up' });
});
afterAll(async () => {
  await redis?.quit().catch(() => {});
  redisProc?.kill();
});

let server: TestServer | undefined;
let lifeline: Lifeline | undefined;
let client: LifelineClient | undefined;
afterEach(async () => {
  client?.close();
  await lifeline?.close();
  await server?.close();
  server = lifeline = client = undefined;
});

type Reset = 'memory restart' | 'redis new key' | 'redis FLUSHDB';
let keyN = 0;

/** The store of each server start: `reset` decides what the restarted server's log is. */
function stores(reset: Reset): () => Promise<EventStore> {
  let starts = 0;
  const key = `reset:${++keyN}`;
  return async () => {
    starts++;
    if (reset === 'memory restart') return memoryStore();
    if (reset === 'redis new key') return redisStore({ client: redis!, key: starts === 1 ? key : `${key}:new` });
    if (starts > 1) await redis!.sendCommand(['FLUSHDB']);
    return redisStore({ client: redis!, key });
  };
}

describe.each(['websocket', 'polling', 'http'] as const)('a log that starts over, over %s', (transport: TransportName) => {
  it.each(['memory restart', 'redis new key', 'redis FLUSHDB'] as const)('%s: one CURSOR_EXPIRED, then every event published after it', async (reset) => {
    if (reset !== 'memory restart' && !redisAvailable) {
      if (process.env.CI === 'true') throw new Error(`${REDIS_BIN} is missing`);
      return;
    }
    const nextStore = stores(reset);
    server = await startServer({
      setup: async (io) => {
        lifeline = createLifeline(io.of('/ns'), { store: await nextStore(), authenticate: () => ({ name: 'ada' }) });
      },
      http: (req, res, next) => lifeline!.http(req, res, next),
    });
    const publish = (data: unknown) => lifeline!.publish('public:live', 'e', data);
    for (let i = 0; i < 10; i++) await publish(`before ${i}`);
    const c = createClient({ url: server.url, namespace: '/ns', transports: [transport], http: { url: `${server.url}/lifeline`, wait: 5 }, reconnect: { ...FAST, attempts: 50 } });
    client = c;
    const errors: LifelineError[] = [];
    c.on('error', (e) => errors.push(e));
    const got: unknown[] = [];
    c.channel('public:live').on('e', (data) => got.push(data));
    await waitFor(() => c.getState().status === 'connected', { message: `connected over ${transport}` });
    const l = lifeline!;
    await waitFor(() => (transport === 'http' ? l.stats().waitingPolls === 1 : l.stats().socketSubscriptions === 1), { message: 'joined' });
    await publish('joined');
    await waitFor(() => got.includes('joined'), { message: 'the channel has a cursor' });

    await l.close();
    await server.restart({ crash: true });
    // Published at once, most likely before the client is back: it must get these…
    for (let i = 0; i < 3; i++) await publish(`after ${i}`);
    await waitFor(() => errors.some((e) => e.code === 'CURSOR_EXPIRED'), { message: 'CURSOR_EXPIRED reported', timeoutMs: 10_000 });
    // …and these, published once it has re-joined.
    for (let i = 3; i < 5; i++) await publish(`after ${i}`);
    await waitFor(() => got.includes('after 4'), { message: `every event after the reset over ${transport}: got ${JSON.stringify(got)}`, timeoutMs: 10_000 });
    await delay(200);
    expect(got).toEqual(['joined', 'after 0', 'after 1', 'after 2', 'after 3', 'after 4']);
    expect(errors.map((e) => [e.code, e.details.channel])).toEqual([['CURSOR_EXPIRED', 'public:live']]);
    expect(c.getState()).toMatchObject({ status: 'connected', transport });
  });
});
