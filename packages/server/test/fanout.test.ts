/**
 * Live fan-out through Socket.IO room broadcasts (packages/server/src/joins.ts): a joining socket
 * goes from replay to the channel's internal fan-out room with nothing lost, doubled or reordered,
 * however publishes land around the join — during the store read, between microtasks of the join,
 * synchronously inside the replay and the buffer flush, or late from a lagging store subscriber —
 * with many sockets joining at once. Also: who is (never) in the fan-out room, leave and
 * disconnect, and the fallback for an adapter whose joins are not synchronous.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Socket as ClientSocket } from 'socket.io-client';
import { Server } from 'socket.io';
import { memoryStore, type EventStore, type StoredEvent } from '@lifeline/server';
import { waitFor } from '@lifeline/testkit';
import { baseOptions, join, record, socketFor, startCompanion, wrapStore, type Companion } from './helpers';

let companion: Companion | undefined;
const sockets: ClientSocket[] = [];
const timers: Array<ReturnType<typeof setInterval>> = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const s of sockets.splice(0)) s.close();
  await companion?.close();
  companion = undefined;
});

async function open(url: string, auth?: Record<string, unknown>) {
  const s = await socketFor(url, auth);
  sockets.push(s);
  return s;
}

/** Sizes of the companion's internal fan-out rooms on "/ns" (name without the prefix → size). */
function fanoutRooms(io: Server): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [room, ids] of io.of('/ns').adapter.rooms) {
    if (room.startsWith('\0lifeline:')) out[room.slice(room.indexOf(':', '\0lifeline:'.length) + 1)] = ids.size;
  }
  return out;
}

/**
 * A log whose live events reach the companion through `subscribe` (as with Redis and a
 * subscriber): synchronously inside `append` when `lagMs` is undefined, else in order, in
 * batches, `lagMs` later (a subscriber behind the store the replay reads). `onRead` runs inside
 * every read, before it slices the log.
 */
