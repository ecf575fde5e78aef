/**
 * `share: true` (issue #15): server connections and the reconnect herd after a server restart for
 * N users × 5 tabs, shared against unshared, and the hand-off gap (leader tab closed → first event
 * in a follower).
 *
 * A faithful Node simulation, not Chromium pages: 1 000 pages do not fit 2 cores. Each "tab" is a
 * real client in this process with the real share engine; Node's own BroadcastChannel carries the
 * tabs' messages and the testkit's in-process LockManager (same semantics as Web Locks: exclusive,
 * FIFO, released when the holder's promise settles) elects the leaders; each user has its own key.
 * The server is a real Socket.IO server with the companion on 127.0.0.1; the restart drops every
 * TCP connection at once (a crash) and stays down 1 s. A closed leader here closes gracefully
 * (`close()`); a crashed browser tab is test/browser/share.test.ts's business.
 *
 * Standalone: `pnpm exec tsx --conditions=@lifeline/source bench/share/run.ts [--quick]`.
 */
import { createClient, type LifelineClient } from '@lifeline/core';
import { createLifeline, memoryStore, type Lifeline } from '@lifeline/server';
import { fakeLocks, startServer, waitFor, type TestServer } from '@lifeline/testkit';
import { ensureSourceCondition, isMain } from '../lib/env';
import { formatTable, met, type Row } from '../lib/row';
import { percentile } from '../lib/stats';

const TABS = 5;

interface Rig {
  server: TestServer;
  lifeline: () => Lifeline;
  /** Connection times the server saw since the last `mark()`. */
  stamps: number[];
}

async function rig(): Promise<Rig> {
  let lifeline: Lifeline | undefined;
  const stamps: number[] = [];
  const server = await startServer({
    setup: (io) => {
      lifeline = createLifeline(io.of('/'), { store: memoryStore({ maxEvents: 10_000 }), onError: () => {} });
      io.of('/').on('connection', () => stamps.push(Date.now()));
    },
  });
  return { server, lifeline: () => lifeline!, stamps };
}

/** Connections held, and the herd after a crash restart: peak per 100 ms, total, time to all back. */
async function fleet(r: Rig, users: number, share: boolean): Promise<{ held: number; peak: number; total: number; backMs: number }> {
  const clients: LifelineClient[] = [];
  for (let u = 0; u < users; u++) {
    for (let t = 0; t < TABS; t++) clients.push(createClient({ url: r.server.url, share: share ? { key: `user-${u}` } : false, auth: () => ({ user: `user-${u}` }) }));
  }
  try {
    await waitFor(() => clients.every((c) => c.getState().status === 'connected'), { timeoutMs: 60_000, intervalMs: 100, message: 'fleet connected' });
    const held = r.server.io.of('/').sockets.size;
    r.stamps.length = 0;
    await r.server.restart({ crash: true, downMs: 1000 });
    const up = Date.now();
    await waitFor(() => clients.every((c) => c.getState().status === 'connected'), { timeoutMs: 60_000, intervalMs: 50, message: 'fleet back' });
    const backMs = Date.now() - up;
    const windows = new Map<number, number>();
    for (const s of r.stamps) windows.set(Math.floor((s - up) / 100), (windows.get(Math.floor((s - up) / 100)) ?? 0) + 1);
    return { held, peak: Math.max(0, ...windows.values()), total: r.stamps.length, backMs };
  } finally {
    for (const c of clients) c.close();
    await waitFor(() => r.server.io.of('/').sockets.size === 0, { timeoutMs: 10_000 });
  }
}

/** Leader closed → the first event a follower receives after it, ms; `n` hand-offs. */
async function handOffs(r: Rig, n: number): Promise<number[]> {
  const gaps: number[] = [];
  const tabs: Array<{ client: LifelineClient; last: number }> = [];
  const open = () => {
    const tab = { client: createClient({ url: r.server.url, share: { key: 'handoff' } }), last: 0 };
    tab.client.channel('ticks').on('tick', () => (tab.last = Date.now()));
    tabs.push(tab);
  };
  for (let i = 0; i < 3; i++) open();
  let publishing = true;
  const publisher = (async () => {
    while (publishing) {
      await r.lifeline().publish('ticks', 'tick', Date.now());
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  try {
    await waitFor(() => tabs.every((t) => t.last > 0), { timeoutMs: 10_000, message: 'every tab receives' });
    for (let i = 0; i < n; i++) {
      const leader = tabs.find((t) => t.client.getState().role === 'leader')!;
      tabs.splice(tabs.indexOf(leader), 1);
      const closed = Date.now();
      leader.client.close();
      await waitFor(() => tabs.every((t) => t.last > closed), { timeoutMs: 10_000, message: 'a follower receives again' });
      gaps.push(Math.min(...tabs.map((t) => t.last)) - closed);
      open();
      await waitFor(() => tabs.every((t) => t.last > closed), { timeoutMs: 10_000 });
    }
  } finally {
    publishing = false;
    await publisher;
    for (const t of tabs) t.client.close();
  }
  return gaps;
}

export async function run({ quick = false }: { quick?: boolean } = {}): Promise<Row[]> {
  const users = quick ? 40 : 200;
  const g = globalThis as { navigator?: unknown };
  const hadNavigator = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  Object.defineProperty(globalThis, 'navigator', { value: { locks: fakeLocks() }, configurable: true, writable: true });
  const r = await rig();
  try {
    const shared = await fleet(r, users, true);
    const unshared = await fleet(r, users, false);
    const gaps = await handOffs(r, quick ? 5 : 10);
    const bench = 'share';
    const who = `${users} users × ${TABS} tabs (Node simulation)`;
    const p50 = percentile(gaps, 50);
    const max = Math.max(...gaps);
    return [
      { bench, metric: `server connections, ${who}`, lifeline: `${shared.held} shared`, baselines: `unshared ${unshared.held}`, ratio: (shared.held / unshared.held).toFixed(2), target: `one per user (${users})`, met: met(shared.held === users) },
      { bench, metric: `reconnect herd after a server restart (down 1 s), ${who}: connections, peak per 100 ms, all back`, lifeline: `${shared.total} connections, peak ${shared.peak}/100 ms, all back in ${shared.backMs} ms`, baselines: `unshared ${unshared.total} connections, peak ${unshared.peak}/100 ms, all back in ${unshared.backMs} ms`, ratio: (shared.total / unshared.total).toFixed(2), target: `a ${TABS}th of unshared (per user, not per tab)`, met: met(shared.total <= (unshared.total / TABS) * 1.25) },
      { bench, metric: `hand-off gap: leader tab closed → first event in a follower (3 tabs, 100 events/s, ${gaps.length} hand-offs)`, lifeline: `p50 ${p50.toFixed(0)} ms, max ${max.toFixed(0)} ms`, baselines: '—', ratio: '—', target: '≤ 1 000 ms', met: met(max <= 1000) },
    ];
  } finally {
    await r.lifeline().close();
    await r.server.close();
    if (hadNavigator) Object.defineProperty(globalThis, 'navigator', hadNavigator);
    else delete g.navigator;
  }
}

if (isMain(import.meta.url)) {
  ensureSourceCondition();
  console.log(formatTable(await run({ quick: process.argv.includes('--quick') })));
  process.exit(0);
}
