/**
 * The same store contract against a real redis-server on a random 127.0.0.1 port, plus the
 * companion on a Redis store (ids like "1700000000000-3"). Skipped, with the reason, when
 * /usr/bin/redis-server is absent.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import { compareIds, redisStore, type EventStore, type RedisCommandClient, type StoredEvent } from '@lifeline/server';
import { delay, freePort, waitFor, REDIS_BIN, spawnRedis } from '@lifeline/testkit';
import { storeContract } from './storeContract';
import { baseOptions, join, record, socketFor, startCompanion } from './helpers';

const available = existsSync(REDIS_BIN);
if (!available) console.warn(`[redis tests skipped] ${REDIS_BIN} not found: install redis-server to run the Redis store contract.`);

let proc: ChildProcess | undefined;
let client: ReturnType<typeof createClient> | undefined;
let keyN = 0;

/**
 * A stand-in for a cluster adapter (@socket.io/redis-adapter and the like): Socket.IO's in-memory
 * adapter whose broadcasts, unless `local`, also reach the same namespace on every other server
 * made with the same class.
 */
function clusterAdapter() {
  const Base = new Server().of('/').adapter.constructor as any; // a bare Server: nothing to close
  const peers = new Set<{ nsp: { name: string } }>();
  return class Cluster extends Base {
    declare nsp: { name: string };
    constructor(nsp: unknown) {
      super(nsp);
      peers.add(this);
    }
    broadcast(packet: { data: unknown[] }, opts: { flags?: { local?: boolean } }) {
      if (!opts.flags?.local) {
        for (const peer of peers) {
          if (peer !== this && peer.nsp.name === this.nsp.name) Base.prototype.broadcast.call(peer, { ...packet, data: [...packet.data] }, opts);
        }
      }
      super.broadcast(packet, opts);
    }
  };
}

