/**
 * `share: true` in Node: each "tab" is a client in this process, Node's BroadcastChannel carries
 * their messages and the testkit's in-process LockManager elects the leader (the browser suite,
 * test/browser/share.test.ts, runs the same in real Chromium pages). A real Socket.IO server with
 * the real companion counts connections and publishes.
 */
import { createClient, loadHints, type LifelineClient } from '@lifeline/core';
import { inspectClient } from '@lifeline/core/testing';
import { memoryStore, type Lifeline } from '@lifeline/server';
import { fakeLocks, waitFor, type FakeLockManager, type TestServer } from '@lifeline/testkit';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { shareName } from '../../src/share/wire';
import { FAST, startCompanion } from './setup';

let server: TestServer;
let lifeline: Lifeline;
let locks: FakeLockManager;
const clients: LifelineClient[] = [];

beforeEach(async () => {
  locks = fakeLocks();
  vi.stubGlobal('navigator', { locks });
  ({ server, lifeline } = await startCompanion('/', { store: memoryStore({ maxEvents: 10_000 }), onError: () => {} }));
  server.io.on('connection', (socket) => socket.on('echo', (data: unknown, ack?: (r: unknown) => void) => ack?.(data)));
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  vi.unstubAllGlobals();
  await lifeline.close();
  await server.close();
});

const tab = (options: { share?: boolean | { key: string }; auth?: Record<string, unknown> } = {}) => {
  const c = createClient({ url: server.url, reconnect: FAST, share: true, ...options });
  clients.push(c);
  return c;
};
const connections = () => server.io.of('/').sockets.size;

function record(c: LifelineClient, channel: string): string[] {
  const ids: string[] = [];
  c.channel(channel).on('tick', (_d, meta) => ids.push(meta.id!));
  return ids;
}

