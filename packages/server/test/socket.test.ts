/** The Socket.IO carrier against a real server: auth, joins, replay, live, races, emits. */
import { afterEach, describe, expect, it } from 'vitest';
import { io as connect } from 'socket.io-client';
import type { Socket as ClientSocket } from 'socket.io-client';
import { memoryStore, type StoredEvent } from '@lifeline/server';
import { waitFor } from '@lifeline/testkit';
import { WIRE } from '../../core/src/constants';
import { WIRE as SERVER_WIRE } from '../src/wire';
import { baseOptions, join, record, socketFor, startCompanion, wrapStore, type Companion } from './helpers';

let companion: Companion;
const sockets: ClientSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.close();
  await companion?.close();
});

async function open(auth?: Record<string, unknown>) {
  const s = await socketFor(companion.url, auth);
  sockets.push(s);
  return s;
}

describe('socket carrier', () => {
  it('acks the client heartbeat at once (the wire name is the client\'s)', async () => {
    const HEARTBEAT = SERVER_WIRE.heartbeat;
    expect(HEARTBEAT).toBe(WIRE.heartbeat);
    companion = await startCompanion();
    const s = await open({ token: 'ada-token' });
    const answered = await s.timeout(2000).emitWithAck(HEARTBEAT);
    expect(answered).toBeUndefined();
  });

  it('refuses a handshake whose auth does not authenticate, with the message "unauthorized"', async () => {
    companion = await startCompanion();
    await expect(open({ token: 'nope' })).rejects.toThrow('unauthorized');
    await expect(open({})).rejects.toThrow('unauthorized');
  });

  it('authorizes every join: FORBIDDEN for a channel the user may not read, and no events from it', async () => {
    companion = await startCompanion();
    const bob = await open({ token: 'bob-token' });
    const seen = record(bob);
    expect(await join(bob, 'ticket:1')).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(await join(bob, 'public:news')).toMatchObject({ ok: true });
    await companion.lifeline.publish('ticket:1', 'x', 1);
    await companion.lifeline.publish('public:news', 'y', 2);
    await waitFor(() => seen.length === 1);
    expect(seen.map((e) => e.channel)).toEqual(['public:news']);
  });

  it('without a cursor starts from now: ack carries the last id, older events are not sent', async () => {
    companion = await startCompanion();
    await companion.lifeline.publish('c', 'old', 1);
    await companion.lifeline.publish('c', 'old', 2);
    const s = await open();
    const seen = record(s);
    expect(await join(s, 'c')).toEqual({ ok: true, cursor: '2' });
    const live = await companion.lifeline.publish('c', 'new', 3);
    await waitFor(() => seen.length === 1);
    expect(seen).toEqual([{ id: '3', channel: 'c', event: 'new', data: 3 }]);
    expect(live.id).toBe('3');
  });

  it('replays everything after the cursor in order before live events, only of that channel', async () => {
    companion = await startCompanion();
    for (let i = 1; i <= 6; i++) await companion.lifeline.publish(i % 2 ? 'c' : 'other', 'e', i);
    const s = await open();
    const order: string[] = [];
    s.on('lifeline:event', (e: StoredEvent) => order.push(`event ${e.id}`));
    const ack = await join(s, 'c', '1');
    order.push('ack');
    await companion.lifeline.publish('c', 'e', 7);
    await waitFor(() => order.length === 4);
    expect(ack).toEqual({ ok: true, cursor: '5' });
    expect(order).toEqual(['event 3', 'event 5', 'ack', 'event 7']);
  });

  it('loses nothing and duplicates nothing when publishes land during the join (before and after the replay read)', async () => {
    const inner = memoryStore({ maxEvents: 10_000 });
    let during: (() => Promise<void>) | undefined;
    // A store with latency, like Redis: publishes land between the room join, the read, and going live.
    const slow = wrapStore(inner, {
      async readAfter(cursor, limit) {
        await during?.();
        const page = await inner.readAfter(cursor, limit);
        await during?.();
        return page;
      },
    });
    companion = await startCompanion('node', { ...baseOptions(), store: slow });
    for (let i = 0; i < 50; i++) await companion.lifeline.publish('race', 'e', i);
    let n = 50;
    during = async () => {
      for (let i = 0; i < 20; i++) await companion.lifeline.publish('race', 'e', n++);
      await new Promise((r) => setTimeout(r, 5));
    };
    const s = await open();
    const seen = record(s);
    const ack = await join(s, 'race', '10');
    during = undefined;
    for (let i = 0; i < 10; i++) await companion.lifeline.publish('race', 'e', n++);
    await waitFor(() => seen.length >= n - 10, { message: `all ${n - 10} events after cursor 10` });
    await new Promise((r) => setTimeout(r, 50));
    expect(ack).toMatchObject({ ok: true });
    expect(seen.map((e) => Number(e.id))).toEqual(Array.from({ length: n - 10 }, (_, i) => 11 + i));
  });

  it('a cursor older than the log keeps is CURSOR_EXPIRED (with the latest id), and the socket is not joined', async () => {
    companion = await startCompanion('node', { ...baseOptions(), store: memoryStore({ maxEvents: 3 }) });
    for (let i = 0; i < 10; i++) await companion.lifeline.publish('c', 'e', i);
    const s = await open();
    const seen = record(s);
    expect(await join(s, 'c', '2')).toMatchObject({ ok: false, code: 'CURSOR_EXPIRED', cursor: '10' });
    expect(await join(s, 'c', 'garbage')).toMatchObject({ ok: false, code: 'CURSOR_EXPIRED' });
    // A cursor that is not an id string is malformed too: never silently "from now" (that would lose 3–10).
    expect(await s.timeout(3000).emitWithAck('lifeline:join', { channel: 'c', cursor: 2 })).toMatchObject({ ok: false, code: 'CURSOR_EXPIRED', cursor: '10' });
    await companion.lifeline.publish('c', 'e', 'after');
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
    expect(await join(s, 'c', '8')).toEqual({ ok: true, cursor: '11' });
    expect(seen.map((e) => e.id)).toEqual(['9', '10', '11']);
    // null is "no cursor" (a JSON client's way of leaving it out): from now.
    expect(await s.timeout(3000).emitWithAck('lifeline:join', { channel: 'd', cursor: null })).toEqual({ ok: true, cursor: '11' });
  });

  it('forgets a socket\'s subscriptions when it leaves or disconnects', async () => {
    companion = await startCompanion();
    const s = await open();
    await join(s, 'a');
    await join(s, 'b');
    await join(s, 'b'); // a re-join replaces, never doubles
    expect(companion.lifeline.stats().socketSubscriptions).toBe(2);
    await s.timeout(2000).emitWithAck('lifeline:leave', { channel: 'a' });
    expect(companion.lifeline.stats().socketSubscriptions).toBe(1);
    s.close();
    await waitFor(() => companion.lifeline.stats().socketSubscriptions === 0, { message: 'subscriptions dropped on disconnect' });
  });

  it('stops sending a channel after lifeline:leave', async () => {
    companion = await startCompanion();
    const s = await open();
    const seen = record(s);
    await join(s, 'c');
    expect(await s.timeout(2000).emitWithAck('lifeline:leave', { channel: 'c' })).toEqual({ ok: true });
    await companion.lifeline.publish('c', 'e', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([]);
  });

  it('lifeline:leave takes the socket out of the room named after the channel only if the companion put it there: a room the app joined it to stays', async () => {
    companion = await startCompanion();
    const ns = companion.io.of('/ns');
    ns.on('connection', (socket) => void socket.join('app-room'));
    const s = await open();
    const custom: string[] = [];
    s.on('custom', (room: string) => custom.push(room));
    const server = [...ns.sockets.values()][0]!;
    for (const channel of ['app-room', 'mine']) expect(await join(s, channel)).toMatchObject({ ok: true });
    expect(server.rooms.has('app-room') && server.rooms.has('mine')).toBe(true);
    for (const channel of ['app-room', 'mine']) await s.timeout(2000).emitWithAck('lifeline:leave', { channel });
    expect([server.rooms.has('app-room'), server.rooms.has('mine')]).toEqual([true, false]);
    ns.to('mine').emit('custom', 'mine');
    ns.to('app-room').emit('custom', 'app-room'); // the app's own room still reaches the socket
    await waitFor(() => custom.length > 0);
    await new Promise((r) => setTimeout(r, 50));
    expect(custom).toEqual(['app-room']);
    // The same after a refused join (expired cursor) and on close(): the app's room is kept.
    expect(await join(s, 'app-room', '99')).toMatchObject({ ok: false, code: 'CURSOR_EXPIRED' });
    expect(await join(s, 'mine')).toMatchObject({ ok: true });
    expect(await join(s, 'app-room')).toMatchObject({ ok: true });
    await companion.lifeline.close();
    expect([server.rooms.has('app-room'), server.rooms.has('mine')]).toEqual([true, false]);
  });

  it('close() removes every listener it added to already-connected sockets, the namespace and the bus: joins and on() handlers go unanswered', async () => {
    companion = await startCompanion();
    const ns = companion.io.of('/ns');
    let runs = 0;
    companion.lifeline.on('ping-me', () => ++runs);
    const s = await open();
    expect(await s.timeout(2000).emitWithAck('ping-me', null)).toBe(1);
    expect(await join(s, 'c')).toMatchObject({ ok: true });
    const server = [...ns.sockets.values()][0]!;
    const counts = () => ({
      join: server.listeners('lifeline:join').length,
      leave: server.listeners('lifeline:leave').length,
      any: server.listenersAny().length,
      disconnect: server.listeners('disconnect').length,
      connection: ns.listeners('connection').length,
      bus: companion.lifeline.stats().busListeners,
    });
    const before = counts();
    expect(before).toMatchObject({ join: 1, leave: 1, any: 1, bus: 1 });
    await companion.lifeline.close();
    expect(counts()).toEqual({ join: 0, leave: 0, any: 0, disconnect: before.disconnect - 1, connection: before.connection - 1, bus: 0 });
    await expect(s.timeout(200).emitWithAck('ping-me', null)).rejects.toThrow(/timed out/);
    await expect(s.timeout(200).emitWithAck('lifeline:join', { channel: 'c' })).rejects.toThrow(/timed out/);
    expect(runs).toBe(1);
  });

  it('on(event) gets ordinary socket emits with the user; the (async) return value is the ack', async () => {
    companion = await startCompanion();
    companion.lifeline.on('add', async (data, user) => ({ sum: (data as number[]).reduce((a, b) => a + b, 0), by: user.name }));
    companion.lifeline.on('boom', () => {
      throw new Error('secret internals');
    });
    const s = await open();
    expect(await s.timeout(2000).emitWithAck('add', [1, 2, 3])).toEqual({ sum: 6, by: 'ada' });
    expect(await s.timeout(2000).emitWithAck('boom', {})).toEqual({ error: 'HANDLER_ERROR', message: 'The "boom" handler failed.' });
  });

  it('lifeline:emit { event, data, id } runs the on() handler once per id (also from another connection of the user, also while the first run is in progress); another user has its own ids; a bad envelope is BAD_REQUEST; an event only the app handles with socket.on() reaches it', async () => {
    companion = await startCompanion();
    companion.io.of('/ns').on('connection', (socket) => socket.on('raw', (data: unknown, ack: (r: unknown) => void) => ack({ raw: data })));
    let runs = 0;
    companion.lifeline.on('work', async (data, user) => {
      runs++;
      await new Promise((r) => setTimeout(r, 100));
      return { got: data, by: user.name };
    });
    const EMIT = SERVER_WIRE.emit;
    expect(EMIT).toBe(WIRE.emit);
    const [a, b] = [await open(), await open()];
    const send = (s: ClientSocket, payload: unknown) => s.timeout(2000).emitWithAck(EMIT, payload);
    // The leader that sent it first goes; the next one sends it again while the first run is in progress.
    expect(await Promise.all([send(a, { event: 'work', data: 1, id: 'tab.1' }), send(b, { event: 'work', data: 1, id: 'tab.1' })])).toEqual([{ got: 1, by: 'ada' }, { got: 1, by: 'ada' }]);
    expect(await send(b, { event: 'work', data: 1, id: 'tab.1' })).toEqual({ got: 1, by: 'ada' });
    expect(runs).toBe(1);
    expect(await send(a, { event: 'work', data: 2, id: 'tab.2' })).toEqual({ got: 2, by: 'ada' });
    expect(runs).toBe(2);
    const bob = await open({ token: 'bob-token' });
    expect(await send(bob, { event: 'work', data: 3, id: 'tab.1' })).toEqual({ got: 3, by: 'bob' });
    expect(runs).toBe(3);
    expect(await send(a, { event: 'work', data: 1 })).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await send(a, 'nope')).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    expect(await send(a, { event: 'raw', data: 4, id: 'tab.3' })).toEqual({ raw: 4 });
  });

  it('a handler whose return value JSON cannot carry is a handler failure: HANDLER_ERROR ack, onError once, the server lives on', async () => {
    const errors: string[] = [];
    companion = await startCompanion('node', { ...baseOptions(), onError: (e, ctx) => errors.push(`${ctx.where}: ${e instanceof Error ? e.message : String(e)}`) });
    companion.lifeline.on('big', () => ({ n: 10n }));
    companion.lifeline.on('add', (data) => (data as number[]).reduce((a, b) => a + b, 0));
    const s = await open();
    expect(await s.timeout(2000).emitWithAck('big', {})).toEqual({ error: 'HANDLER_ERROR', message: 'The "big" handler failed.' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^on\("big"\) handler: .*return value.*BigInt/);
    expect(await s.timeout(2000).emitWithAck('add', [1, 2])).toBe(3);
  });

  it('a plain socket.io-client (no Lifeline) still gets ordinary events from the namespace', async () => {
    companion = await startCompanion();
    companion.io.of('/ns').on('connection', (socket) => socket.emit('hello', { plain: true }));
    const plain = connect(`${companion.url}/ns`, { auth: { token: 'ada-token' }, reconnection: false, forceNew: true });
    sockets.push(plain);
    const hello = await new Promise((resolve) => plain.once('hello', resolve));
    expect(hello).toEqual({ plain: true });
    plain.emit('join-room-manually');
    companion.io.of('/ns').emit('broadcast', 42);
    expect(await new Promise((resolve) => plain.once('broadcast', resolve))).toBe(42);
  });
});