// In CI (.ci/run installs redis-server) a missing binary must fail the run, not skip it quietly.
describe.skipIf(!available && process.env.CI !== 'true')('redisStore (real redis-server)', () => {
  beforeAll(async () => {
    const port = await freePort();
    proc = spawnRedis(port);
    client = createClient({ url: `redis://127.0.0.1:${port}` });
    client.on('error', () => {});
    await waitFor(async () => {
      await client!.connect();
      return true;
    }, { timeoutMs: 5000, intervalMs: 50, message: 'redis-server up' });
  });
  afterAll(async () => {
    await client?.quit().catch(() => {});
    proc?.kill();
  });

  storeContract('redisStore', async (maxEvents) => redisStore({ client: client!, key: `test:${++keyN}`, maxEvents }));

  it('ids are Redis stream ids and compare numerically', async () => {
    const key = `test:${++keyN}`;
    const store: EventStore = redisStore({ client: client!, key });
    // Two entries whose sequence numbers cross a digit boundary ("…-9" sorts after "…-10" as text).
    const [nine, ten] = ['1700000000000-9', '1700000000000-10'];
    await client!.sendCommand(['XADD', key, nine, 'prev', '0-0', 'channel', 'c', 'event', 'e', 'data', '9']);
    await client!.sendCommand(['XADD', key, ten, 'prev', nine, 'channel', 'c', 'event', 'e', 'data', '10']);
    expect(nine > ten).toBe(true);
    expect(compareIds(nine, ten)).toBeLessThan(0);
    expect(await store.latest()).toBe(ten);
    expect((await store.readAfter(nine, 10)).map((e) => e.id)).toEqual([ten]);
    const a = await store.append({ channel: 'c', event: 'e', data: 1 });
    expect(a.id).toMatch(/^\d{13}-\d+$/);
    expect(compareIds(ten, a.id)).toBeLessThan(0);
    expect((await store.readAfter(nine, 10)).map((e) => e.id)).toEqual([ten, a.id]);
  });

  it('a page read (events plus the log bounds that tell an expired cursor) is one Redis round trip; latest() is one', async () => {
    const commands: string[] = [];
    const counting: RedisCommandClient = { sendCommand: (args) => (commands.push(args[0]!), client!.sendCommand(args)) };
    const store = redisStore({ client: counting, key: `test:${++keyN}`, maxEvents: 3 });
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) ids.push((await store.append({ channel: 'c', event: 'e', data: i })).id);
    commands.length = 0;
    const latest = await store.latest();
    expect([latest, commands.length]).toEqual([ids[4], 1]);
    commands.length = 0;
    expect((await store.readAfter(ids[1]!, 10)).map((e) => e.data)).toEqual([3, 4, 5]);
    expect(commands).toHaveLength(1);
    commands.length = 0;
    await expect(store.readAfter('0-0', 10)).rejects.toMatchObject({ code: 'CURSOR_EXPIRED', details: { cursor: latest } });
    expect(commands).toHaveLength(1);
  });

  it('a subscriber whose first look at the stream fails still delivers the next append (it does not fall back to "$", which skips appends made between two XREADs)', async () => {
    const sub = client!.duplicate();
    await sub.connect();
    let failFirstLook = true;
    const flaky: RedisCommandClient = {
      sendCommand(args) {
        // The store's look at the stream's bounds (latest()): one script running XINFO STREAM.
        if (failFirstLook && args[0] === 'EVAL' && args[1]?.includes('XINFO')) {
          failFirstLook = false;
          return Promise.reject(new Error('connection lost'));
        }
        return client!.sendCommand(args);
      },
    };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let reading = false;
    const gated: RedisCommandClient = {
      async sendCommand(args) {
        if (args[0] === 'XREAD') {
          reading = true;
          await gate; // an append lands before this XREAD is sent
        }
        return sub.sendCommand(args);
      },
    };
    const store = redisStore({ client: flaky, subscriber: gated, key: `test:${++keyN}`, blockMs: 100 });
    const got: StoredEvent[] = [];
    const off = store.subscribe!((e) => got.push(e));
    try {
      await waitFor(() => reading, { message: 'the tail is about to XREAD' });
      expect(failFirstLook).toBe(false);
      const appended = await store.append({ channel: 'c', event: 'e', data: 1 });
      open();
      await waitFor(() => got.length === 1, { timeoutMs: 2000, message: 'the append reached the subscriber' });
      expect(got).toEqual([appended]);
    } finally {
      off();
      await store.close!();
      await sub.quit();
    }
  });

  it('with a subscriber, a publish on one node reaches sockets and waiting polls on another node live', async () => {
    const key = `test:${++keyN}`;
    const subA = client!.duplicate();
    const subB = client!.duplicate();
    await Promise.all([subA.connect(), subB.connect()]);
    const a = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, subscriber: subA, key, blockMs: 200 }) });
    const b = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, subscriber: subB, key, blockMs: 200 }) });
    try {
      const s = await socketFor(b.url);
      const seen = record(s);
      await join(s, 'c');
      const cursor = await b.lifeline.store.latest();
      const poll = fetch(`${b.base}/poll?channels=c&cursor=${cursor}&wait=10`, { headers: { authorization: 'Bearer ada-token' } });
      await new Promise((r) => setTimeout(r, 100));
      const t0 = Date.now();
      const published = await a.lifeline.publish('c', 'from-a', 1);
      await waitFor(() => seen.length === 1, { timeoutMs: 2000, message: 'socket on node B got the publish of node A' });
      const body = (await (await poll).json()) as { events: StoredEvent[] };
      expect(Date.now() - t0).toBeLessThan(500);
      expect(body.events).toEqual([published]);
      expect(seen).toEqual([published]);
      s.close();
    } finally {
      await a.close();
      await b.close();
      await Promise.all([subA.quit(), subB.quit()]);
    }
  });

  it('two nodes linked by a cluster adapter, joins racing publishes from both: every socket gets each event once, in order (a node fans out to its own sockets only)', async () => {
    const key = `test:${++keyN}`;
    const subA = client!.duplicate();
    const subB = client!.duplicate();
    await Promise.all([subA.connect(), subB.connect()]);
    const adapter = clusterAdapter();
    const a = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, subscriber: subA, key, blockMs: 200 }) }, { adapter: adapter as never });
    const b = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, subscriber: subB, key, blockMs: 200 }) }, { adapter: adapter as never });
    const clients: Awaited<ReturnType<typeof socketFor>>[] = [];
    try {
      const first = await a.lifeline.publish('c', 'e', 0);
      for (const url of [a.url, a.url, b.url, b.url, b.url]) clients.push(await socketFor(url));
      const seen = clients.map((s) => record(s));
      // The adapter does link the nodes: a non-local emit on A reaches B's sockets.
      const custom = new Promise((resolve) => clients[4]!.once('custom', resolve));
      let n = 1;
      let stop = false;
      const publishing = (async () => {
        while (!stop) {
          await (n % 2 ? a : b).lifeline.publish('c', 'e', n++);
          await delay(1);
        }
      })();
      const acks = await Promise.all(clients.map((s) => join(s, 'c', first.id)));
      for (const ack of acks) expect(ack).toMatchObject({ ok: true });
      a.io.of('/ns').to('c').emit('custom', 'from A');
      expect(await custom).toBe('from A');
      await delay(100);
      stop = true;
      await publishing;
      for (let i = 0; i < 4; i++) await (i % 2 ? a : b).lifeline.publish('c', 'e', n++);
      const all = (await a.lifeline.store.readAfter(first.id, 100_000)).map((e) => e.id);
      expect(all.length).toBeGreaterThan(10);
      await waitFor(() => seen.every((events) => events.length >= all.length), { timeoutMs: 5000, message: `every socket got all ${all.length} events` });
      await delay(300); // a second copy through the other node would have come by now
      for (const [i, events] of seen.entries()) expect({ socket: i, ids: events.map((e) => e.id) }).toEqual({ socket: i, ids: all });
      const fanout = (c: typeof a) => [...c.io.of('/ns').adapter.rooms].filter(([room]) => room.startsWith('\0lifeline:')).map(([, ids]) => ids.size);
      expect([fanout(a), fanout(b)]).toEqual([[2], [3]]);
    } finally {
      for (const s of clients) s.close();
      await a.close();
      await b.close();
      await Promise.all([subA.quit(), subB.quit()]);
    }
  });

  it('the companion replays from a Redis log over Socket.IO and HTTP', async () => {
    const companion = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, key: `test:${++keyN}` }) });
    try {
      const first = await companion.lifeline.publish('c', 'e', 1);
      await companion.lifeline.publish('c', 'e', 2);
      const s = await socketFor(companion.url);
      const seen = record(s);
      expect(await join(s, 'c', first.id)).toMatchObject({ ok: true });
      await companion.lifeline.publish('c', 'e', 3);
      await waitFor(() => seen.length === 2);
      expect(seen.map((e) => e.data)).toEqual([2, 3]);
      s.close();
      const res = await fetch(`${companion.base}/poll?channels=c&cursor=${first.id}&wait=0`, { headers: { authorization: 'Bearer ada-token' } });
      expect(((await res.json()) as { events: StoredEvent[] }).events.map((e) => e.data)).toEqual([2, 3]);
      // A well-formed cursor past any 64-bit stream id is expired (410), not a Redis error (500).
      const huge = await fetch(`${companion.base}/poll?channels=c&cursor=99999999999999999999&wait=0`, { headers: { authorization: 'Bearer ada-token' } });
      // It is after anything this log wrote: resume from the log's start ('0-0': nothing trimmed yet).
      expect([huge.status, await huge.json()]).toMatchObject([410, { error: 'CURSOR_EXPIRED', cursor: '0-0' }]);
    } finally {
      await companion.close();
    }
  });
  it('history survives a node restart: a new companion on the same stream answers lifeline:history with what the old one published', async () => {
    const key = `test:${++keyN}`;
    const first = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, key }) });
    const published: string[] = [];
    for (let i = 0; i < 5; i++) published.push((await first.lifeline.publish('ticket:1', 'n', i)).id);
    await first.close(); // the node goes away; the stream stays in Redis
    const second = await startCompanion('node', { ...baseOptions(), store: redisStore({ client: client!, key }) });
    const s = await socketFor(second.url);
    try {
      const reply = (await s.timeout(5000).emitWithAck('lifeline:history', { channel: 'ticket:1', limit: 3 })) as { ok: boolean; events: StoredEvent[]; cursor: string };
      expect(reply.ok).toBe(true);
      expect(reply.events.map((e) => e.id)).toEqual(published.slice(2));
      expect(reply.cursor).toBe(published[4]);
    } finally {
      s.close();
      await second.close();
    }
  });
});