function subscribedLog(lagMs?: number) {
  const all: StoredEvent[] = [];
  const listeners = new Set<(e: StoredEvent) => void>();
  const late: StoredEvent[] = [];
  let flushing: ReturnType<typeof setTimeout> | undefined;
  const hooks: { onRead?: (() => void) | undefined } = {};
  const send = (e: StoredEvent) => {
    for (const l of [...listeners]) l(e);
  };
  const store: EventStore = {
    append(e) {
      const stored: StoredEvent = { id: String(all.length + 1), channel: e.channel, event: e.event, data: e.data };
      all.push(stored);
      if (lagMs === undefined) send(stored);
      else {
        late.push(stored);
        flushing ??= setTimeout(() => {
          flushing = undefined;
          for (const x of late.splice(0)) send(x);
        }, lagMs);
      }
      return Promise.resolve(stored);
    },
    readAfter(cursor, limit) {
      hooks.onRead?.();
      const from = Number(cursor);
      return Promise.resolve(all.slice(from, from + limit));
    },
    oldest: () => Promise.resolve(all.length ? '1' : undefined),
    latest: () => Promise.resolve(String(all.length)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return { store, all, hooks };
}

/** Ids of `channel` in `log` after `cursor`. */
const idsAfter = (log: readonly StoredEvent[], channel: string, cursor: string) =>
  log.filter((e) => e.channel === channel && Number(e.id) > Number(cursor)).map((e) => Number(e.id));

/** Starts `count` sockets joining `channel` at once, cursors spread over the log (every 4th: none). */
async function joinAll(url: string, count: number, channel: string, maxCursor: number) {
  const members = await Promise.all(Array.from({ length: count }, () => open(url)));
  const seen = members.map((s) => record(s, channel));
  const cursors = members.map((_, i) => (i % 4 === 0 ? undefined : String(Math.floor((i * maxCursor) / count))));
  const acks = await Promise.all(members.map((s, i) => join(s, channel, cursors[i])));
  for (const ack of acks) expect(ack).toMatchObject({ ok: true });
  return members.map((socket, i) => ({ socket, seen: seen[i]!, from: cursors[i] ?? acks[i]!.cursor }));
}

async function expectExact(members: Array<{ seen: StoredEvent[]; from: string }>, log: () => readonly StoredEvent[], channel: string) {
  for (const [i, m] of members.entries()) {
    await waitFor(() => m.seen.length >= idsAfter(log(), channel, m.from).length, {
      timeoutMs: 5000,
      message: `socket ${i} got its ${idsAfter(log(), channel, m.from).length} events (has ${m.seen.length})`,
    });
  }
  await new Promise((r) => setTimeout(r, 50)); // a duplicate would arrive by now
  for (const [i, m] of members.entries()) {
    expect({ socket: i, ids: m.seen.map((e) => Number(e.id)) }).toEqual({ socket: i, ids: idsAfter(log(), channel, m.from) });
  }
}

describe('live fan-out by room broadcast', () => {
  it('30 sockets join at once while publishes land at every microtask of every join: each gets exactly the ids after its cursor, in order, then all are in the fan-out room', async () => {
    const inner = memoryStore({ maxEvents: 100_000 });
    let storm: (() => void) | undefined;
    // Each store call of a join sets off 30 publishes, one per microtask, so they land before,
    // inside and after the read and at every step from the read's result to going live.
    const store = wrapStore(inner, {
      latest: () => {
        storm?.();
        return inner.latest();
      },
      async readAfter(cursor, limit) {
        storm?.();
        const page = await inner.readAfter(cursor, limit);
        storm?.();
        return page;
      },
    });
    const c = (companion = await startCompanion('node', { ...baseOptions(), store }));
    let n = 0;
    const publish = (channel = 'race') => void c.lifeline.publish(channel, 'e', n++);
    for (let i = 0; i < 200; i++) publish(i % 3 ? 'race' : 'other');
    storm = () => {
      let k = 0;
      const step = () => {
        if (k++ >= 30) return;
        publish(k % 3 ? 'race' : 'other');
        queueMicrotask(step);
      };
      step();
    };
    timers.push(setInterval(() => publish(), 1));
    const members = await joinAll(c.url, 30, 'race', 200);
    storm = undefined;
    for (const t of timers.splice(0)) clearInterval(t);
    for (let i = 0; i < 20; i++) await c.lifeline.publish('race', 'e', n++);
    const log = await inner.readAfter('0', 100_000);
    await expectExact(members, () => log, 'race');
    expect(fanoutRooms(c.io)).toEqual({ race: 30 });
  });

  it('publishes delivered synchronously inside the read, the replay and the buffer flush (the instant before going live), with 20 concurrent joins, are neither lost nor doubled', async () => {
    const { store, all, hooks } = subscribedLog();
    const c = (companion = await startCompanion('node', { ...baseOptions(), store }));
    let n = 0;
    let budget = 3000;
    let injected = 0;
    // Synchronous with the subscribed log: publish → append → bus → deliver, inside the caller.
    const publish = (channel = 'race') => {
      if (budget-- <= 0) return;
      injected++;
      void c.lifeline.publish(channel, 'e', n++);
    };
    for (let i = 0; i < 300; i++) void c.lifeline.publish(i % 2 ? 'race' : 'other', 'e', n++);
    hooks.onRead = () => {
      for (let i = 0; i < 3; i++) publish(); // in the log before the read slices it, and delivered live: both
    };
    // Every event sent to a socket that is not live yet (replay, buffer flush, catching up) may set
    // off another publish right there, before the next line of the companion runs.
    let atTheEdge = 0;
    c.io.of('/ns').on('connection', (socket) => {
      socket.onAnyOutgoing((event: string) => {
        if (event !== 'lifeline:event' || [...socket.rooms].some((r) => r.startsWith('\0lifeline:'))) return;
        atTheEdge++;
        if (Math.random() < 0.7) publish(Math.random() < 0.8 ? 'race' : 'other');
      });
    });
    timers.push(setInterval(() => publish(), 1));
    const members = await joinAll(c.url, 20, 'race', 300);
    hooks.onRead = undefined;
    for (const t of timers.splice(0)) clearInterval(t);
    budget = 0;
    for (let i = 0; i < 10; i++) await c.lifeline.publish('race', 'e', n++);
    await expectExact(members, () => all, 'race');
    expect(injected).toBeGreaterThan(200);
    expect(atTheEdge).toBeGreaterThan(200);
    expect(fanoutRooms(c.io)).toEqual({ race: 20 });
  });

  it('a store subscriber that lags behind the log (the replay already sent what the bus delivers next) doubles nothing, and the sockets still end up in the fan-out room', async () => {
    const { store, all } = subscribedLog(15);
    const c = (companion = await startCompanion('node', { ...baseOptions(), store }));
    let n = 0;
    for (let i = 0; i < 100; i++) await c.lifeline.publish('race', 'e', n++);
    timers.push(setInterval(() => void c.lifeline.publish(n % 4 ? 'race' : 'other', 'e', n++), 1));
    const members = await joinAll(c.url, 16, 'race', 100);
    await new Promise((r) => setTimeout(r, 30));
    for (const t of timers.splice(0)) clearInterval(t);
    for (let i = 0; i < 5; i++) await c.lifeline.publish('race', 'e', n++);
    await expectExact(members, () => all, 'race');
    expect(fanoutRooms(c.io)).toEqual({ race: 16 });
  });

  it('only sockets joined through an authorized lifeline:join get lifeline:event; the app\'s own room of the same name and a plain client are untouched', async () => {
    const c = (companion = await startCompanion());
    c.io.of('/ns').on('connection', (socket) => socket.on('app:join', (room: string, ack: () => void) => void Promise.resolve(socket.join(room)).then(() => ack())));
    const [ada1, ada2, bob] = [await open(c.url), await open(c.url), await open(c.url, { token: 'bob-token' })];
    const plain = connect(`${c.url}/ns`, { auth: { token: 'ada-token' }, transports: ['websocket'], reconnection: false, forceNew: true });
    sockets.push(plain);
    await new Promise<void>((r) => plain.once('connect', () => r()));
    const [s1, s2, sb, sp] = [record(ada1), record(ada2), record(bob), record(plain)];
    const custom: string[] = [];
    plain.on('custom', (x: string) => custom.push(x));
    bob.on('custom', (x: string) => custom.push(`bob ${x}`));
    await plain.timeout(2000).emitWithAck('app:join', 'ticket:1'); // the app's own room, same name
    await bob.timeout(2000).emitWithAck('app:join', 'ticket:1');
    expect(await join(bob, 'ticket:1')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await join(ada1, 'ticket:1')).toMatchObject({ ok: true });
    expect(await join(ada2, 'ticket:1')).toMatchObject({ ok: true });
    expect(fanoutRooms(c.io)).toEqual({ 'ticket:1': 2 });
    const e1 = await c.lifeline.publish('ticket:1', 'x', 1);
    c.io.of('/ns').to('ticket:1').emit('custom', 'app'); // the app's emit to the room still reaches everyone in it
    const e2 = await c.lifeline.publish('ticket:1', 'x', 2);
    await waitFor(() => s1.length === 2 && s2.length === 2 && custom.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(s1).toEqual([e1, e2]);
    expect(s2).toEqual([e1, e2]);
    expect(sb).toEqual([]);
    expect(sp).toEqual([]);
    expect(custom.sort()).toEqual(['app', 'bob app']);
  });

  it('leave and disconnect stop broadcast delivery; a re-join while live replays from its cursor without a broadcast copy', async () => {
    const inner = memoryStore({ maxEvents: 10_000 });
    let onRead: ((cursor: string) => void) | undefined;
    const store = wrapStore(inner, { readAfter: (cursor, limit) => (onRead?.(cursor), inner.readAfter(cursor, limit)) });
    const c = (companion = await startCompanion('node', { ...baseOptions(), store }));
    // e and f stay joined, so live events go out as a room broadcast (one live socket: a plain emit).
    const [a, b, d, e, f] = [await open(c.url), await open(c.url), await open(c.url), await open(c.url), await open(c.url)];
    const [sa, sb, sd, se, sf] = [record(a), record(b), record(d), record(e), record(f)];
    for (const s of [a, b, d, e, f]) expect(await join(s, 'c')).toEqual({ ok: true, cursor: '0' });
    expect(fanoutRooms(c.io)).toEqual({ c: 5 });
    for (let i = 1; i <= 5; i++) await c.lifeline.publish('c', 'e', i);
    await waitFor(() => [sa, sb, sd, se, sf].every((s) => s.length === 5));
    await a.timeout(2000).emitWithAck('lifeline:leave', { channel: 'c' });
    b.close();
    await waitFor(() => c.lifeline.stats().socketSubscriptions === 3, { message: 'b dropped' });
    expect(fanoutRooms(c.io)).toEqual({ c: 3 });
    // d joins again from cursor 2 while publishes keep landing: it must get 3, 4, 5 (replay), then
    // the new ones, each once — not also a broadcast copy while its replay runs. Publishing starts
    // when the re-join reads its replay (it has replaced d's subscription by then): an event sent
    // earlier, to the old subscription, would rightly reach d before the replay.
    sd.length = 0;
    let n = 6;
    onRead = (cursor) => {
      if (cursor !== '2') return;
      onRead = undefined;
      for (let i = 0; i < 3; i++) void c.lifeline.publish('c', 'e', n++); // in the log before the read, and live
      timers.push(setInterval(() => void c.lifeline.publish('c', 'e', n++), 1));
    };
    expect(await join(d, 'c', '2')).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 20));
    for (const t of timers.splice(0)) clearInterval(t);
    const last = Number(await c.lifeline.publish('c', 'e', n++).then((x) => x.id));
    await waitFor(() => sd.length >= last - 2 && se.length >= last && sf.length >= last);
    await new Promise((r) => setTimeout(r, 50));
    expect(sd.map((x) => Number(x.id))).toEqual(Array.from({ length: last - 2 }, (_, i) => 3 + i));
    expect(se.map((x) => Number(x.id))).toEqual(Array.from({ length: last }, (_, i) => 1 + i));
    expect(sf.map((x) => Number(x.id))).toEqual(Array.from({ length: last }, (_, i) => 1 + i));
    expect(sa.length).toBe(5);
    expect(sb.length).toBe(5);
    expect(fanoutRooms(c.io)).toEqual({ c: 3 });
    e.close();
    f.close();
    await a.timeout(2000).emitWithAck('lifeline:leave', { channel: 'c' }); // not joined: harmless
    await d.timeout(2000).emitWithAck('lifeline:leave', { channel: 'c' });
    await waitFor(() => c.lifeline.stats().socketSubscriptions === 0);
    expect(fanoutRooms(c.io)).toEqual({});
  });

  it('a socket restored by connection state recovery is not in the fan-out room until its client joins again, then gets the replay once', async () => {
    const c = (companion = await startCompanion('node', baseOptions(), { connectionStateRecovery: { maxDisconnectionDuration: 10_000, skipMiddlewares: false } }));
    const y = await open(c.url);
    const x = connect(`${c.url}/ns`, { auth: { token: 'ada-token' }, transports: ['websocket'], forceNew: true, reconnectionDelay: 10, reconnectionDelayMax: 10 });
    sockets.push(x);
    await new Promise<void>((r) => x.once('connect', () => r()));
    const [sx, sy] = [record(x), record(y)];
    await join(x, 'c');
    await join(y, 'c');
    expect(fanoutRooms(c.io)).toEqual({ c: 2 });
    const e1 = await c.lifeline.publish('c', 'e', 1);
    await waitFor(() => sx.length === 1 && sy.length === 1);
    x.io.engine.close(); // the connection drops; the client reconnects and Socket.IO restores its session
    await waitFor(() => x.connected && x.recovered, { message: 'x reconnected with its session recovered' });
    await waitFor(() => c.lifeline.stats().socketSubscriptions === 1);
    expect(fanoutRooms(c.io)).toEqual({ c: 1 });
    const e2 = await c.lifeline.publish('c', 'e', 2);
    await c.lifeline.publish('other', 'e', 0);
    await waitFor(() => sy.length === 2);
    await new Promise((r) => setTimeout(r, 50));
    expect(sx).toEqual([e1]);
    expect(await join(x, 'c', e1.id)).toEqual({ ok: true, cursor: e2.id });
    const e3 = await c.lifeline.publish('c', 'e', 3);
    await waitFor(() => sx.length === 3 && sy.length === 3);
    await new Promise((r) => setTimeout(r, 50));
    expect(sx).toEqual([e1, e2, e3]);
    expect(sy).toEqual([e1, e2, e3]);
  });

  it('with an adapter whose joins land later (not synchronously), falls back to one-by-one delivery and stays exact', async () => {
    // The default in-memory adapter, except that joining a room takes effect 5 ms later.
    const probe = new Server(); // not attached to anything: nothing to close
    const Base = probe.of('/').adapter.constructor as new (nsp: unknown) => { addAll(id: string, rooms: Set<string>): Promise<void> | void };
    class LateAdapter extends Base {
      override addAll(id: string, rooms: Set<string>): Promise<void> {
        return new Promise((resolve) => setTimeout(() => resolve(super.addAll(id, rooms)), 5));
      }
    }
    const store = memoryStore({ maxEvents: 100_000 });
    const c = (companion = await startCompanion('node', { ...baseOptions(), store }, { adapter: LateAdapter as never }));
    let n = 0;
    for (let i = 0; i < 50; i++) await c.lifeline.publish('race', 'e', n++);
    timers.push(setInterval(() => void c.lifeline.publish('race', 'e', n++), 1));
    const members = await joinAll(c.url, 8, 'race', 50);
    await new Promise((r) => setTimeout(r, 30));
    for (const t of timers.splice(0)) clearInterval(t);
    for (let i = 0; i < 5; i++) await c.lifeline.publish('race', 'e', n++);
    const log = await store.readAfter('0', 100_000);
    await expectExact(members, () => log, 'race');
    await new Promise((r) => setTimeout(r, 20));
    expect(fanoutRooms(c.io)).toEqual({});
  });
});

describe('connection state recovery with Socket.IO defaults (skipMiddlewares: true)', () => {
  it('a restored socket, which skipped the auth middleware, is authenticated on first use: joins and handlers get the user; revoked credentials get UNAUTHORIZED and a disconnect', async () => {
    const revoked = new Set<string>();
    const options = baseOptions();
    const c = (companion = await startCompanion(
      'node',
      { ...options, authenticate: (auth, ctx) => (typeof auth.token === 'string' && revoked.has(auth.token) ? null : options.authenticate!(auth, ctx)) },
      { connectionStateRecovery: { maxDisconnectionDuration: 10_000 } },
    ));
    c.lifeline.on('whoami', (_data, user) => user.name);
    const x = connect(`${c.url}/ns`, { auth: { token: 'ada-token' }, transports: ['websocket'], forceNew: true, reconnectionDelay: 10, reconnectionDelayMax: 10 });
    sockets.push(x);
    await new Promise<void>((r) => x.once('connect', () => r()));
    const seen = record(x, 'c');
    expect((await join(x, 'c')).ok).toBe(true);
    const e1 = await c.lifeline.publish('c', 'e', 1);
    await waitFor(() => seen.length === 1);

    x.io.engine.close();
    await waitFor(() => x.connected && x.recovered, { message: 'x reconnected with its session recovered' });
    expect(await join(x, 'c', e1.id)).toMatchObject({ ok: true });
    expect(await x.timeout(5000).emitWithAck('whoami', null)).toBe('ada');
    const e2 = await c.lifeline.publish('c', 'e', 2);
    await waitFor(() => seen.length === 2);
    expect(seen).toEqual([e1, e2]);

    revoked.add('ada-token');
    x.io.engine.close();
    await waitFor(() => x.connected && x.recovered, { message: 'x recovered again (middlewares skipped)' });
    const dropped = new Promise<string>((r) => x.once('disconnect', r));
    expect(await join(x, 'c', e2.id)).toEqual({ ok: false, code: 'UNAUTHORIZED', message: 'unauthorized' });
    expect(await dropped).toBe('io server disconnect');
  });
});