describe('share (Node: BroadcastChannel + an in-process LockManager)', () => {
  it('three tabs share one connection; each gets every event once, in order; roles say who leads', async () => {
    const tabs = [tab(), tab(), tab()];
    const seen = tabs.map((t) => record(t, 'news'));
    await waitFor(() => tabs.every((t) => t.getState().status === 'connected'), { message: 'all connected' });
    expect(connections()).toBe(1);
    expect(tabs.map((t) => t.getState().role).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(tabs.every((t) => t.getState().transport === 'websocket')).toBe(true);
    const published: string[] = [];
    await waitFor(async () => {
      published.push((await lifeline.publish('news', 'tick', published.length)).id);
      return seen.every((s) => s.length > 0);
    }, { message: 'joined everywhere' });
    for (let i = 0; i < 20; i++) published.push((await lifeline.publish('news', 'tick', i)).id);
    await waitFor(() => seen.every((s) => s.length === published.length), { message: 'all delivered' });
    // The first few may have been published before a tab's join went through: from there on, all.
    for (const s of seen) expect(s).toEqual(published.slice(published.indexOf(s[0]!)));
  });

  it("a follower's emit with ack resolves through the leader", async () => {
    const leader = tab();
    await waitFor(() => leader.getState().role === 'leader');
    const follower = tab();
    await expect(follower.emit('echo', { n: 1 }, { ack: true })).resolves.toEqual({ n: 1 });
    expect(connections()).toBe(1);
    // A volatile emit goes through the leader too (now or never).
    const got: unknown[] = [];
    for (const s of server.io.of('/').sockets.values()) s.on('typing', (d: unknown) => got.push(d));
    follower.emit('typing', 'x', { volatile: true });
    await waitFor(() => got.length === 1);
    // ping(): a round trip through the leader to the server.
    expect(await follower.ping()).toBeGreaterThanOrEqual(0);
    expect(follower.rtt).not.toBeNull();
  });

  it('the leader closes: another tab leads, re-joins from the cursor, nothing lost or doubled', async () => {
    const tabs = [tab(), tab(), tab()];
    const seen = tabs.map((t) => record(t, 'news'));
    await waitFor(() => tabs.every((t) => t.getState().status === 'connected'));
    const first = (await lifeline.publish('news', 'tick', 0)).id;
    await waitFor(() => seen.every((s) => s.includes(first)));
    const leader = tabs.find((t) => t.getState().role === 'leader')!;
    const published = [first];
    leader.close();
    // Published while no tab leads: replayed from the cursor once the new leader joins.
    for (let i = 1; i <= 10; i++) published.push((await lifeline.publish('news', 'tick', i)).id);
    const rest = tabs.filter((t) => t !== leader);
    await waitFor(() => rest.some((t) => t.getState().role === 'leader') && rest.every((t) => t.getState().status === 'connected'), { message: 'new leader' });
    for (let i = 11; i <= 15; i++) published.push((await lifeline.publish('news', 'tick', i)).id);
    const restSeen = tabs.map((t, i) => (t === leader ? null : seen[i]!)).filter((s) => s !== null);
    await waitFor(() => restSeen.every((s) => s.length === published.length), { message: 'every event in each remaining tab' });
    for (const s of restSeen) expect(s).toEqual(published);
    expect(connections()).toBe(1);
  });

  it('a tab away from the channel while the others held it (disconnect(), then connect()) gets what it missed, once, in order: the leader catches it up', async () => {
    const tabs = [tab(), tab()];
    await waitFor(() => tabs[0]!.getState().role === 'leader');
    const seen = tabs.map((t) => record(t, 'feed'));
    await waitFor(() => tabs.every((t) => t.getState().status === 'connected'));
    const warm = tabs.map((t) => {
      const got: unknown[] = [];
      t.channel('feed').on('warm', (d) => got.push(d));
      return got;
    });
    await waitFor(async () => {
      await lifeline.publish('feed', 'warm', null);
      return warm.every((w) => w.length > 0);
    }, { message: 'joined everywhere' });
    const published = [(await lifeline.publish('feed', 'tick', 0)).id];
    const away = tabs[1]!;
    away.disconnect();
    for (let i = 1; i <= 10; i++) published.push((await lifeline.publish('feed', 'tick', i)).id);
    away.connect();
    for (let i = 11; i <= 15; i++) published.push((await lifeline.publish('feed', 'tick', i)).id);
    await waitFor(() => seen.every((s) => s.length >= published.length), { message: 'every event in each tab', timeoutMs: 5000 });
    for (const s of seen) expect(s).toEqual(published);
    expect(connections()).toBe(1);
  });

  it('the leader lock held by a page that never answers (frozen or hung): a tab takes it (steal), leads alone, nothing is lost', async () => {
    // A "page" that holds the leader lock and runs no leader, as a frozen one does.
    const name = shareName({ url: server.url, path: '/socket.io', namespace: '/' }, { key: undefined, auth: undefined });
    const frozen = locks.request(name, () => new Promise(() => {})).then(() => 'released', (e: Error) => e.name);
    await waitFor(() => locks.heldNames().includes(name));
    const tabs = [tab(), tab()];
    const seen = tabs.map((t) => record(t, 'held'));
    await waitFor(() => tabs.some((t) => t.getState().role === 'leader') && tabs.every((t) => t.getState().status === 'connected'), { message: 'a tab took the lead', timeoutMs: 8000 });
    expect(await frozen).toBe('AbortError'); // the browser tells the old holder
    await waitFor(() => tabs.filter((t) => t.getState().role === 'leader').length === 1 && connections() === 1, { message: 'one leader, one connection' });
    const published: string[] = [];
    await waitFor(async () => {
      published.push((await lifeline.publish('held', 'tick', published.length)).id);
      return seen.every((s) => s.length > 0);
    }, { message: 'joined everywhere' });
    for (let i = 0; i < 10; i++) published.push((await lifeline.publish('held', 'tick', i)).id);
    await waitFor(() => seen.every((s) => s.at(-1) === published.at(-1)), { message: 'all delivered' });
    for (const s of seen) expect(s).toEqual(published.slice(published.indexOf(s[0]!)));
  });

  it('a channel only one tab holds is left on the server when that tab closes; the last close releases everything', async () => {
    const a = tab();
    await waitFor(() => a.getState().role === 'leader');
    const b = tab();
    const room = b.channel('only-b');
    await waitFor(() => b.getState().status === 'connected');
    const sockets = () => [...server.io.of('/').sockets.values()];
    const inRoom = () => sockets().some((s) => [...s.rooms].some((r) => r.includes('only-b')));
    await waitFor(inRoom, { message: 'joined on the server' });
    b.close();
    await waitFor(() => !inRoom(), { message: 'left on the server' });
    void room;
    a.close();
    await waitFor(() => connections() === 0, { message: 'connection closed' });
    expect(locks.heldNames()).toEqual([]);
    expect(inspectClient(a)).toMatchObject({ timers: 0, listeners: 0, sockets: 0 });
  });

  it('different static auth objects never share; share: false is a connection of its own', async () => {
    const a = tab({ auth: { token: 'ada' } });
    const b = tab({ auth: { token: 'bob' } });
    const c = tab({ share: false });
    await waitFor(() => [a, b, c].every((t) => t.getState().status === 'connected'));
    expect([a, b, c].map((t) => t.getState().role)).toEqual(['leader', 'leader', 'solo']);
    expect(connections()).toBe(3);
  });

  it('a leader whose page is frozen (Page Lifecycle `freeze`) hands the lead to another tab', async () => {
    const doc = new EventTarget();
    vi.stubGlobal('document', doc);
    const a = tab();
    await waitFor(() => a.getState().role === 'leader');
    const b = tab();
    const seen = record(b, 'news');
    await waitFor(() => b.getState().status === 'connected');
    doc.dispatchEvent(new Event('freeze'));
    await waitFor(() => b.getState().role === 'leader' && b.getState().status === 'connected', { message: 'b leads' });
    expect(a.getState().role).toBe('follower');
    const published: string[] = [];
    await waitFor(async () => {
      published.push((await lifeline.publish('news', 'tick', 0)).id);
      return seen.length > 0;
    });
    await waitFor(() => seen.includes(published.at(-1)!));
    expect(seen).toEqual(published.slice(published.indexOf(seen[0]!)));
    expect(connections()).toBe(1);
  });

  it("a follower's history and rewind are read through the leader", async () => {
    const leader = tab();
    await waitFor(() => leader.getState().status === 'connected');
    const published: string[] = [];
    for (let i = 0; i < 5; i++) published.push((await lifeline.publish('log', 'tick', i)).id);
    const follower = tab();
    await waitFor(() => follower.getState().status === 'connected');
    const room = follower.channel('log');
    expect((await room.history({ limit: 3 })).map((e) => e.id)).toEqual(published.slice(2));
    const rewound: string[] = [];
    follower.channel('log2', { rewind: 2 }).on('tick', (_d, meta) => rewound.push(meta.id!));
    const p2: string[] = [];
    for (let i = 0; i < 3; i++) p2.push((await lifeline.publish('log2', 'tick', i)).id);
    const other = tab();
    const late: string[] = [];
    other.channel('log2', { rewind: 2 }).on('tick', (_d, meta) => late.push(meta.id!));
    await waitFor(() => late.length === 2, { message: 'rewind in a follower' });
    expect(late).toEqual(p2.slice(1));
    room.leave();
  });

  it('presence: a tab joining a channel the leader already holds sees who is there', async () => {
    await lifeline.close();
    await server.close();
    ({ server, lifeline } = await startCompanion('/', { store: memoryStore({ maxEvents: 100 }), onError: () => {}, presence: true, authenticate: (auth) => ({ id: typeof auth.user === 'string' ? auth.user : 'anon' }), presenceOf: (u: { id: string }) => ({ id: u.id }) }));
    const a = tab({ auth: () => ({ user: 'ada' }) } as never);
    await waitFor(() => a.getState().role === 'leader' && a.getState().status === 'connected');
    const ra = a.channel('room');
    await waitFor(() => ra.presence.get().length === 1, { message: 'the leader sees ada' });
    await new Promise((r) => setTimeout(r, 500)); // the server's presence messages are done: only a snapshot from the leader can tell a new tab
    const b = tab({ auth: () => ({ user: 'ada' }) } as never);
    const rb = b.channel('room');
    await waitFor(() => rb.presence.get().length === 1, { message: 'the follower sees ada too' });
    expect(rb.presence.get()[0]).toMatchObject({ id: 'ada' });
    expect(connections()).toBe(1);
  });

  it('bad share options are refused with a hint', async () => {
    await loadHints();
    expect(() => createClient({ url: 'http://127.0.0.1:1', share: { key: 5 } as never })).toThrow(expect.objectContaining({ code: 'BAD_INPUT', hint: expect.stringContaining('share') }));
  });
});
